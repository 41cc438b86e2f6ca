#!/usr/bin/env bash
# Build the native extension for the private PostgreSQL 18.6 (scripts/setup/pg18-native.sh) and
# install it there: the major PGlite runs, natively, so the conformance suite can tell a PG18
# problem from a wasm one. The system PostgreSQL 15 is not touched.
# Its own cargo target dir, so this build and the PostgreSQL 15 one (native.sh) do not rebuild
# each other. sql/ is not written: the committed install SQL is the PostgreSQL 15 build's, and the
# PGlite bundle ships it to PostgreSQL 18, so a PG18-only difference is reported here.
source "$(dirname "$0")/../setup/common.sh"
bash "$REPO_ROOT/scripts/setup/cargo-pgrx.sh"
bash "$REPO_ROOT/scripts/setup/pg18-native.sh"
PG_CONFIG="$CACHE_DIR/postgresql-18.6/bin/pg_config"
OUT="$REPO_ROOT/build/native-pg18"
VERSION=$(ruvector_version)
log "building the native extension (pgrx, private PostgreSQL 18.6)"
TARGET_DIR="$REPO_ROOT/extension/target/native-pg18"
PG15_RELEASE="$REPO_ROOT/extension/target/release"
rm -rf "$OUT"
# First build: start from a copy of the PostgreSQL 15 build's artifacts. Every dependency but
# pgrx-pg-sys and pgrx compiles the same for both majors (on 2 cores 1.5 min instead of 3.7);
# a copy, not the same directory, so neither build can overwrite the other's unhashed outputs
# (the cdylib and pgrx's schema binary keep one name whatever the features).
if [ ! -d "$TARGET_DIR/release" ] && [ -d "$PG15_RELEASE" ]; then
  rm -rf "$TARGET_DIR/release.partial"; mkdir -p "$TARGET_DIR"
  cp -a "$PG15_RELEASE" "$TARGET_DIR/release.partial" && mv -T "$TARGET_DIR/release.partial" "$TARGET_DIR/release"
fi
(
  cd "$REPO_ROOT/extension/ruvector"
  export CARGO_TARGET_DIR="$TARGET_DIR" PGRX_PG_CONFIG_PATH="$PG_CONFIG"
  "$DEBIAN_CARGO" pgrx package --pg-config "$PG_CONFIG" --no-default-features --features pg18 \
    --out-dir "$OUT" >/dev/null
)
generated=$(find "$OUT" -name "ruvector--$VERSION.sql" | head -n1)
[ -n "$generated" ] || { echo "cargo pgrx package produced no install SQL" >&2; exit 1; }
committed="$REPO_ROOT/sql/ruvector--$VERSION.sql"
# pgrx orders independent objects differently from build to build: compare the statements only.
if ! cmp -s <(grep -v '^--' "$generated" | sort) <(grep -v '^--' "$committed" | sort); then
  log "WARNING: the PostgreSQL 18 build generates other SQL statements than sql/ruvector--$VERSION.sql (the PGlite bundle ships the latter):"
  diff <(grep -v '^--' "$committed" | sort) <(grep -v '^--' "$generated" | sort) | grep '^[<>]' | head -n 20 >&2 || true
fi
PG_CONFIG="$PG_CONFIG" bash "$REPO_ROOT/postgres/install.sh" "$OUT"
