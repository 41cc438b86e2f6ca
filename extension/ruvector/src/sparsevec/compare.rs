//! Comparison operators and the default btree operator class on `sparsevec`, with pgvector's
//! order (`sparsevec_cmp_internal`): as if comparing the dense arrays element by element, then
//! by dimension count.

use super::varlena::SparseRef;
use core::cmp::Ordering;
use pgrx::prelude::*;

fn compare(a: SparseRef<'_>, b: SparseRef<'_>) -> Ordering {
    let (ai, av, bi, bv) = (a.indices(), a.values(), b.indices(), b.values());
    let sign = |negative: bool| {
        if negative {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    };
    let nnz = ai.len().min(bi.len());
    for k in 0..nnz {
        // The first position where only one side has a value decides by that value's sign.
        if ai[k] < bi[k] {
            return sign(av[k] < 0.0);
        }
        if ai[k] > bi[k] {
            return sign(bv[k] >= 0.0);
        }
        if av[k] < bv[k] {
            return Ordering::Less;
        }
        if av[k] > bv[k] {
            return Ordering::Greater;
        }
    }
    if ai.len() < bi.len() && bi[nnz] < a.dim() {
        return sign(bv[nnz] >= 0.0);
    }
    if ai.len() > bi.len() && ai[nnz] < b.dim() {
        return sign(av[nnz] < 0.0);
    }
    a.dim().cmp(&b.dim())
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_lt(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_lt(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_lt()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_le(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_le(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_le()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_eq(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_eq(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_eq()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_ne(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_ne(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_ne()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_ge(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_ge(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_ge()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_gt(sparsevec, sparsevec) RETURNS bool
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_gt(a: SparseRef<'_>, b: SparseRef<'_>) -> bool {
    compare(a, b).is_gt()
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_cmp(sparsevec, sparsevec) RETURNS int4
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_cmp(a: SparseRef<'_>, b: SparseRef<'_>) -> i32 {
    compare(a, b) as i32
}

extension_sql!(
    r#"
CREATE OPERATOR < (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_lt,
	COMMUTATOR = > , NEGATOR = >= ,
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);

CREATE OPERATOR <= (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_le,
	COMMUTATOR = >= , NEGATOR = > ,
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);

CREATE OPERATOR = (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_eq,
	COMMUTATOR = = , NEGATOR = <> ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR <> (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_ne,
	COMMUTATOR = <> , NEGATOR = = ,
	RESTRICT = eqsel, JOIN = eqjoinsel
);

CREATE OPERATOR >= (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_ge,
	COMMUTATOR = <= , NEGATOR = < ,
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR > (
	LEFTARG = sparsevec, RIGHTARG = sparsevec, PROCEDURE = sparsevec_gt,
	COMMUTATOR = < , NEGATOR = <= ,
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);

CREATE OPERATOR CLASS sparsevec_ops
	DEFAULT FOR TYPE sparsevec USING btree AS
	OPERATOR 1 < ,
	OPERATOR 2 <= ,
	OPERATOR 3 = ,
	OPERATOR 4 >= ,
	OPERATOR 5 > ,
	FUNCTION 1 sparsevec_cmp(sparsevec, sparsevec);
"#,
    name = "sparsevec_comparison_operators",
    requires = [
        "sparsevec_type",
        sparsevec_lt,
        sparsevec_le,
        sparsevec_eq,
        sparsevec_ne,
        sparsevec_ge,
        sparsevec_gt,
        sparsevec_cmp,
    ],
);
