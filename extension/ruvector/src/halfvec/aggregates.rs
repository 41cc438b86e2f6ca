//! `avg(halfvec)` and `sum(halfvec)`, with combine functions for parallel aggregation
//! (`crate::dense::aggregates`). As in pgvector, `halfvec_combine` is bound to the very same C
//! function as `vector_combine`: the float8 state does not depend on the element type.

use super::{HalfVec, HalfVecRef};
use crate::dense::aggregates::{accum, avg};
use crate::sqltypes::{Float8Array, Float8ArrayResult};
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_accum(double precision[], halfvec) RETURNS double precision[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_accum(state: Float8Array, value: HalfVecRef<'_>) -> Float8ArrayResult {
    accum(state, value, "halfvec_accum")
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_avg(double precision[]) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_type"]
)]
fn halfvec_avg(state: Float8Array) -> Option<HalfVec> {
    avg(state, "halfvec_avg")
}

extension_sql!(
    r#"
CREATE FUNCTION halfvec_combine(double precision[], double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'vector_combine_wrapper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE avg(halfvec) (
	SFUNC = halfvec_accum,
	STYPE = double precision[],
	FINALFUNC = halfvec_avg,
	COMBINEFUNC = halfvec_combine,
	INITCOND = '{0}',
	PARALLEL = SAFE
);

CREATE AGGREGATE sum(halfvec) (
	SFUNC = halfvec_add,
	STYPE = halfvec,
	COMBINEFUNC = halfvec_add,
	PARALLEL = SAFE
);
"#,
    name = "halfvec_aggregates",
    requires = [
        "halfvec_type",
        halfvec_accum,
        halfvec_avg,
        vector::aggregates::vector_combine,
        halfvec::arith::halfvec_add,
    ],
);
