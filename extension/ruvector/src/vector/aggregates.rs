//! `avg(vector)` and `sum(vector)`, with combine functions for parallel aggregation
//! (`crate::dense::aggregates`).

use super::{Vector, VectorRef};
use crate::dense::aggregates::{accum, avg, combine};
use crate::sqltypes::{Float8Array, Float8ArrayResult};
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION vector_accum(double precision[], vector) RETURNS double precision[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_accum(state: Float8Array, value: VectorRef<'_>) -> Float8ArrayResult {
    accum(state, value, "vector_accum")
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_combine(double precision[], double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_combine(state1: Float8Array, state2: Float8Array) -> Float8ArrayResult {
    combine(state1, state2)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_avg(double precision[]) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_avg(state: Float8Array) -> Option<Vector> {
    avg(state, "vector_avg")
}

extension_sql!(
    r#"
CREATE AGGREGATE avg(vector) (
	SFUNC = vector_accum,
	STYPE = double precision[],
	FINALFUNC = vector_avg,
	COMBINEFUNC = vector_combine,
	INITCOND = '{0}',
	PARALLEL = SAFE
);

CREATE AGGREGATE sum(vector) (
	SFUNC = vector_add,
	STYPE = vector,
	COMBINEFUNC = vector_add,
	PARALLEL = SAFE
);
"#,
    name = "vector_aggregates",
    requires = [
        "vector_type",
        vector_accum,
        vector_combine,
        vector_avg,
        arith::vector_add,
    ],
);
