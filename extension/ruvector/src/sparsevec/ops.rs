//! Distance functions and operators on `sparsevec`: pgvector's dimension check, then
//! `ruvector_core::sparse` (entries merged by index, sums in f32 in index order as pgvector).

use super::varlena::SparseRef;
use crate::checks::SPARSEVEC;
use pgrx::prelude::*;
use ruvector_core::sparse::{self, SparseView};

/// The two operands after pgvector's dimension check.
fn pair<'a>(a: &SparseRef<'a>, b: &SparseRef<'a>) -> (SparseView<'a>, SparseView<'a>) {
    SPARSEVEC.check_same_dims(a.dim().into(), b.dim().into());
    (a.view(), b.view())
}

#[pg_extern(
    sql = "CREATE FUNCTION l2_distance(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_l2_distance(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    sparse::l2(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION inner_product(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_inner_product(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(sparse::inner_product(a, b))
}

#[pg_extern(
    sql = "CREATE FUNCTION cosine_distance(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_cosine_distance(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    sparse::cosine_distance(a, b)
}

#[pg_extern(
    sql = "CREATE FUNCTION l1_distance(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_l1_distance(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(sparse::l1(a, b))
}

/// Squared L2 distance, which index support functions use to skip the square root.
#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_l2_squared_distance(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_l2_squared_distance(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    f64::from(sparse::squared_l2(a, b))
}

/// The `<#>` operator's function.
#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_negative_inner_product(sparsevec, sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_negative_inner_product(a: SparseRef<'_>, b: SparseRef<'_>) -> f64 {
    let (a, b) = pair(&a, &b);
    sparse::negative_inner_product(a, b)
}

extension_sql!(
    r#"
CREATE OPERATOR <-> (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = l2_distance,
	COMMUTATOR = '<->'
);

CREATE OPERATOR <#> (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_negative_inner_product,
	COMMUTATOR = '<#>'
);

CREATE OPERATOR <=> (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = cosine_distance,
	COMMUTATOR = '<=>'
);

CREATE OPERATOR <+> (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = l1_distance,
	COMMUTATOR = '<+>'
);
"#,
    name = "sparsevec_distance_operators",
    requires = [
        "sparsevec_type",
        sparsevec_l2_distance,
        sparsevec_negative_inner_product,
        sparsevec_cosine_distance,
        sparsevec_l1_distance,
    ],
);
