//! `l2_normalize`, `binary_quantize` and `subvector`, with pgvector's edge cases
//! (`crate::dense::arith`, `crate::dense::element`).

use super::{Vector, VectorRef};
use crate::dense::arith::{l2_normalize, subvector};
use crate::dense::element::Element;
use crate::sqltypes::{BitResult, bit_with_len};
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION l2_normalize(vector) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_l2_normalize(a: VectorRef<'_>) -> Vector {
    l2_normalize(a)
}

/// One bit per dimension (set when > 0), as a `bit(dim)` value.
#[pg_extern(
    sql = "CREATE FUNCTION binary_quantize(vector) RETURNS bit
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn binary_quantize(a: VectorRef<'_>) -> BitResult {
    let (result, bits) = bit_with_len(a.dim());
    f32::binary_quantize_into(a.as_slice(), bits);
    result
}

/// `count` elements from 1-based `start`, clipped to the vector like `substring`.
#[pg_extern(
    sql = "CREATE FUNCTION subvector(vector, int, int) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_subvector(a: VectorRef<'_>, start: i32, count: i32) -> Vector {
    subvector(a, start, count)
}
