#!/usr/bin/env bash
# PostgreSQL 18.6 server headers configured for wasm32-unknown-emscripten: the ABI PGlite 0.5.16
# is built with (4-byte Datum, float8 by reference, 8 kB blocks). pgrx generates its wasm32
# bindings from these, and the C shims compile against them.
# Leaves $TOOLCHAIN_DIR/pg18-wasm/{include/postgresql/server,pg_config}, with .ready written last;
# a run that fails part-way removes what it wrote (rebuild_cache_entry).
source "$(dirname "$0")/common.sh"
PG_DIR="$TOOLCHAIN_DIR/pg18-wasm"
[ -f "$PG_DIR/.ready" ] && exit 0
bash "$(dirname "$0")/emscripten.sh"
lock_cache pg18-wasm
[ -f "$PG_DIR/.ready" ] && exit 0 # another run finished it while this one waited for the lock
ensure_debs bison flex make
EM_DIR="$TOOLCHAIN_DIR/emscripten"
EMSDK="$EM_DIR/root/usr/share/emscripten"
log "configuring PostgreSQL 18.6 headers for wasm32 (about 3 minutes the first time)"
rebuild_cache_entry "$PG_DIR"; mkdir -p "$PG_DIR/src"
# Only sid's Sources index is asked for.
bash "$(dirname "$0")/fetch-debian.sh" source postgresql-18=18.6-3 "$PG_DIR/debian"
tar -xjf "$PG_DIR"/debian/postgresql-18_18.6.orig.tar.bz2 -C "$PG_DIR/src"
cd "$PG_DIR/src/postgresql-18.6"
export EM_CONFIG="$EM_DIR/config" PATH="$EMSDK:$PATH"
emconfigure ./configure --host=wasm32-unknown-emscripten --with-template=linux --without-icu \
  --without-readline --without-zlib --without-zstd --without-lz4 --without-openssl --without-libxml \
  --without-llvm --prefix="$PG_DIR" > "$PG_DIR/configure.log" 2>&1 \
  || { tail -40 "$PG_DIR/configure.log" >&2; exit 1; }
{ make -C src/backend generated-headers && make -C src/include install \
  && make -C src/pl/plpgsql/src install-headers; } > "$PG_DIR/make.log" 2>&1 \
  || { tail -40 "$PG_DIR/make.log" >&2; exit 1; } # (pgrx binds plpgsql.h too)
inc="$PG_DIR/include/postgresql/server"
[ -f "$inc/pg_config.h" ] || inc="$PG_DIR/include/server"
grep -q '#define SIZEOF_VOID_P 4' "$inc/pg_config.h"
grep -q '#define MAXIMUM_ALIGNOF 8' "$inc/pg_config.h"
! grep -q '#define USE_FLOAT8_BYVAL 1' "$inc/pg_config.h"
# pgrx asks pg_config for a handful of values; the real one is a wasm program, so describe them.
cat > "$PG_DIR/pg_config" <<CFG
#!/bin/sh
case "\$1" in
  --version) echo "PostgreSQL 18.6" ;;
  --includedir-server) echo "$inc" ;;
  --libdir|--pkglibdir) echo "$PG_DIR/lib" ;;
  --sharedir) echo "$PG_DIR/share" ;;
  --cppflags) echo "" ;;
  --configure) echo "" ;;
  *) echo "pg_config (ruvector wasm32 stand-in): unsupported \$1" >&2; exit 1 ;;
esac
CFG
chmod +x "$PG_DIR/pg_config"
mkdir -p "$PG_DIR/lib"
rm -rf "$PG_DIR/src" "$PG_DIR/debian" # keep the cache small: the headers are installed
touch "$PG_DIR/.ready"
