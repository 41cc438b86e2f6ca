#!/usr/bin/env bash
# Build the native extension for the system PostgreSQL 15 with `cargo pgrx package`, keep the
# generated install SQL in sql/ (the same file ships in the PGlite bundle), and install it.
source "$(dirname "$0")/../setup/common.sh"
bash "$REPO_ROOT/scripts/setup/cargo-pgrx.sh"
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
OUT="$REPO_ROOT/build/native"
VERSION=$(ruvector_version)
log "building the native extension (pgrx, PostgreSQL 15)"
rm -rf "$OUT"
(cd "$REPO_ROOT/extension/ruvector" && "$DEBIAN_CARGO" pgrx package --pg-config "$PG_CONFIG" --out-dir "$OUT" >/dev/null)
generated=$(find "$OUT" -name "ruvector--$VERSION.sql" | head -n1)
[ -n "$generated" ] || { echo "cargo pgrx package produced no install SQL" >&2; exit 1; }
# pgrx orders independent objects differently from one build to the next. Keep the committed
# file when only the order changed (it is an equally valid order), so builds leave the tree clean.
committed="$REPO_ROOT/sql/ruvector--$VERSION.sql"
same_statements() { cmp -s <(grep -v '^--' "$1" | sort) <(grep -v '^--' "$2" | sort); }
if [ ! -f "$committed" ] || ! same_statements "$generated" "$committed"; then
  cp "$generated" "$committed"
  log "sql/ruvector--$VERSION.sql changed: commit it with the code that changed it"
fi
PG_CONFIG="$PG_CONFIG" bash "$REPO_ROOT/postgres/install.sh" "$OUT"
