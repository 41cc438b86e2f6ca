//! PGlite (wasm32-unknown-emscripten) only: what the side module needs from its host that
//! native Postgres gives for free. The C half lives in `wasm/pglite_shims.c`.
#![cfg(target_os = "emscripten")]

use core::ffi::{c_int, c_void};

unsafe extern "C" {
    fn longjmp(env: *mut c_void, value: c_int) -> !;
    fn ruvector_bind_error_context();
}

/// Postgres raises ERRORs with `siglongjmp`, which Emscripten implements as a JS throw caught by
/// the `invoke_*` wrappers. When such a throw passes through Rust frames, LLVM must recognise it
/// as a longjmp and rethrow it to the `sigsetjmp` in pgrx's guard rather than treat it as a Rust
/// panic (which would abort in a landing pad and hang the instance). LLVM emits that check only
/// in modules compiled with `-enable-emscripten-sjlj` *and* that use `longjmp`; this reference
/// makes the Rust side (one module under fat LTO) qualify.
#[used]
static LONGJMP_IS_USED: unsafe extern "C" fn(*mut c_void, c_int) -> ! = longjmp;

/// Points pgrx's `ErrorContext` at PGlite's (see the C shim for why it must be looked up).
pub(crate) fn init() {
    unsafe { ruvector_bind_error_context() }
}
