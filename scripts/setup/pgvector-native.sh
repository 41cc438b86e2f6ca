#!/usr/bin/env bash
# Build and install pgvector 0.8.0 into the native PostgreSQL 15 so the conformance suite can run
# against it (CONFORMANCE_EXTENSION=vector): pgvector is the reference every expected value and
# error text in tests/ is checked against. Debian trixie's source package is used (with Debian's
# own patches, e.g. no -march=native) because only Debian's archive is reachable here.
# Idempotent: does nothing when vector 0.8.0 is already installed in this server's directories.
source "$(dirname "$0")/common.sh"

PGVECTOR_VERSION=0.8.0
PGVECTOR_DEBIAN_REVISION=1
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"

ensure_debs postgresql-15 postgresql-server-dev-15 dpkg-dev gcc make

sharedir="$("$PG_CONFIG" --sharedir)/extension"
pkglibdir="$("$PG_CONFIG" --pkglibdir)"
if grep -qs "default_version = '$PGVECTOR_VERSION'" "$sharedir/vector.control" && [ -f "$pkglibdir/vector.so" ]; then
  log "pgvector $PGVECTOR_VERSION already installed in $sharedir"
  exit 0
fi

work="$CACHE_DIR/pgvector-$PGVECTOR_VERSION"
src="$work/src"
if [ ! -f "$src/vector.control" ]; then
  rm -rf "$work"
  mkdir -p "$work"
  log "fetching Debian trixie source package pgvector=$PGVECTOR_VERSION-$PGVECTOR_DEBIAN_REVISION"
  DEBIAN_SUITE=trixie bash "$(dirname "$0")/fetch-debian.sh" source \
    "pgvector=$PGVECTOR_VERSION-$PGVECTOR_DEBIAN_REVISION" "$work"
  # dpkg-source applies debian/patches, which a plain tar extraction would not.
  (cd "$work" && dpkg-source -x --no-check "pgvector_$PGVECTOR_VERSION-$PGVECTOR_DEBIAN_REVISION.dsc" src >/dev/null)
fi

log "building pgvector $PGVECTOR_VERSION with PGXS ($PG_CONFIG)"
# Two jobs at most: other builds share this machine.
make -C "$src" -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo make -C "$src" PG_CONFIG="$PG_CONFIG" install >/dev/null
log "pgvector $PGVECTOR_VERSION installed into $sharedir"
