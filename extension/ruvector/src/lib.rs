//! ruvector's Postgres glue, written once for both targets: native PostgreSQL (x86_64) and
//! PGlite (wasm32-unknown-emscripten). All math lives in `ruvector-core`.
use pgrx::prelude::*;

::pgrx::pg_module_magic!();

mod arrays;
mod bit;
mod checks;
mod datum;
mod dense;
mod error_model;
mod float_text;
mod halfvec;
mod host_fn;
mod hnsw;
mod index;
mod ivfflat;
mod rabitq;
mod pgerror;
mod pglite;
mod sparsevec;
mod sqltypes;
mod typmod;
mod v1;
mod vector;

#[pg_guard]
pub extern "C-unwind" fn _PG_init() {
    // PGlite's error plumbing first: registering options and settings can raise errors.
    #[cfg(target_os = "emscripten")]
    pglite::init();
    hnsw::init();
    ivfflat::init();
    rabitq::init();
}
