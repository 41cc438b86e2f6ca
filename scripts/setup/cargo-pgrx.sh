#!/usr/bin/env bash
# cargo-pgrx 0.19.3 built by Debian's Rust 1.96, and pgrx pointed at the system PostgreSQL 15
# (pgrx must never download a Postgres of its own).
source "$(dirname "$0")/common.sh"
PGRX_VERSION=0.19.3
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
ensure_debs postgresql-15 postgresql-server-dev-15 rustc-web cargo-web libclang-19-dev clang-19 pkg-config libssl-dev
if ! "$DEBIAN_CARGO" pgrx --version 2>/dev/null | grep -q "$PGRX_VERSION"; then
  log "installing cargo-pgrx $PGRX_VERSION (a few minutes the first time)"
  retry "cargo install cargo-pgrx $PGRX_VERSION from crates.io" \
    "$DEBIAN_CARGO" install cargo-pgrx --version "$PGRX_VERSION" --locked --quiet
fi
if ! grep -qs "pg15 = \"$PG_CONFIG\"" "${PGRX_HOME:-$HOME/.pgrx}/config.toml"; then
  "$DEBIAN_CARGO" pgrx init --pg15 "$PG_CONFIG" >/dev/null
fi
