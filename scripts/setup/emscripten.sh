#!/usr/bin/env bash
# Emscripten 6.0.5 (Debian sid, arch:all) unpacked into the cache and made to run on bookworm's
# LLVM 19. We need it only to configure PostgreSQL 18.6 for wasm32 and for its sysroot headers;
# the side module itself is compiled by clang-19 and rustc and linked by wasm-ld-19.
# Prints nothing; leaves $TOOLCHAIN_DIR/emscripten/{config,sysroot} ready, with .ready written
# last; a run that fails part-way removes what it wrote (rebuild_cache_entry).
source "$(dirname "$0")/common.sh"
EM_DIR="$TOOLCHAIN_DIR/emscripten"
[ -f "$EM_DIR/.ready" ] && exit 0
lock_cache emscripten
[ -f "$EM_DIR/.ready" ] && exit 0 # another run finished it while this one waited for the lock
ensure_debs clang-19 lld-19 llvm-19 binaryen
command -v node >/dev/null || ensure_debs nodejs npm
log "setting up emscripten 6.0.5 from Debian sid"
rebuild_cache_entry "$EM_DIR"; mkdir -p "$EM_DIR/llvm" "$EM_DIR/cache"
# Only sid's binary-all index is asked for (emscripten is arch:all).
bash "$(dirname "$0")/fetch-debian.sh" download emscripten "$EM_DIR/debs"
dpkg -x "$EM_DIR"/debs/emscripten_*.deb "$EM_DIR/root"
EMSDK="$EM_DIR/root/usr/share/emscripten"

# emscripten 6 assumes LLVM >= 20, whose wasm defaults include bulk memory and non-trapping
# float-to-int; LLVM 19 needs them spelled out. EMCC_CFLAGS does not reach emscripten's own
# system-library builds, hence wrappers in front of clang.
for tool in /usr/lib/llvm-19/bin/*; do ln -sf "$tool" "$EM_DIR/llvm/$(basename "$tool")"; done
for cc in clang clang++; do
  rm -f "$EM_DIR/llvm/$cc"
  printf '#!/bin/sh\nexec /usr/lib/llvm-19/bin/%s -mbulk-memory -mnontrapping-fptoint "$@"\n' "$cc" > "$EM_DIR/llvm/$cc"
  chmod +x "$EM_DIR/llvm/$cc"
done

# clang 19 lacks the __INTn_C builtin macros musl's stdint.h relies on.
stdint="$EMSDK/system/lib/libc/musl/include/stdint.h"
cat >> "$stdint" <<'H'

/* ruvector: fallbacks for compilers without the __INTn_C builtin macros (clang < 20). */
#ifndef __INT8_C
#define __INT8_C(c) c
#define __INT16_C(c) c
#define __INT32_C(c) c
#define __INT64_C(c) c##LL
#define __INTMAX_C(c) c##LL
#define __UINT8_C(c) c
#define __UINT16_C(c) c
#define __UINT32_C(c) c##U
#define __UINT64_C(c) c##ULL
#define __UINTMAX_C(c) c##ULL
#endif
H

cat > "$EM_DIR/config" <<CFG
LLVM_ROOT = '$EM_DIR/llvm'
BINARYEN_ROOT = '/usr'
NODE_JS = '$(command -v node)'
CACHE = '$EM_DIR/cache'
CFG
(cd "$EMSDK" && retry "npm install acorn acorn-import-phases (emscripten's JS dependencies) from the npm registry" \
  npm install --no-save --no-audit --no-fund --silent acorn acorn-import-phases >/dev/null)
# Populate the sysroot (headers + libc cache) once, so later steps can use it read-only.
echo 'int main(void){return 0;}' > "$EM_DIR/probe.c"
EM_CONFIG="$EM_DIR/config" "$EMSDK/emcc" "$EM_DIR/probe.c" -o "$EM_DIR/probe.js" 2>&1 | grep -v "LLVM version" >&2 || true
[ -d "$EM_DIR/cache/sysroot/include" ] || { echo "emscripten sysroot missing" >&2; exit 1; }
touch "$EM_DIR/.ready"
