#!/usr/bin/env bash
# Install a `cargo pgrx package` output tree into the PostgreSQL server named by PG_CONFIG
# (default: Debian's PostgreSQL 15). PostgreSQL 15 has no extension_control_path, so the files
# go into the server's own lib and extension directories.
set -euo pipefail
PKG="${1:?usage: install.sh PACKAGE_DIR}"
PG_CONFIG="${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}"
libdir=$("$PG_CONFIG" --pkglibdir)
extdir="$("$PG_CONFIG" --sharedir)/extension"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
so=$(find "$PKG" -name ruvector.so | head -n1)
$sudo install -m 755 "$so" "$libdir/ruvector.so"
for f in $(find "$PKG" -name 'ruvector.control' -o -name 'ruvector--*.sql'); do
  $sudo install -m 644 "$f" "$extdir/$(basename "$f")"
done
echo "installed ruvector into $libdir and $extdir" >&2
