//! Casts of `sparsevec`: the typmod coercion, to and from `vector` and `halfvec`, and from
//! arrays, as pgvector's `sparsevec`, `vector_to_sparsevec`, `sparsevec_to_vector`,
//! `halfvec_to_sparsevec`, `sparsevec_to_halfvec` and `array_to_sparsevec`.

use super::{check_nnz, nonzero_entries};
use super::varlena::{Sparse, SparseRef};
use crate::arrays::for_each_float;
use crate::checks::{SPARSEVEC, check_expected_dim};
use crate::dense::element::Element;
use crate::dense::varlena::{Dense, DenseRef};
use crate::halfvec::{HalfVec, HalfVecRef};
use crate::sqltypes::{Float4Array, Float8Array, Int4Array, NumericArray, RawArrayArg};
use crate::vector::{Vector, VectorRef};
use pgrx::prelude::*;

/// `vector_to_sparsevec` / `halfvec_to_sparsevec`: the non-zero elements, widened to float4.
/// A dense value of 16000 dimensions fits, but not one of 16000+ non-zeros: pgvector's CheckNnz.
fn dense_to_sparse<E: Element>(value: DenseRef<'_, E>, typmod: i32) -> Sparse {
    let dim = value.dim() as i32;
    SPARSEVEC.check_dim(dim.into());
    check_expected_dim(typmod, dim.into());
    let entries = nonzero_entries(value.as_slice().iter().map(|v| v.to_f32()));
    check_nnz(entries.len() as i32, dim);
    Sparse::from_entries(dim, entries.into_iter())
}

/// `sparsevec_to_vector` / `sparsevec_to_halfvec`: checked as the target type (pgvector's
/// CheckDim of the function's own file: at most 16000 dimensions), then scattered.
fn sparse_to_dense<E: Element>(value: SparseRef<'_>, typmod: i32) -> Dense<E> {
    E::TYPE.check_dim(value.dim().into());
    check_expected_dim(typmod, value.dim().into());
    let mut dense = vec![0.0f32; value.dim() as usize];
    for (&i, &v) in value.indices().iter().zip(value.values()) {
        dense[i as usize] = v;
    }
    Dense::from_f32s(&dense)
}

/// `array_to_sparsevec` for every element type: the non-zero elements (NaN counts as
/// non-zero), their count checked (pgvector's CheckNnz), then pgvector's NaN/Inf check on them.
fn array_to_sparse(array: *mut pg_sys::ArrayType, typmod: i32) -> Sparse {
    let mut values = Vec::new();
    let dim = for_each_float(array, &SPARSEVEC, typmod, &mut |x| values.push(x));
    let entries = nonzero_entries(values.into_iter());
    check_nnz(entries.len() as i32, dim as i32);
    SPARSEVEC.check_elements(entries.iter().map(|&(_, v)| v));
    Sparse::from_entries(dim as i32, entries.into_iter())
}

/// Applies a column's `sparsevec(n)` typmod to a value (the `sparsevec AS sparsevec` cast).
#[pg_extern(
    sql = "CREATE FUNCTION sparsevec(sparsevec, integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_typmod_coerce(value: SparseRef<'_>, typmod: i32, _explicit: bool) -> SparseRef<'_> {
    check_expected_dim(typmod, value.dim().into());
    value
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_to_sparsevec(vector, integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type", "vector_type"]
)]
fn vector_to_sparsevec(value: VectorRef<'_>, typmod: i32, _explicit: bool) -> Sparse {
    dense_to_sparse(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_to_vector(sparsevec, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type", "vector_type"]
)]
fn sparsevec_to_vector(value: SparseRef<'_>, typmod: i32, _explicit: bool) -> Vector {
    sparse_to_dense(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_to_sparsevec(halfvec, integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type", "halfvec_type"]
)]
fn halfvec_to_sparsevec(value: HalfVecRef<'_>, typmod: i32, _explicit: bool) -> Sparse {
    dense_to_sparse(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_to_halfvec(sparsevec, integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type", "halfvec_type"]
)]
fn sparsevec_to_halfvec(value: SparseRef<'_>, typmod: i32, _explicit: bool) -> HalfVec {
    sparse_to_dense(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_sparsevec(integer[], integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn array_to_sparsevec_int4(array: Int4Array, typmod: i32, _explicit: bool) -> Sparse {
    array_to_sparse(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_sparsevec(real[], integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn array_to_sparsevec_float4(array: Float4Array, typmod: i32, _explicit: bool) -> Sparse {
    array_to_sparse(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_sparsevec(double precision[], integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn array_to_sparsevec_float8(array: Float8Array, typmod: i32, _explicit: bool) -> Sparse {
    array_to_sparse(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_sparsevec(numeric[], integer, boolean) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn array_to_sparsevec_numeric(array: NumericArray, typmod: i32, _explicit: bool) -> Sparse {
    array_to_sparse(array.as_ptr(), typmod)
}

extension_sql!(
    r#"
CREATE CAST (sparsevec AS sparsevec)
	WITH FUNCTION sparsevec(sparsevec, integer, boolean) AS IMPLICIT;

CREATE CAST (sparsevec AS vector)
	WITH FUNCTION sparsevec_to_vector(sparsevec, integer, boolean) AS ASSIGNMENT;

CREATE CAST (vector AS sparsevec)
	WITH FUNCTION vector_to_sparsevec(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (sparsevec AS halfvec)
	WITH FUNCTION sparsevec_to_halfvec(sparsevec, integer, boolean) AS ASSIGNMENT;

CREATE CAST (halfvec AS sparsevec)
	WITH FUNCTION halfvec_to_sparsevec(halfvec, integer, boolean) AS IMPLICIT;

CREATE CAST (integer[] AS sparsevec)
	WITH FUNCTION array_to_sparsevec(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (real[] AS sparsevec)
	WITH FUNCTION array_to_sparsevec(real[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (double precision[] AS sparsevec)
	WITH FUNCTION array_to_sparsevec(double precision[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (numeric[] AS sparsevec)
	WITH FUNCTION array_to_sparsevec(numeric[], integer, boolean) AS ASSIGNMENT;
"#,
    name = "sparsevec_casts",
    requires = [
        "sparsevec_type",
        "vector_type",
        "halfvec_type",
        sparsevec_typmod_coerce,
        vector_to_sparsevec,
        sparsevec_to_vector,
        halfvec_to_sparsevec,
        sparsevec_to_halfvec,
        array_to_sparsevec_int4,
        array_to_sparsevec_float4,
        array_to_sparsevec_float8,
        array_to_sparsevec_numeric,
    ],
);
