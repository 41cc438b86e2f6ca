//! Distance functions, `vector_dims`, `l2_norm` and the distance operators on `halfvec`
//! (`crate::dense::ops`; the math is `ruvector_core::f16::distance`: elements widened to f32,
//! F16C on x86_64 when present, sums in f32 and the norm in f64, as pgvector).
//!
//! Each distance is two functions: the raw V1 entry point the install SQL names (`*_wrapper`,
//! the symbol pgrx would give it; `crate::dense::v1`), which handles well-formed arguments of
//! equal dimension without pgrx's per-call cost, and its `*_guarded` pgrx twin, which it calls
//! for everything else so errors are raised through pgrx exactly as before.

use super::HalfVecRef;
use crate::dense::ops::{self, slices};
use crate::dense::v1::dense_distance_v1;
use pgrx::prelude::*;
use ruvector_core::f16::F16;

#[pg_extern(
    sql = "CREATE FUNCTION l2_distance(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_l2_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_l2_distance_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::l2_distance(a, b)
}
dense_distance_v1!(
    halfvec_l2_distance_wrapper,
    pg_finfo_halfvec_l2_distance_wrapper,
    F16,
    slices::l2_distance,
    halfvec_l2_distance_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION inner_product(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_inner_product_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_inner_product_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::inner_product(a, b)
}
dense_distance_v1!(
    halfvec_inner_product_wrapper,
    pg_finfo_halfvec_inner_product_wrapper,
    F16,
    slices::inner_product,
    halfvec_inner_product_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION cosine_distance(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_cosine_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_cosine_distance_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::cosine_distance(a, b)
}
dense_distance_v1!(
    halfvec_cosine_distance_wrapper,
    pg_finfo_halfvec_cosine_distance_wrapper,
    F16,
    slices::cosine_distance,
    halfvec_cosine_distance_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION l1_distance(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_l1_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_l1_distance_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::l1_distance(a, b)
}
dense_distance_v1!(
    halfvec_l1_distance_wrapper,
    pg_finfo_halfvec_l1_distance_wrapper,
    F16,
    slices::l1_distance,
    halfvec_l1_distance_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION vector_dims(halfvec) RETURNS integer
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_vector_dims(a: HalfVecRef<'_>) -> i32 {
    a.dim() as i32
}

#[pg_extern(
    sql = "CREATE FUNCTION l2_norm(halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_l2_norm(a: HalfVecRef<'_>) -> f64 {
    ops::norm(a)
}

/// Squared L2 distance, which index support functions use to skip the square root.
#[pg_extern(
    sql = "CREATE FUNCTION halfvec_l2_squared_distance(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_l2_squared_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_l2_squared_distance_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::l2_squared_distance(a, b)
}
dense_distance_v1!(
    halfvec_l2_squared_distance_wrapper,
    pg_finfo_halfvec_l2_squared_distance_wrapper,
    F16,
    slices::l2_squared_distance,
    halfvec_l2_squared_distance_guarded_wrapper
);

/// The `<#>` operator's function.
#[pg_extern(
    sql = "CREATE FUNCTION halfvec_negative_inner_product(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', 'halfvec_negative_inner_product_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_negative_inner_product_guarded(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::negative_inner_product(a, b)
}
dense_distance_v1!(
    halfvec_negative_inner_product_wrapper,
    pg_finfo_halfvec_negative_inner_product_wrapper,
    F16,
    slices::negative_inner_product,
    halfvec_negative_inner_product_guarded_wrapper
);

/// Angular distance in [0, 1] for unit vectors (ivfflat's spherical k-means).
#[pg_extern(
    sql = "CREATE FUNCTION halfvec_spherical_distance(halfvec, halfvec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_spherical_distance(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> f64 {
    ops::spherical_distance(a, b)
}

extension_sql!(
    r#"
CREATE OPERATOR <-> (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = l2_distance,
	COMMUTATOR = '<->'
);

CREATE OPERATOR <#> (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_negative_inner_product,
	COMMUTATOR = '<#>'
);

CREATE OPERATOR <=> (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = cosine_distance,
	COMMUTATOR = '<=>'
);

CREATE OPERATOR <+> (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = l1_distance,
	COMMUTATOR = '<+>'
);
"#,
    name = "halfvec_distance_operators",
    requires = [
        "halfvec_type",
        halfvec_l2_distance_guarded,
        halfvec_negative_inner_product_guarded,
        halfvec_cosine_distance_guarded,
        halfvec_l1_distance_guarded,
    ],
);
