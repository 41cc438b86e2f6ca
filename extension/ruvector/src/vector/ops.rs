//! Distance functions, `vector_dims`, `vector_norm` and the distance operators
//! (`crate::dense::ops`; the math is `ruvector_core::distance`).
//!
//! Each distance is two functions: the raw V1 entry point the install SQL names (`*_wrapper`,
//! the symbol pgrx would give it; `crate::dense::v1`), which handles well-formed arguments of
//! equal dimension without pgrx's per-call cost, and its `*_guarded` pgrx twin, which it calls
//! for everything else so errors are raised through pgrx exactly as before.

use super::VectorRef;
use crate::dense::ops::{self, slices};
use crate::dense::v1::dense_distance_v1;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION l2_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'l2_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l2_distance_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l2_distance(a, b)
}
dense_distance_v1!(
    l2_distance_wrapper,
    pg_finfo_l2_distance_wrapper,
    f32,
    slices::l2_distance,
    l2_distance_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION inner_product(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'inner_product_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn inner_product_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::inner_product(a, b)
}
dense_distance_v1!(
    inner_product_wrapper,
    pg_finfo_inner_product_wrapper,
    f32,
    slices::inner_product,
    inner_product_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION cosine_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'cosine_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn cosine_distance_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::cosine_distance(a, b)
}
dense_distance_v1!(
    cosine_distance_wrapper,
    pg_finfo_cosine_distance_wrapper,
    f32,
    slices::cosine_distance,
    cosine_distance_guarded_wrapper
);

#[pg_extern(
    sql = "CREATE FUNCTION l1_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'l1_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn l1_distance_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l1_distance(a, b)
}
dense_distance_v1!(
    l1_distance_wrapper,
    pg_finfo_l1_distance_wrapper,
    f32,
    slices::l1_distance,
    l1_distance_guarded_wrapper
);

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
	AS 'MODULE_PATHNAME', 'vector_negative_inner_product_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_negative_inner_product_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::negative_inner_product(a, b)
}
dense_distance_v1!(
    vector_negative_inner_product_wrapper,
    pg_finfo_vector_negative_inner_product_wrapper,
    f32,
    slices::negative_inner_product,
    vector_negative_inner_product_guarded_wrapper
);

/// Squared L2 distance, which index support functions use to skip the square root.
#[pg_extern(
    sql = "CREATE FUNCTION vector_l2_squared_distance(vector, vector) RETURNS float8
	AS 'MODULE_PATHNAME', 'vector_l2_squared_distance_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_l2_squared_distance_guarded(a: VectorRef<'_>, b: VectorRef<'_>) -> f64 {
    ops::l2_squared_distance(a, b)
}
dense_distance_v1!(
    vector_l2_squared_distance_wrapper,
    pg_finfo_vector_l2_squared_distance_wrapper,
    f32,
    slices::l2_squared_distance,
    vector_l2_squared_distance_guarded_wrapper
);

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
        l2_distance_guarded,
        vector_negative_inner_product_guarded,
        cosine_distance_guarded,
        l1_distance_guarded,
    ],
);
