#!/usr/bin/env bash
# Build the PGlite bundle: the pgrx crate compiled for wasm32-unknown-emscripten against
# PostgreSQL 18.6 headers, linked as an Emscripten side module, optimised, packed as
# pglite/dist/ruvector.tar.gz. The install SQL is the one pgrx generated for the native build.
source "$(dirname "$0")/../setup/common.sh"
bash "$REPO_ROOT/scripts/setup/pg18-wasm.sh" # sets up emscripten first
ensure_debs clang-19 lld-19 llvm-19 libclang-19-dev rustc-web cargo-web rust-web-src binaryen

EM_DIR="$TOOLCHAIN_DIR/emscripten"
SYSROOT="$EM_DIR/cache/sysroot"
PG_DIR="$TOOLCHAIN_DIR/pg18-wasm"
OUT="$REPO_ROOT/build/wasm"
TARGET=wasm32-unknown-emscripten
export CARGO_TARGET_DIR="$REPO_ROOT/extension/target/wasm"
mkdir -p "$OUT"
VERSION=$(ruvector_version)
SQL="$REPO_ROOT/sql/ruvector--$VERSION.sql"

# C flags shared by bindgen, pgrx's cshim and our own C: PGlite's ABI, JS-based setjmp/longjmp.
WASM_CFLAGS="--target=$TARGET --sysroot=$SYSROOT -isystem $SYSROOT/include/compat -fPIC -O2 \
 -fvisibility=hidden -fno-math-errno -mbulk-memory -mnontrapping-fptoint -msimd128 \
 -mllvm -enable-emscripten-sjlj -fwrapv -fno-strict-aliasing -fexcess-precision=standard -D__EMSCRIPTEN__"

log "compiling ruvector for $TARGET (pgrx bindings for PostgreSQL 18.6 wasm32)"
(
  cd "$REPO_ROOT/extension"
  export RUSTC_BOOTSTRAP=1
  export PGRX_PG_CONFIG_PATH="$PG_DIR/pg_config"
  export PGRX_BINDGEN_NO_DETECT_INCLUDES=1
  export BINDGEN_EXTRA_CLANG_ARGS_wasm32_unknown_emscripten="--target=$TARGET --sysroot=$SYSROOT -isystem $SYSROOT/include/compat -D__EMSCRIPTEN__ -fvisibility=default"
  export CC_wasm32_unknown_emscripten=/usr/bin/clang-19
  export AR_wasm32_unknown_emscripten=/usr/bin/llvm-ar-19
  export CFLAGS_wasm32_unknown_emscripten="$WASM_CFLAGS"
  export LIBCLANG_PATH=/usr/lib/llvm-19/lib
  # -Z emscripten-wasm-eh=false: PGlite has JS-based exceptions only (no wasm EH tag).
  # -enable-emscripten-sjlj: makes LLVM rethrow a Postgres longjmp that crosses Rust frames
  # instead of treating it as a panic (needs a reference to longjmp in the module: see src/pglite.rs).
  export CARGO_TARGET_WASM32_UNKNOWN_EMSCRIPTEN_RUSTFLAGS="-C relocation-model=pic -Z emscripten-wasm-eh=false \
 -C llvm-args=-enable-emscripten-sjlj -C target-feature=+simd128,+bulk-memory,+nontrapping-fptoint \
 -Z default-visibility=hidden"
  "$DEBIAN_CARGO" rustc -p ruvector --lib --release --target $TARGET \
    --no-default-features --features pg18 \
    -Z build-std=std,panic_unwind --crate-type staticlib
)
LIB="$CARGO_TARGET_DIR/$TARGET/release/libruvector.a"

log "linking the side module"
PG_INCLUDE=$("$PG_DIR/pg_config" --includedir-server)
shims=()
for c in "$REPO_ROOT"/extension/ruvector/wasm/*.c; do
  /usr/bin/clang-19 $WASM_CFLAGS -I "$PG_INCLUDE" -c "$c" -o "$OUT/$(basename "$c" .c).o"
  shims+=("$OUT/$(basename "$c" .c).o")
done
# Export only what Postgres looks up: the magic block and each V1 function with its finfo record.
/usr/bin/llvm-nm-19 --defined-only --format=just-symbols "$LIB" 2>/dev/null \
  | grep -E '^(Pg_magic_func|_PG_init|pg_finfo_[A-Za-z0-9_]+|[A-Za-z0-9_]+_wrapper)$' | sort -u > "$OUT/exports.txt"
exports=(); while read -r s; do exports+=("--export=$s"); done < "$OUT/exports.txt"
/usr/bin/wasm-ld-19 -shared --experimental-pic -Bdynamic --unresolved-symbols=import-dynamic \
  --no-export-dynamic --gc-sections --strip-all "${exports[@]}" \
  -o "$OUT/ruvector.raw.so" "${shims[@]}" "$LIB"

log "optimising with wasm-opt"
WASM_OPT="$REPO_ROOT/node_modules/.bin/wasm-opt"
[ -x "$WASM_OPT" ] || WASM_OPT=/usr/bin/wasm-opt
"$WASM_OPT" -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-mutable-globals --enable-sign-ext "$OUT/ruvector.raw.so" -o "$OUT/ruvector.so"

log "packing pglite/dist/ruvector.tar.gz"
[ -f "$SQL" ] || { echo "missing $SQL: run scripts/build/native.sh first (it generates the SQL)" >&2; exit 1; }
STAGE="$OUT/bundle"; rm -rf "$STAGE"
mkdir -p "$STAGE/lib/postgresql" "$STAGE/share/postgresql/extension"
cp "$OUT/ruvector.so" "$STAGE/lib/postgresql/ruvector.so"
sed "s/@CARGO_VERSION@/$VERSION/" "$REPO_ROOT/extension/ruvector/ruvector.control" > "$STAGE/share/postgresql/extension/ruvector.control"
cp "$SQL" "$STAGE/share/postgresql/extension/"
mkdir -p "$REPO_ROOT/pglite/dist"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --mtime='2000-01-01' -czf "$REPO_ROOT/pglite/dist/ruvector.tar.gz" lib share
so_bytes=$(stat -c %s "$OUT/ruvector.so"); gz_bytes=$(gzip -9 -c "$OUT/ruvector.so" | wc -c)
log "side module: $so_bytes bytes, gzipped $gz_bytes bytes; bundle $(stat -c %s "$REPO_ROOT/pglite/dist/ruvector.tar.gz") bytes"
