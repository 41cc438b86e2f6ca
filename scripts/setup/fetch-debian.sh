#!/usr/bin/env bash
# Fetch a source package, or an arch:all binary package, from a Debian suite (sid by default;
# DEBIAN_SUITE=trixie for others) into DEST, without touching the system's apt state and without
# installing anything.
#   fetch-debian.sh source   PKG[=VER] DEST   # .dsc + tarballs (for dpkg-source -x)
#   fetch-debian.sh download PKG[=VER] DEST   # the .deb (for dpkg -x)
# Asks the mirror only for the index the mode needs (Sources, or binary-all Packages), through a
# private apt configuration whose lists live in a temporary directory: nothing half-updated stays.
# Transient mirror errors (mid-sync hash mismatches and 404s, dropped connections) are retried.
# DEST is written whole or not at all: files are fetched into a temporary sibling, checked,
# stamped (DEST/.fetched, written last) and renamed into place. With that stamp there already for
# the same request, this does nothing.
# DEBIAN_MIRROR overrides the mirror (default: the one the system's apt uses).
# Testing only: RUVECTOR_TEST_FAIL_ATTEMPTS=N points the first N attempts at a closed loopback
# port, so apt fails for real and the retry path runs (scripts/test-fetch-debian.sh).
source "$(dirname "$0")/common.sh"
mode="$1"; pkg="$2"; dest="${3%/}"
suite="${DEBIAN_SUITE:-sid}"
mirror=$(debian_mirror)
request="$mode $pkg $suite"
if [ "$(cat "$dest/.fetched" 2>/dev/null)" = "$request" ]; then exit 0; fi

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || ensure_debs debian-archive-keyring
case "$mode" in
  # target= names the one index wanted, so no other configured target (Translations, Contents,
  # appstream's DEP-11) is asked for either.
  source) index_line="deb-src [target=Sources signed-by=$keyring] %s $suite main" ;;
  download) index_line="deb [arch=all target=Packages signed-by=$keyring] %s $suite main" ;;
  *) echo "fetch-debian.sh: unknown mode '$mode' (source or download)" >&2; exit 2 ;;
esac

mkdir -p "$(dirname "$dest")"
# Leftovers of a run that was killed outright (no EXIT trap): callers hold the cache entry's lock,
# so no other run is writing them.
rm -rf "$dest".partial.*
tmp=$(mktemp -d "$dest.partial.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# One attempt: fresh lists, then the files. A function run by `retry`, so every step says
# `|| return` itself (set -e does not apply there).
fetch_attempt() {
  local url="$mirror"
  if [ "$RETRY_ATTEMPT" -le "${RUVECTOR_TEST_FAIL_ATTEMPTS:-0}" ]; then
    url="http://127.0.0.1:9/debian" # discard port: nothing listens, the connection is refused
  fi
  rm -rf "$tmp/apt" "$tmp/files" && mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/cache/archives/partial" "$tmp/files" || return
  printf "$index_line\n" "$url" > "$tmp/apt/sources.list" || return
  local opts=(-o "Dir::Etc::sourcelist=$tmp/apt/sources.list" -o Dir::Etc::sourceparts=/nonexistent
    -o "Dir::State::Lists=$tmp/apt/lists" -o "Dir::Cache=$tmp/apt/cache" -o APT::Sandbox::User=root
    -o Acquire::Languages=none -o Acquire::Retries=0) # `retry` retries, with fresh lists each time
  apt-get "${opts[@]}" update -qq || return
  # apt-get update reports a missing index as a warning only: make it an error here.
  [ -n "$(ls "$tmp/apt/lists" | grep -E '_(Sources|Packages)(\.|$)')" ] || {
    echo "E: Failed to fetch the $suite index from $url (no Sources/Packages list after update)" >&2; return 1; }
  case "$mode" in
    source) (cd "$tmp/files" && apt-get "${opts[@]}" source --download-only -qq "$pkg") ;;
    download) (cd "$tmp/files" && apt-get "${opts[@]}" download -qq "$pkg") ;;
  esac
}

# What arrived is what was asked for: the .dsc's own SHA-256 sums, or a readable .deb.
verify_files() {
  local name="${pkg%%=*}" n=0
  case "$mode" in
    source)
      local dsc; dsc=$(ls "$tmp/files/${name}_"*.dsc 2>/dev/null | head -n1)
      [ -n "$dsc" ] || { echo "no ${name}_*.dsc among the fetched files" >&2; return 1; }
      # Checksums-Sha256 lines are " SUM SIZE FILE": check each file the .dsc names.
      awk '/^Checksums-Sha256:/{on=1;next} /^[^ ]/{on=0} on&&NF==3{print $1"  "$3}' "$dsc" > "$tmp/sums"
      [ -s "$tmp/sums" ] || { echo "$dsc lists no SHA-256 sums" >&2; return 1; }
      (cd "$tmp/files" && sha256sum --quiet -c "$tmp/sums") >&2 ;;
    download)
      for deb in "$tmp/files/${name}_"*.deb; do
        [ -f "$deb" ] || break
        dpkg-deb --info "$deb" >/dev/null || { echo "$deb is not a readable .deb" >&2; return 1; }
        n=$((n + 1))
      done
      [ "$n" -gt 0 ] || { echo "no ${name}_*.deb among the fetched files" >&2; return 1; } ;;
  esac
}

log "fetching $mode package $pkg from $mirror ($suite)"
RETRY_HINT="set DEBIAN_MIRROR to another Debian mirror" \
  retry "fetching $mode package $pkg from $mirror ($suite)" fetch_attempt
verify_files || { log "FAILED: $pkg from $mirror ($suite) did not verify (see above); nothing was cached"; exit 1; }
echo "$request" > "$tmp/files/.fetched" # the stamp, written last
rm -rf "$dest"
mv -T "$tmp/files" "$dest"
