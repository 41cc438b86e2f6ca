//! PGlite (wasm32-unknown-emscripten) only.
//!
//! Postgres raises ERRORs with `siglongjmp`, which Emscripten implements as a JS throw caught by
//! the `invoke_*` wrappers. When such a throw passes through Rust frames, LLVM must recognise it
//! as a longjmp and rethrow it to the `sigsetjmp` in pgrx's guard, rather than treating it as a
//! Rust panic (which would abort inside the landing pad and hang the instance). LLVM emits that
//! check only in modules compiled with `-enable-emscripten-sjlj` *and* that use `longjmp`; this
//! reference makes the Rust side (one module under fat LTO) qualify.
#![cfg(target_os = "emscripten")]

use core::ffi::{c_int, c_void};

unsafe extern "C" {
    fn longjmp(env: *mut c_void, value: c_int) -> !;
}

#[used]
static LONGJMP_IS_USED: unsafe extern "C" fn(*mut c_void, c_int) -> ! = longjmp;
