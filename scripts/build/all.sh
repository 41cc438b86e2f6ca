#!/usr/bin/env bash
# Build whatever is missing or stale, on a fresh machine too: npm dependencies, the native
# extension (installed into PostgreSQL 15), the PGlite bundle, the @ruvector/pglite package, and a
# private native PostgreSQL 18.6 with the extension installed in it (scripts/setup/pg18-native.sh).
# A build step is skipped when a hash of its inputs matches the one recorded after its last success.
source "$(dirname "$0")/../setup/common.sh"
cd "$REPO_ROOT"
STAMPS="$REPO_ROOT/build/stamps"; mkdir -p "$STAMPS"

inputs_hash() { # hash of tracked + untracked files under the given paths
  git ls-files -z --cached --others --exclude-standard -- "$@" | sort -z | xargs -0 sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
}
fresh() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }

# Every Debian package any step needs, in one apt run before steps start running in parallel.
ensure_debs clang-19 lld-19 llvm-19 libclang-19-dev binaryen bison flex make bzip2 xz-utils python3 \
  rustc-web cargo-web rust-web-src postgresql-15 postgresql-server-dev-15 pkg-config libssl-dev git \
  gcc perl acl # the native PostgreSQL 18.6 build (scripts/setup/pg18-native.sh)
command -v node >/dev/null || ensure_debs nodejs npm
if [ ! -d node_modules/@electric-sql/pglite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The wasm toolchain (emscripten + PostgreSQL 18.6 headers, ~10 min cold, mostly serial configure
# probes) does not depend on the native side: prepare it in the background meanwhile.
wasm_toolchain_log="$REPO_ROOT/build/wasm-toolchain.log"
bash scripts/setup/pg18-wasm.sh > "$wasm_toolchain_log" 2>&1 &
wasm_toolchain_pid=$!
# So is a private native PostgreSQL 18.6 (~7 min cold); the PG18 build below waits for it.
pg18_server_log="$REPO_ROOT/build/pg18-native.log"
bash scripts/setup/pg18-native.sh > "$pg18_server_log" 2>&1 &
pg18_server_pid=$!
wait_for_wasm_toolchain() {
  if ! wait "$wasm_toolchain_pid"; then
    cat "$wasm_toolchain_log" >&2
    echo "setting up the wasm toolchain failed (log above)" >&2
    exit 1
  fi
}

rust_inputs=(extension/Cargo.toml extension/Cargo.lock extension/core extension/ruvector)
# The native PostgreSQL 18 server is no input of the PostgreSQL 15 and PGlite builds.
setup_inputs=(scripts/setup ':(exclude)scripts/setup/pg18-native.sh')
native_hash=$(inputs_hash "${rust_inputs[@]}" "${setup_inputs[@]}" scripts/build/native.sh postgres/install.sh)
if ! fresh native "$native_hash" || [ ! -f "$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)/ruvector.so" ]; then
  bash scripts/build/native.sh
  echo "$native_hash" > "$STAMPS/native"
fi

wasm_hash=$(inputs_hash "${rust_inputs[@]}" sql "${setup_inputs[@]}" scripts/build/wasm.sh)
wait_for_wasm_toolchain
if ! fresh wasm "$wasm_hash" || [ ! -f pglite/dist/ruvector.tar.gz ]; then
  bash scripts/build/wasm.sh
  echo "$wasm_hash" > "$STAMPS/wasm"
fi

pkg_hash=$(inputs_hash pglite/src pglite/package.json pglite/tsconfig*.json)
if ! fresh pglite-pkg "$pkg_hash"; then
  log "building @ruvector/pglite"
  npm run --silent --workspace pglite build
  echo "$pkg_hash" > "$STAMPS/pglite-pkg"
fi

# The extension for the private PostgreSQL 18.6, which the suite also runs on (scripts/test.sh).
pg18_hash=$(inputs_hash "${rust_inputs[@]}" scripts/setup scripts/build/native-pg18.sh postgres/install.sh)
wait "$pg18_server_pid" || { cat "$pg18_server_log" >&2; echo "building PostgreSQL 18.6 failed (log above)" >&2; exit 1; }
if ! fresh native-pg18 "$pg18_hash" || [ ! -f "$CACHE_DIR/postgresql-18.6/lib/ruvector.so" ]; then
  bash scripts/build/native-pg18.sh
  echo "$pg18_hash" > "$STAMPS/native-pg18"
fi
