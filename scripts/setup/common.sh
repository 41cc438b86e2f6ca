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

# apt-get install only what is missing; `apt-get update` once per script run at most.
ensure_debs() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
