//! ruvector's Postgres glue, written once for both targets: native PostgreSQL (x86_64) and
//! PGlite (wasm32-unknown-emscripten). All math lives in `ruvector-core`.
use pgrx::prelude::*;

::pgrx::pg_module_magic!();

mod error_model;
mod pgerror;
mod sqltypes;
mod vector;
// Keep: PGlite error handling depends on it (see the module docs).
mod wasm_sjlj;
