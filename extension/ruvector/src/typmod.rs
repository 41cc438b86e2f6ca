//! The `n` in `vector(n)`, `halfvec(n)` and `sparsevec(n)`: one parser for every type's
//! `*_typmod_in`. pgvector defines no typmod_out, so Postgres prints `vector(n)` itself;
//! defining one would change `\dT`/`\df` against pgvector.

use crate::checks::VecType;
use crate::pgerror::raise;
use crate::sqltypes::{CStringArray, RawArrayArg};
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

pub fn parse_typmod(modifiers: CStringArray, ty: &VecType) -> i32 {
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
            format!("dimensions for type {} must be at least 1", ty.name),
        );
    }
    if dim > ty.max_dim {
        raise(
            ERRCODE_INVALID_PARAMETER_VALUE,
            format!(
                "dimensions for type {} cannot exceed {}",
                ty.name, ty.max_dim
            ),
        );
    }
    dim
}
