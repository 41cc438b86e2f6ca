//! `l2_normalize`, `binary_quantize` and `subvector`, with pgvector's edge cases.

use super::checks::check_dim;
use super::varlena::{Vector, VectorRef};
use crate::pgerror::{float_overflow, raise};
use crate::sqltypes::BitResult;
use core::ptr::NonNull;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use ruvector_core::{distance, quantize};

#[pg_extern(
    sql = "CREATE FUNCTION l2_normalize(vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l2_normalize(a: VectorRef<'_>) -> Vector {
    let values = a.as_slice();
    let norm = distance::norm(values);
    let mut result = Vector::zeroed(values.len());
    // A zero vector stays zero rather than becoming NaNs.
    if norm > 0.0 {
        let out = result.as_mut_slice();
        for (r, &x) in out.iter_mut().zip(values) {
            // Divided in double like pgvector, then rounded to float4.
            *r = (f64::from(x) / norm) as f32;
        }
        if out.iter().any(|r| r.is_infinite()) {
            float_overflow();
        }
    }
    result
}

/// One bit per dimension (set when > 0), as a `bit(dim)` value.
#[pg_extern(
    sql = "CREATE FUNCTION binary_quantize(vector) RETURNS bit
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn binary_quantize(a: VectorRef<'_>) -> BitResult {
    let values = a.as_slice();
    // varbit layout: varlena header, int32 bit length, then the bits, most significant first.
    let nbytes = quantize::quantized_len(values.len());
    let size = pg_sys::VARHDRSZ + 4 + nbytes;
    // SAFETY: palloc0 gives `size` zeroed bytes or raises; every write below is in bounds.
    unsafe {
        let raw = pg_sys::palloc0(size).cast::<u8>();
        pgrx::set_varsize_4b(raw.cast(), size as i32);
        raw.add(pg_sys::VARHDRSZ)
            .cast::<i32>()
            .write(values.len() as i32);
        let bits = core::slice::from_raw_parts_mut(raw.add(pg_sys::VARHDRSZ + 4), nbytes);
        quantize::binary_quantize_into(values, bits);
        BitResult(NonNull::new_unchecked(raw.cast()))
    }
}

/// `count` elements from 1-based `start`, clipped to the vector like `substring`.
#[pg_extern(
    sql = "CREATE FUNCTION subvector(vector, int, int) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn subvector(a: VectorRef<'_>, start: i32, count: i32) -> Vector {
    let values = a.as_slice();
    let dim = values.len() as i64;
    // i64 keeps start + count from overflowing where pgvector reorders its comparisons.
    let (mut start, count) = (i64::from(start), i64::from(count));
    if count < 1 {
        raise(
            ERRCODE_DATA_EXCEPTION,
            "vector must have at least 1 dimension",
        );
    }
    let end = (start + count).min(dim + 1);
    if start < 1 {
        start = 1;
    } else if start > dim {
        raise(
            ERRCODE_DATA_EXCEPTION,
            "vector must have at least 1 dimension",
        );
    }
    check_dim(end - start);
    Vector::from_slice(&values[(start - 1) as usize..(end - 1) as usize])
}
