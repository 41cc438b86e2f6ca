#!/usr/bin/env bash
# Install a built ruvector into a PostgreSQL server: the tree `cargo pgrx package --out-dir DIR`
# writes (…/lib/ruvector.so, …/extension/ruvector.control, …/extension/ruvector--X.Y.Z.sql).
#
#   postgres/install.sh PACKAGE_DIR
#   PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config postgres/install.sh PACKAGE_DIR
#   DESTDIR=/tmp/stage postgres/install.sh PACKAGE_DIR     # stage for a distribution package
#
# PG_CONFIG names the server (default: the pg_config on PATH). The files go into that server's
# pkglibdir and sharedir/extension; sudo is used only when those are not writable by this user
# (SUDO=doas to use another, SUDO= to never escalate).
# Files are copied beside their destination and renamed into place, so backends that have the
# old library loaded keep their copy instead of seeing it change under them.
set -euo pipefail
die() { echo "postgres/install.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: [PG_CONFIG=…/pg_config] [DESTDIR=…] postgres/install.sh PACKAGE_DIR"
PKG="$1"
[ -d "$PKG" ] || die "$PKG is not a directory: build one with \`cargo pgrx package --pg-config PG_CONFIG --out-dir DIR\` in extension/ruvector"

PG_CONFIG="${PG_CONFIG:-$(command -v pg_config || true)}"
[ -n "$PG_CONFIG" ] || die "no pg_config on PATH: set PG_CONFIG to the pg_config of the server to install into (Debian/Ubuntu: /usr/lib/postgresql/NN/bin/pg_config)"
[ -x "$PG_CONFIG" ] || die "PG_CONFIG=$PG_CONFIG is not an executable file"
server=$("$PG_CONFIG" --version) || die "$PG_CONFIG --version failed"
major=$(echo "$server" | sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p')
[ -n "$major" ] || die "cannot read a PostgreSQL major version from \`$PG_CONFIG --version\`: $server"
libdir="${DESTDIR:-}$("$PG_CONFIG" --pkglibdir)"
extdir="${DESTDIR:-}$("$PG_CONFIG" --sharedir)/extension"

# Exactly one library and one control file; any number of install/upgrade scripts (at least one).
find_one() {
  local found; found=$(find "$PKG" -type f -name "$1")
  [ -n "$found" ] || die "no $1 under $PKG: is it a \`cargo pgrx package\` output directory?"
  [ "$(echo "$found" | wc -l)" -eq 1 ] || die "several $1 under $PKG, install one package at a time:"$'\n'"$found"
  echo "$found"
}
so=$(find_one ruvector.so)
control=$(find_one ruvector.control)
mapfile -t scripts < <(find "$PKG" -type f -name 'ruvector--*.sql' | sort)
[ ${#scripts[@]} -gt 0 ] || die "no ruvector--*.sql install script under $PKG"
version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$control")
[ -f "$(dirname "${scripts[0]}")/ruvector--$version.sql" ] \
  || die "$control says default_version = '$version' but there is no ruvector--$version.sql beside the other scripts"

# cargo pgrx package lays files out under the building server's own paths, which name its major
# version on Debian-style layouts (…/postgresql/15/lib). A library built for another major would
# only fail later, at CREATE EXTENSION ("incompatible library … version mismatch").
built_for=$(echo "$so" | sed -n 's|.*/postgresql/\([0-9][0-9]*\)/.*|\1|p')
if [ -n "$built_for" ] && [ "$built_for" != "$major" ]; then
  die "$so was built for PostgreSQL $built_for but PG_CONFIG=$PG_CONFIG is $server: build for this server with \`cargo pgrx package --pg-config $PG_CONFIG\`"
fi

[ -z "${DESTDIR:-}" ] || mkdir -p "$libdir" "$extdir"
[ -d "$libdir" ] && [ -d "$extdir" ] || die "$libdir or $extdir does not exist: is $PG_CONFIG the pg_config of an installed server?"
# Root only when needed: a server of the user's own (or DESTDIR) needs none.
run=()
if [ ! -w "$libdir" ] || [ ! -w "$extdir" ]; then
  sudo="${SUDO-sudo}"
  if [ -n "$sudo" ] && command -v "$sudo" >/dev/null; then
    echo "postgres/install.sh: $libdir or $extdir is not writable by $(id -un): using $sudo" >&2
    run=("$sudo")
  else
    die "cannot write to $libdir and $extdir, and no ${sudo:-sudo (SUDO is empty)} to ask: run as a user who can (or root), or set DESTDIR to stage the files elsewhere"
  fi
fi

place() { # place MODE FILE DIR: copy beside the destination, then rename over it
  local tmp; tmp="$3/.$(basename "$2").install-$$"
  "${run[@]}" install -m "$1" "$2" "$tmp" && "${run[@]}" mv -f "$tmp" "$3/$(basename "$2")"
}
place 755 "$so" "$libdir"
place 644 "$control" "$extdir"
for f in "${scripts[@]}"; do place 644 "$f" "$extdir"; done
echo "installed ruvector $version for $server into $libdir and $extdir" >&2
echo "next: CREATE EXTENSION ruvector;  (or, over an older version: ALTER EXTENSION ruvector UPDATE;)" >&2
