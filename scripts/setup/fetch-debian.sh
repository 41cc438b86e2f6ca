#!/usr/bin/env bash
# Fetch sources/arch:all packages from another Debian suite (sid by default; DEBIAN_SUITE=trixie
# for others) without touching the system's apt state: a private sources list, lists directory
# and cache. Nothing fetched this way is ever installed into the system.
# Usage: fetch-debian.sh source PKG[=VER] DESTDIR | fetch-debian.sh download PKG[=VER] DESTDIR
source "$(dirname "$0")/common.sh"
mode="$1"; pkg="$2"; dest="$3"
suite="${DEBIAN_SUITE:-sid}"
apt_dir="$CACHE_DIR/apt-$suite"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dest"
# Same mirror the machine already uses, read from its own apt configuration.
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
[ -n "$mirror" ] || mirror=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
[ -n "$mirror" ] || { echo "no Debian mirror found in the apt configuration" >&2; exit 1; }
printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\ndeb [arch=all signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' "$mirror" "$suite" "$mirror" "$suite" > "$apt_dir/sources.list"
opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/nonexistent
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root)
if [ ! -f "$apt_dir/updated" ]; then
  apt-get "${opts[@]}" update -qq
  touch "$apt_dir/updated"
fi
cd "$dest"
case "$mode" in
  source) apt-get "${opts[@]}" source --download-only -qq "$pkg" ;;
  download) apt-get "${opts[@]}" download -qq "$pkg" ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
