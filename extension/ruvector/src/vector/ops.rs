//! Distance functions, `vector_dims`, `vector_norm` and the distance operators. The math is
//! `ruvector_core::distance`; this file only validates and adapts to SQL.

use super::checks::check_same_dims;
use super::varlena::VectorRef;
use pgrx::prelude::*;
use ruvector_core::distance;

/// The two float slices of a binary operation, after pgvector's dimension check.
#[inline]
fn pair<'a>(a: &VectorRef<'a>, b: &VectorRef<'a>) -> (&'a [f32], &'a [f32]) {
    check_same_dims(a.dim(), b.dim());
    (a.as_slice(), b.as_slice())
}

#[pg_extern(
    sql = "CREATE FUNCTION l2_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l2_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    distance::l2(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn inner_product(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(distance::inner_product(a, b))
}

#[pg_extern(
    sql = "CREATE FUNCTION cosine_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn cosine_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    distance::cosine_distance(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION l1_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l1_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(distance::l1(a, b))
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
    distance::norm(a.as_slice())
}

/// The `<#>` operator's function: pgvector lists it among its "private" functions.
#[pg_extern(
    sql = "CREATE FUNCTION vector_negative_inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_negative_inner_product(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    distance::negative_inner_product(a, b)
}

/// Squared L2 distance, which index support functions use to skip the square root.
#[pg_extern(
    sql = "CREATE FUNCTION vector_l2_squared_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_l2_squared_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(distance::squared_l2(a, b))
}

/// Angular distance in [0, 1] for unit vectors (ivfflat's spherical k-means); skips the
/// norms, as pgvector does, and clamps so rounding cannot push `acos` out of its domain.
#[pg_extern(
    sql = "CREATE FUNCTION vector_spherical_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_spherical_distance(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    let dot = f64::from(distance::inner_product(a, b)).clamp(-1.0, 1.0);
    dot.acos() / core::f64::consts::PI
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
