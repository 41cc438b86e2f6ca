#!/usr/bin/env bash
# ruvector-core's kernels as PGlite runs them (wasm32 + simd128), checked under Node against f64
# references. `cargo test` covers the scalar and AVX2 paths on the host; this covers simd128.
source "$(dirname "$0")/setup/common.sh"
CRATE="$REPO_ROOT/extension/core/wasm-tests"
export CARGO_TARGET_DIR="$REPO_ROOT/extension/target/core-wasm-tests"
(
  cd "$CRATE"
  RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 -C linker=/usr/bin/wasm-ld-19" \
    "$DEBIAN_CARGO" build --quiet --release --target wasm32-unknown-unknown -Z build-std=core,alloc
)
node "$CRATE/run.mjs" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/ruvector_core_wasm_tests.wasm"
