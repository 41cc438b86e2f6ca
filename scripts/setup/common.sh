# Shared settings for the build scripts: where toolchains and build outputs are cached.
# Sourced, not run. Toolchains live outside the work tree so a fresh clone on the same
# machine reuses them; everything in the cache can be rebuilt by these scripts.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE_DIR="${RUVECTOR_CACHE:-$HOME/.cache/ruvector}"
TOOLCHAIN_DIR="$CACHE_DIR/toolchain"
mkdir -p "$TOOLCHAIN_DIR"

# Debian's own compilers: rustup's 1.95 shims come first in PATH and are too old for pgrx 0.19.
export RUSTC=/usr/bin/rustc
DEBIAN_CARGO=/usr/bin/cargo

# The extension version, from the Cargo workspace: names the install SQL both targets ship.
ruvector_version() {
  sed -n 's/^version = "\(.*\)"/\1/p' "$REPO_ROOT/extension/Cargo.toml" | head -n1
}

log() { printf '\033[1m[ruvector]\033[0m %s\n' "$*" >&2; }

# Failures a later attempt can cure: a Debian mirror mid-sync serves indexes whose hashes or sizes
# do not match yet and answers 404 for files the index it served still names; connections drop.
TRANSIENT_ERRORS='Hash Sum mismatch|File has unexpected size|Mirror sync in progress|404 +Not Found|503 +Service|502 +Bad|Failed to fetch|Some index files failed to download|does not have a Release file|is not valid yet|Clearsigned file|Could not resolve|Could not connect|Unable to connect|Connection (failed|refused|reset|timed out)|Temporary failure|Network is unreachable|Undetermined Error|spurious network error|failed to download|timed out|Could not get lock'

# retry WHAT CMD...: run CMD (a program, or a function that returns non-zero on failure: a function
# called here runs without `set -e`); if it fails with one of TRANSIENT_ERRORS, run it again after
# 10 s, 30 s, 90 s, 120 s (RUVECTOR_RETRIES attempts, default 5; RUVECTOR_RETRY_DELAY the first wait).
# Any other failure, or the last attempt's, is final. WHAT names what is fetched and from where.
# CMD sees the attempt number in RETRY_ATTEMPT; RETRY_HINT, if set, is added to the final message.
retry() {
  local what="$1"; shift
  local attempts="${RUVECTOR_RETRIES:-5}" delay="${RUVECTOR_RETRY_DELAY:-10}" err rc
  err=$(mktemp)
  for ((RETRY_ATTEMPT = 1; ; RETRY_ATTEMPT++)); do
    export RETRY_ATTEMPT
    rc=0; "$@" 2>"$err" || rc=$?
    if [ "$rc" -eq 0 ]; then cat "$err" >&2; rm -f "$err"; return 0; fi
    if ! grep -Eq "$TRANSIENT_ERRORS" "$err"; then
      cat "$err" >&2; rm -f "$err"
      log "FAILED: $what (exit $rc; not a network or mirror error, so not retried)"
      return "$rc"
    fi
    if [ "$RETRY_ATTEMPT" -ge "$attempts" ]; then
      cat "$err" >&2; rm -f "$err"
      log "FAILED after $attempts attempts: $what. The server may be mid-sync or unreachable: try again later${RETRY_HINT:+, or $RETRY_HINT}."
      return "$rc"
    fi
    log "attempt $RETRY_ATTEMPT/$attempts failed: $what:"
    grep -E "$TRANSIENT_ERRORS" "$err" | head -n3 | sed 's/^/    /' >&2
    log "retrying in ${delay} s"
    sleep "$delay"
    delay=$((delay * 3 > 120 ? 120 : delay * 3))
  done
}

# The Debian mirror this machine's apt uses (DEBIAN_MIRROR overrides it).
debian_mirror() {
  local m="${DEBIAN_MIRROR:-}"
  [ -n "$m" ] || m=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
  [ -n "$m" ] || m=$(grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1)
  [ -n "$m" ] || { log "no Debian mirror in the apt configuration: set DEBIAN_MIRROR"; return 1; }
  echo "$m"
}

# `sudo` when not root (and sudo exists), else nothing.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root for: $* (no sudo here)"; return 1
  fi
}

# One attempt at installing Debian packages: update the lists first, since a 404 for a package
# file means the lists are older than the mirror. Another apt run (other builds share this
# machine) holds the dpkg lock for a while: wait for it rather than fail.
_apt_install_attempt() {
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq || return 1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "$@" >/dev/null
}

# apt-get install only what is missing, with retries for a mirror mid-sync.
ensure_debs() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  RETRY_HINT="check the mirrors in /etc/apt/sources.list*" \
    retry "installing ${missing[*]} with the system's apt sources" _apt_install_attempt "${missing[@]}"
}

# lock_cache NAME: hold an exclusive lock on the cache entry NAME until this script exits, so two
# runs sharing one cache (two clones, CI and a person) do not build the same entry at once.
lock_cache() {
  mkdir -p "$CACHE_DIR/locks"
  exec {RUVECTOR_LOCK_FD}>"$CACHE_DIR/locks/$1.lock"
  flock "$RUVECTOR_LOCK_FD"
}

# rebuild_cache_entry DIR: start DIR from scratch, and remove it again if this script exits before
# writing DIR/.ready (the stamp every user of DIR checks, written last), so a failed or interrupted
# set-up never leaves a half-written entry behind that a later run would trust.
rebuild_cache_entry() {
  rm -rf "$1"; mkdir -p "$1"
  # shellcheck disable=SC2064 # expand $1 now: the trap runs after this function returned
  trap "[ -f '$1/.ready' ] || rm -rf '$1'" EXIT
}
