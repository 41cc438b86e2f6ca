//! Calling Postgres through a function pointer on hot paths, so that PGlite calls it wasm to
//! wasm.
//!
//! In PGlite this crate is an Emscripten side module. Each Postgres function it calls by name
//! is bound at load time to a JavaScript stub from Emscripten's dynamic linker, which looks the
//! symbol up in the main module and forwards the call (`(...args) => resolved(...args)`): every
//! call leaves wasm for JS and back and allocates the argument list for the garbage collector.
//! The function's address, though, is a slot in the shared function table holding the main
//! module's own wasm function, and a call through it (`call_indirect`) stays in wasm. So hot
//! paths take the address and call through it, and `black_box` keeps the compiler from turning
//! that back into a call by name. Natively it is an ordinary call.
//!
//! Usage: `host_fn::table(Postgres_function as unsafe extern "C" fn(_, _) -> _)(a, b)`.

/// `f`, opaque to the optimiser in PGlite (see the module comment).
#[inline(always)]
pub fn table<F: Copy>(f: F) -> F {
    #[cfg(target_os = "emscripten")]
    return core::hint::black_box(f);
    #[cfg(not(target_os = "emscripten"))]
    f
}
