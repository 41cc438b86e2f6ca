//! Distance functions, `vector_dims`, `vector_norm` and the distance operators
//! (`crate::dense::ops`; the math is `ruvector_core::distance`).

use super::VectorRef;
use crate::dense::ops;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION l2_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l2_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l2_distance(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn inner_product(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::inner_product(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION cosine_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn cosine_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::cosine_distance(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION l1_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l1_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l1_distance(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_dims(vector) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_dims(a: VectorRef<'_>) -> i32 {
    a.dim() as i32
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_norm(vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_norm(a: VectorRef<'_>) -> f64 {
    ops::norm(a)
}

/// The `<#>` operator's function: pgvector lists it among its "private" functions.
#[pg_extern(
    sql = "CREATE FUNCTION vector_negative_inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_negative_inner_product(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::negative_inner_product(a, b)
}

/// Squared L2 distance, which index support functions use to skip the square root.
#[pg_extern(
    sql = "CREATE FUNCTION vector_l2_squared_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_l2_squared_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l2_squared_distance(a, b)
}

/// Angular distance in [0, 1] for unit vectors (ivfflat's spherical k-means); skips the
/// norms, as pgvector does, and clamps so rounding cannot push `acos` out of its domain.
#[pg_extern(
    sql = "CREATE FUNCTION vector_spherical_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_spherical_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::spherical_distance(a, b)
}

extension_sql!(
    r#"
CREATE OPERATOR <-> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = l2_distance,
	COMMUTATOR = '<->'
);

CREATE OPERATOR <#> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = vector_negative_inner_product,
	COMMUTATOR = '<#>'
);

CREATE OPERATOR <=> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = cosine_distance,
	COMMUTATOR = '<=>'
);

CREATE OPERATOR <+> (
	LEFTARG = vector, RIGHTARG = vector, PROCEDURE = l1_distance,
	COMMUTATOR = '<+>'
);
"#,
    name = "vector_distance_operators",
    requires = [
        "vector_type",
        l2_distance,
        vector_negative_inner_product,
        cosine_distance,
        l1_distance,
    ],
);
