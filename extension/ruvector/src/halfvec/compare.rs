//! Comparison operators and the default btree operator class on `halfvec`, ordered element by
//! element (as float4), then by length (`crate::dense::compare`).

use super::HalfVecRef;
use crate::dense::compare::compare;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_lt(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_lt(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_lt()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_le(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_le(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_le()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_eq(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_eq(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_eq()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_ne(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_ne(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_ne()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_ge(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_ge(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_ge()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_gt(halfvec, halfvec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_gt(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> bool {
    compare(a, b).is_gt()
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_cmp(halfvec, halfvec) RETURNS int4
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_cmp(a: HalfVecRef<'_>, b: HalfVecRef<'_>) -> i32 {
    compare(a, b) as i32
}

extension_sql!(
    r#"
CREATE OPERATOR < (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_lt,
	COMMUTATOR = > , NEGATOR = >= ,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR <= (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_le,
	COMMUTATOR = >= , NEGATOR = > ,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR = (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_eq,
	COMMUTATOR = = , NEGATOR = <> ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR <> (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_ne,
	COMMUTATOR = <> , NEGATOR = = ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR >= (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_ge,
	COMMUTATOR = <= , NEGATOR = < ,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR > (
	LEFTARG = halfvec, RIGHTARG = halfvec, PROCEDURE = halfvec_gt,
	COMMUTATOR = < , NEGATOR = <= ,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR CLASS halfvec_ops
	DEFAULT FOR TYPE halfvec USING btree AS
	OPERATOR 1 < ,
	OPERATOR 2 <= ,
	OPERATOR 3 = ,
	OPERATOR 4 >= ,
	OPERATOR 5 > ,
	FUNCTION 1 halfvec_cmp(halfvec, halfvec);
"#,
    name = "halfvec_comparison_operators",
    requires = [
        "halfvec_type",
        halfvec_lt,
        halfvec_le,
        halfvec_eq,
        halfvec_ne,
        halfvec_ge,
        halfvec_gt,
        halfvec_cmp,
    ],
);
