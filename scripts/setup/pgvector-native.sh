#!/usr/bin/env bash
# Build and install pgvector 0.8.0 into the native PostgreSQL 15 so the conformance suite can run
# against it (CONFORMANCE_EXTENSION=vector): pgvector is the reference every expected value and
# error text in tests/ is checked against. Debian trixie's source package is used (with Debian's
# own patches, e.g. no -march=native) because only Debian's archive is reachable here.
# Idempotent: does nothing when vector 0.8.0 is already installed in this server's directories.
# DESTDIR=/some/dir stages the install there instead (PGXS's usual DESTDIR), without root.
source "$(dirname "$0")/common.sh"

PGVECTOR_VERSION=0.8.0
PGVECTOR_DEBIAN_REVISION=1
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
DESTDIR="${DESTDIR:-}"

ensure_debs postgresql-15 postgresql-server-dev-15 dpkg-dev gcc make

sharedir="$DESTDIR$("$PG_CONFIG" --sharedir)/extension"
pkglibdir="$DESTDIR$("$PG_CONFIG" --pkglibdir)"
if grep -qs "default_version = '$PGVECTOR_VERSION'" "$sharedir/vector.control" && [ -f "$pkglibdir/vector.so" ]; then
  log "pgvector $PGVECTOR_VERSION already installed in $sharedir"
  exit 0
fi

work="$CACHE_DIR/pgvector-$PGVECTOR_VERSION"
lock_cache "pgvector-$PGVECTOR_VERSION"
# The Debian source package: only the trixie Sources index is asked for; written whole or not at all.
DEBIAN_SUITE=trixie bash "$(dirname "$0")/fetch-debian.sh" source \
  "pgvector=$PGVECTOR_VERSION-$PGVECTOR_DEBIAN_REVISION" "$work/debian"
if [ ! -f "$work/src/.ready" ]; then
  # dpkg-source applies debian/patches, which a plain tar extraction would not. Unpacked beside
  # the final place and renamed once complete, so an interrupted unpack is never built.
  rm -rf "$work/src" "$work/src.partial"
  (cd "$work/debian" && dpkg-source -x --no-check --no-copy "pgvector_$PGVECTOR_VERSION-$PGVECTOR_DEBIAN_REVISION.dsc" \
    "$work/src.partial" >/dev/null)
  touch "$work/src.partial/.ready"
  mv -T "$work/src.partial" "$work/src"
fi
src="$work/src"

log "building pgvector $PGVECTOR_VERSION with PGXS ($PG_CONFIG)"
# Two jobs at most: other builds share this machine.
make -C "$src" -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
if [ -n "$DESTDIR" ]; then
  make -C "$src" PG_CONFIG="$PG_CONFIG" DESTDIR="$DESTDIR" install >/dev/null
else
  as_root make -C "$src" PG_CONFIG="$PG_CONFIG" install >/dev/null
fi
log "pgvector $PGVECTOR_VERSION installed into $sharedir"
