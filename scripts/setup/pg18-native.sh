#!/usr/bin/env bash
# A private native PostgreSQL 18.6 for testing ruvector on the major PGlite 0.5.16 runs: built
# from the same Debian source package (postgresql-18=18.6-3, its upstream tarball) that
# pg18-wasm.sh configures for wasm32, and installed under the cache, never into the system.
# Minimal configure: the conformance harness needs initdb, pg_ctl, postgres and pg_basebackup;
# pgrx needs pg_config and the server headers.
# Leaves $CACHE_DIR/postgresql-18.6/{bin,lib,share,include}, with .ready written last; a run that
# fails part-way removes what it wrote (rebuild_cache_entry). Prints nothing on success but logs.
source "$(dirname "$0")/common.sh"
PG_VERSION=18.6
PG_DEBIAN_VERSION=18.6-3
PG_DIR="$CACHE_DIR/postgresql-$PG_VERSION"

# The harness runs the server as Debian's unprivileged `postgres` user (initdb refuses root), so
# that user must be able to reach the binaries. The cache usually sits under root's 0700 home:
# grant `postgres` search permission (x only, not read) on each directory on the way that it
# cannot pass. Checked on every run, since a restored cache (CI) lands on a fresh system.
let_postgres_reach() {
  [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 || return 0
  runuser -u postgres -- test -x "$PG_DIR/bin/postgres" && return 0
  ensure_debs acl
  local d="" part
  IFS=/ read -ra parts <<< "${PG_DIR#/}"
  for part in "${parts[@]}"; do # from / down: a directory is reachable once its parents are
    d="$d/$part"
    runuser -u postgres -- test -x "$d" && continue
    log "letting user postgres traverse $d (search permission only)"
    # A file system without POSIX ACLs (some container overlays): search permission for all.
    setfacl -m u:postgres:x "$d" 2>/dev/null || chmod o+x "$d"
  done
  runuser -u postgres -- test -x "$PG_DIR/bin/postgres"
}

if [ -f "$PG_DIR/.ready" ]; then let_postgres_reach; exit 0; fi
lock_cache "postgresql-$PG_VERSION"
if [ -f "$PG_DIR/.ready" ]; then let_postgres_reach; exit 0; fi # finished by another run meanwhile
# Since PostgreSQL 17 release tarballs carry no pre-generated parser/catalog files: bison, flex
# and perl are build dependencies. postgresql-15 brings the `postgres` user the harness needs.
ensure_debs bison flex perl make gcc bzip2 postgresql-15
log "building PostgreSQL $PG_VERSION natively into $PG_DIR (2-3 minutes on 2 cores, once)"
rebuild_cache_entry "$PG_DIR"
bash "$(dirname "$0")/fetch-debian.sh" source "postgresql-18=$PG_DEBIAN_VERSION" "$PG_DIR/debian"
mkdir -p "$PG_DIR/src"
tar -xjf "$PG_DIR/debian/postgresql-18_$PG_VERSION.orig.tar.bz2" -C "$PG_DIR/src"
cd "$PG_DIR/src/postgresql-$PG_VERSION"
./configure --prefix="$PG_DIR" --without-icu --without-readline --without-zlib --without-zstd \
  --without-lz4 --without-openssl --without-libxml --without-llvm > "$PG_DIR/configure.log" 2>&1 \
  || { tail -40 "$PG_DIR/configure.log" >&2; exit 1; }
# Two jobs at most: other builds share this machine. Core only (no contrib, no docs).
{ make -j2 && make install; } > "$PG_DIR/make.log" 2>&1 || { tail -40 "$PG_DIR/make.log" >&2; exit 1; }
"$PG_DIR/bin/pg_config" --version | grep -qx "PostgreSQL $PG_VERSION"
[ -f "$PG_DIR/include/server/pg_config.h" ]
for bin in initdb pg_ctl postgres pg_basebackup; do [ -x "$PG_DIR/bin/$bin" ]; done
cd "$PG_DIR"
rm -rf "$PG_DIR/src" "$PG_DIR/debian" # keep the cache small: what is needed is installed
let_postgres_reach
touch "$PG_DIR/.ready"
log "PostgreSQL $PG_VERSION installed in $PG_DIR"
