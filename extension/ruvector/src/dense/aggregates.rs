//! `avg(vector)` and `sum(vector)`. `avg` keeps pgvector's state, a `double precision[]` of
//! `{count, sum_1, …, sum_dim}`, so the aggregate's state and partial results match pgvector's.

use super::checks::{check_dim, check_element, check_expected_dim};
use super::varlena::{Vector, VectorRef};
use crate::pgerror::{float_overflow, raise};
use crate::sqltypes::{Float8Array, Float8ArrayResult, RawArrayArg, construct_1d_array};
use core::ptr::NonNull;
use pgrx::PgSqlErrorCode::*;
use pgrx::array::RawArray;
use pgrx::prelude::*;

/// The state's values after pgvector's `CheckStateArray` sanity check.
fn state_values<'a>(state: &'a Float8Array, caller: &str) -> &'a [f64] {
    let ptr = state.as_ptr();
    // SAFETY: a detoasted array argument; header reads only.
    let (ndim, has_nulls, elemtype) =
        unsafe { ((*ptr).ndim, (*ptr).dataoffset != 0, (*ptr).elemtype) };
    // SAFETY: as above; the pointer is non-null.
    let mut raw = unsafe { RawArray::from_ptr(NonNull::new_unchecked(ptr)) };
    let len = if ndim == 1 { raw.dims()[0] } else { 0 };
    if ndim != 1 || len < 1 || has_nulls || elemtype != pg_sys::FLOAT8OID {
        raise(
            ERRCODE_INTERNAL_ERROR,
            format!("{caller}: expected state array"),
        );
    }
    // SAFETY: a 1-D float8 array without nulls stores `len` contiguous, aligned float8s.
    unsafe { &*raw.data::<f64>().as_ptr() }
}

fn float8_array(values: impl Iterator<Item = f64>) -> Float8ArrayResult {
    // `into_datum` pallocs each float8 where it is passed by reference (32-bit targets).
    let mut datums: Vec<pg_sys::Datum> = values
        .map(|v| v.into_datum().expect("float8 datum"))
        .collect();
    Float8ArrayResult(construct_1d_array(&mut datums, pg_sys::FLOAT8OID))
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_accum(double precision[], vector) RETURNS double precision[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_accum(state: Float8Array, value: VectorRef<'_>) -> Float8ArrayResult {
    let state = state_values(&state, "vector_accum");
    let x = value.as_slice();
    let (count, sums) = (state[0], &state[1..]);
    // The initial state '{0}' has no sums yet: the first vector fixes the dimension.
    if sums.is_empty() {
        let values = x.iter().map(|&v| f64::from(v));
        return float8_array(core::iter::once(count + 1.0).chain(values));
    }
    check_expected_dim(sums.len() as i32, x.len() as i64);
    let values = sums.iter().zip(x).map(|(&s, &v)| {
        let sum = s + f64::from(v);
        if sum.is_infinite() {
            float_overflow();
        }
        sum
    });
    float8_array(core::iter::once(count + 1.0).chain(values))
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_combine(double precision[], double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_combine(state1: Float8Array, state2: Float8Array) -> Float8ArrayResult {
    let s1 = state_values(&state1, "vector_combine");
    let s2 = state_values(&state2, "vector_combine");
    let (n1, n2) = (s1[0], s2[0]);
    // An empty partial state contributes nothing, whatever its length (pgvector 0.8.0 does
    // not check dimensions here; 0.8.6's added CheckDim rejects combining two empty states).
    if n1 == 0.0 || n2 == 0.0 {
        let (n, sums) = if n1 == 0.0 {
            (n2, &s2[1..])
        } else {
            (n1, &s1[1..])
        };
        return float8_array(core::iter::once(n).chain(sums.iter().copied()));
    }
    let (sums1, sums2) = (&s1[1..], &s2[1..]);
    check_expected_dim(sums1.len() as i32, sums2.len() as i64);
    let values = sums1.iter().zip(sums2).map(|(&a, &b)| {
        let sum = a + b;
        if sum.is_infinite() {
            float_overflow();
        }
        sum
    });
    float8_array(core::iter::once(n1 + n2).chain(values))
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_avg(double precision[]) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_avg(state: Float8Array) -> Option<Vector> {
    let state = state_values(&state, "vector_avg");
    let (count, sums) = (state[0], &state[1..]);
    // SQL's AVG of no rows is NULL.
    if count == 0.0 {
        return None;
    }
    check_dim(sums.len() as i64);
    let mut result = Vector::zeroed(sums.len());
    for (r, &s) in result.as_mut_slice().iter_mut().zip(sums) {
        *r = (s / count) as f32;
        check_element(*r);
    }
    Some(result)
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
