//! Element-wise `+`, `-`, `*` and concatenation `||` on `halfvec` (`crate::dense::arith`):
//! computed in float4 and rounded to binary16, overflow and underflow being errors.

use super::{HalfVec, HalfVecRef};
use crate::dense::arith::{concat, elementwise};
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_add(halfvec, halfvec) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_add(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> HalfVec {
    elementwise(a, b, |x, y| x + y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_sub(halfvec, halfvec) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_sub(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> HalfVec {
    elementwise(a, b, |x, y| x - y, false)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_mul(halfvec, halfvec) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_mul(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> HalfVec {
    elementwise(a, b, |x, y| x * y, true)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_concat(halfvec, halfvec) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_concat(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> HalfVec {
    concat(a, b)
}

extension_sql!(
    r#"
CREATE OPERATOR + (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_add,
	COMMUTATOR = +
);

CREATE OPERATOR - (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_sub
);

CREATE OPERATOR * (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_mul,
	COMMUTATOR = *
);

CREATE OPERATOR || (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_concat
);
"#,
    name = "halfvec_arithmetic_operators",
    requires = [
        "halfvec_type",
        halfvec_add,
        halfvec_sub,
        halfvec_mul,
        halfvec_concat
    ],
);
