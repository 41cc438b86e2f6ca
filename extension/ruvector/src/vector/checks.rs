//! pgvector's validation rules, with its exact messages and SQLSTATEs (`CheckDim`,
//! `CheckExpectedDim`, `CheckElement`, `CheckDims` in pgvector's `src/vector.c`).

use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;

/// `VECTOR_MAX_DIM`: also what keeps every size computation far from 32-bit limits.
pub const VECTOR_MAX_DIM: usize = 16000;

/// Dimension count must be 1..=16000. Takes `i64` so callers can pass a raw `int16`, a
/// `c_int` or a `usize` count without a lossy cast first.
pub fn check_dim(dim: i64) {
    if dim < 1 {
        raise(
            ERRCODE_DATA_EXCEPTION,
            "vector must have at least 1 dimension",
        );
    }
    if dim > VECTOR_MAX_DIM as i64 {
        too_many_dims();
    }
}

pub fn too_many_dims() -> ! {
    raise(
        ERRCODE_PROGRAM_LIMIT_EXCEEDED,
        format!("vector cannot have more than {VECTOR_MAX_DIM} dimensions"),
    )
}

/// A typmod of -1 means "any dimension count".
pub fn check_expected_dim(typmod: i32, dim: i64) {
    if typmod != -1 && i64::from(typmod) != dim {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("expected {typmod} dimensions, not {dim}"),
        );
    }
}

#[inline]
pub fn check_element(value: f32) {
    if !value.is_finite() {
        non_finite(value);
    }
}

#[cold]
fn non_finite(value: f32) -> ! {
    if value.is_nan() {
        raise(ERRCODE_DATA_EXCEPTION, "NaN not allowed in vector");
    }
    raise(
        ERRCODE_DATA_EXCEPTION,
        "infinite value not allowed in vector",
    )
}

#[inline]
pub fn check_elements(values: &[f32]) {
    if !values.iter().all(|v| v.is_finite()) {
        values.iter().copied().for_each(check_element);
    }
}

/// Binary operations need equal dimension counts.
#[inline]
pub fn check_same_dims(a: usize, b: usize) {
    if a != b {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("different vector dimensions {a} and {b}"),
        );
    }
}
