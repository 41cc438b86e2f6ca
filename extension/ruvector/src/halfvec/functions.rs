//! `l2_normalize`, `binary_quantize` and `subvector` on `halfvec`, with pgvector's edge cases
//! (`crate::dense::arith`).

use super::{HalfVec, HalfVecRef};
use crate::dense::arith::{l2_normalize, subvector};
use crate::dense::element::Element;
use crate::sqltypes::{BitResult, bit_with_len};
use pgrx::prelude::*;
use ruvector_core::f16::F16;

#[pg_extern(
    sql = "CREATE FUNCTION l2_normalize(halfvec) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_l2_normalize(a: HalfVecRef<'_>) -> HalfVec {
    l2_normalize(a)
}

/// One bit per dimension (set when > 0), as a `bit(dim)` value.
#[pg_extern(
    sql = "CREATE FUNCTION binary_quantize(halfvec) RETURNS bit
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_binary_quantize(a: HalfVecRef<'_>) -> BitResult {
    let (result, bits) = bit_with_len(a.dim());
    F16::binary_quantize_into(a.as_slice(), bits);
    result
}

/// `count` elements from 1-based `start`, clipped to the value like `substring`.
#[pg_extern(
    sql = "CREATE FUNCTION subvector(halfvec, int, int) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_subvector(a: HalfVecRef<'_>, start: i32, count: i32) -> HalfVec {
    subvector(a, start, count)
}
