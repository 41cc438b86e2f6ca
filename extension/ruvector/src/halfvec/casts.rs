//! Casts of `halfvec`: the typmod coercion, to and from `vector`, from arrays and to `real[]`,
//! as pgvector's `halfvec`, `halfvec_to_vector`, `vector_to_halfvec`, `array_to_halfvec` and
//! `halfvec_to_float4` (`crate::dense::casts`). Conversions to binary16 round to nearest-even
//! and reject finite values beyond ±65504 with pgvector's range error.

use super::{HalfVec, HalfVecRef};
use crate::dense::casts::{array_to_dense, convert, dense_to_float4, typmod_coerce};
use crate::sqltypes::{
    Float4Array, Float4ArrayResult, Float8Array, Int4Array, NumericArray, RawArrayArg,
};
use crate::vector::{Vector, VectorRef};
use pgrx::prelude::*;

/// Applies a column's `halfvec(n)` typmod to a value (the `halfvec AS halfvec` cast).
#[pg_extern(
    sql = "CREATE FUNCTION halfvec(halfvec, integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_typmod_coerce(value: HalfVecRef<'_>, typmod: i32, _explicit: bool) -> HalfVecRef<'_> {
    typmod_coerce(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_to_vector(halfvec, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type", "vector_type"]
)]
fn halfvec_to_vector(value: HalfVecRef<'_>, typmod: i32, _explicit: bool) -> Vector {
    convert(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_to_halfvec(vector, integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type", "vector_type"]
)]
fn vector_to_halfvec(value: VectorRef<'_>, typmod: i32, _explicit: bool) -> HalfVec {
    convert(value, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_halfvec(integer[], integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn array_to_halfvec_int4(array: Int4Array, typmod: i32, _explicit: bool) -> HalfVec {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_halfvec(real[], integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn array_to_halfvec_float4(array: Float4Array, typmod: i32, _explicit: bool) -> HalfVec {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_halfvec(double precision[], integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn array_to_halfvec_float8(array: Float8Array, typmod: i32, _explicit: bool) -> HalfVec {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_halfvec(numeric[], integer, boolean) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn array_to_halfvec_numeric(array: NumericArray, typmod: i32, _explicit: bool) -> HalfVec {
    array_to_dense(array.as_ptr(), typmod)
}

/// The `halfvec AS real[]` cast (an assignment cast, unlike vector's implicit one).
#[pg_extern(
    sql = "CREATE FUNCTION halfvec_to_float4(halfvec, integer, boolean) RETURNS real[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_to_float4(value: HalfVecRef<'_>, _typmod: i32, _explicit: bool) -> Float4ArrayResult {
    dense_to_float4(value)
}

extension_sql!(
    r#"
CREATE CAST (halfvec AS halfvec)
	WITH FUNCTION halfvec(halfvec, integer, boolean) AS IMPLICIT;

CREATE CAST (halfvec AS vector)
	WITH FUNCTION halfvec_to_vector(halfvec, integer, boolean) AS ASSIGNMENT;

CREATE CAST (vector AS halfvec)
	WITH FUNCTION vector_to_halfvec(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (halfvec AS real[])
	WITH FUNCTION halfvec_to_float4(halfvec, integer, boolean) AS ASSIGNMENT;

CREATE CAST (integer[] AS halfvec)
	WITH FUNCTION array_to_halfvec(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (real[] AS halfvec)
	WITH FUNCTION array_to_halfvec(real[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (double precision[] AS halfvec)
	WITH FUNCTION array_to_halfvec(double precision[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (numeric[] AS halfvec)
	WITH FUNCTION array_to_halfvec(numeric[], integer, boolean) AS ASSIGNMENT;
"#,
    name = "halfvec_casts",
    requires = [
        "halfvec_type",
        "vector_type",
        halfvec_typmod_coerce,
        halfvec_to_vector,
        vector_to_halfvec,
        array_to_halfvec_int4,
        array_to_halfvec_float4,
        array_to_halfvec_float8,
        array_to_halfvec_numeric,
        halfvec_to_float4,
    ],
);
