//! Casts between `vector` and arrays, and the `vector(vector, int4, bool)` typmod coercion,
//! as pgvector's `array_to_vector`, `vector_to_float4` and `vector` (`crate::dense::casts`).

use super::{Vector, VectorRef};
use crate::dense::casts::{array_to_dense, dense_to_float4, typmod_coerce};
use crate::sqltypes::{
    Float4Array, Float4ArrayResult, Float8Array, Int4Array, NumericArray, RawArrayArg,
};
use pgrx::prelude::*;

/// Applies a column's `vector(n)` typmod to a value (the `vector AS vector` cast).
#[pg_extern(
    sql = "CREATE FUNCTION vector(vector, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_typmod_coerce(vector: VectorRef<'_>, typmod: i32, _explicit: bool) -> VectorRef<'_> {
    typmod_coerce(vector, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(integer[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_int4(array: Int4Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(real[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_float4(array: Float4Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(double precision[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_float8(array: Float8Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_dense(array.as_ptr(), typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(numeric[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_numeric(array: NumericArray, typmod: i32, _explicit: bool) -> Vector {
    array_to_dense(array.as_ptr(), typmod)
}

/// The implicit `vector AS real[]` cast.
#[pg_extern(
    sql = "CREATE FUNCTION vector_to_float4(vector, integer, boolean) RETURNS real[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_to_float4(vector: VectorRef<'_>, _typmod: i32, _explicit: bool) -> Float4ArrayResult {
    dense_to_float4(vector)
}

extension_sql!(
    r#"
CREATE CAST (vector AS vector)
	WITH FUNCTION vector(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (vector AS real[])
	WITH FUNCTION vector_to_float4(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (integer[] AS vector)
	WITH FUNCTION array_to_vector(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (real[] AS vector)
	WITH FUNCTION array_to_vector(real[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (double precision[] AS vector)
	WITH FUNCTION array_to_vector(double precision[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (numeric[] AS vector)
	WITH FUNCTION array_to_vector(numeric[], integer, boolean) AS ASSIGNMENT;
"#,
    name = "vector_casts",
    requires = [
        "vector_type",
        vector_typmod_coerce,
        vector_to_float4,
        array_to_vector_int4,
        array_to_vector_float4,
        array_to_vector_float8,
        array_to_vector_numeric,
    ],
);
