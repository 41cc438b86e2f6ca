//! `vector_typmod_in`: the `n` in `vector(n)`. pgvector defines no typmod_out, so Postgres
//! prints `vector(n)` itself; defining one would change `\dT`/`\df` against pgvector.

use super::checks::VECTOR_MAX_DIM;
use crate::pgerror::raise;
use crate::sqltypes::{CStringArray, RawArrayArg};
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

#[pg_extern(sql = "CREATE FUNCTION vector_typmod_in(cstring[]) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;")]
fn vector_typmod_in(modifiers: CStringArray) -> i32 {
    let mut count: core::ffi::c_int = 0;
    // Postgres parses the modifiers itself so `vector('a')` fails with its own integer error.
    // SAFETY: a detoasted cstring[] argument; the result has `count` int32s.
    let typmods = unsafe {
        let ptr = pg_sys::ArrayGetIntegerTypmods(modifiers.as_ptr(), &mut count);
        core::slice::from_raw_parts(ptr, count.max(0) as usize)
    };
    let &[dim] = typmods else {
        raise(ERRCODE_INVALID_PARAMETER_VALUE, "invalid type modifier");
    };
    if dim < 1 {
        raise(
            ERRCODE_INVALID_PARAMETER_VALUE,
            "dimensions for type vector must be at least 1",
        );
    }
    if dim > VECTOR_MAX_DIM as i32 {
        raise(
            ERRCODE_INVALID_PARAMETER_VALUE,
            format!("dimensions for type vector cannot exceed {VECTOR_MAX_DIM}"),
        );
    }
    dim
}
