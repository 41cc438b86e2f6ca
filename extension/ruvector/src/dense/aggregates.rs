//! The state functions behind `avg(vector)` / `avg(halfvec)`: pgvector's state, a
//! `double precision[]` of `{count, sum_1, …, sum_dim}`, so the aggregates' states and partial
//! results match pgvector's. `sum` needs nothing here (it is `+` as state and combine function).

use super::element::{Element, from_f32_checked};
use super::varlena::{Dense, DenseRef};
use crate::checks::{VECTOR, check_expected_dim};
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

/// Adds `x` to the sums, checking each sum for overflow to infinity.
fn add_checked<'a>(
    a: &'a [f64],
    b: impl Iterator<Item = f64> + 'a,
) -> impl Iterator<Item = f64> + 'a {
    a.iter().zip(b).map(|(&s, v)| {
        let sum = s + v;
        if sum.is_infinite() {
            float_overflow();
        }
        sum
    })
}

/// `vector_accum` / `halfvec_accum` (`caller` names it in the state check's message).
pub fn accum<E: Element>(
    state: Float8Array,
    value: DenseRef<'_, E>,
    caller: &str,
) -> Float8ArrayResult {
    let state = state_values(&state, caller);
    let x = value.as_slice().iter().map(|v| f64::from(v.to_f32()));
    let (count, sums) = (state[0], &state[1..]);
    // The initial state '{0}' has no sums yet: the first value fixes the dimension.
    if sums.is_empty() {
        return float8_array(core::iter::once(count + 1.0).chain(x));
    }
    check_expected_dim(sums.len() as i32, value.dim() as i64);
    float8_array(core::iter::once(count + 1.0).chain(add_checked(sums, x)))
}

/// `vector_combine`, which pgvector also binds as `halfvec_combine`. Branches on the states'
/// dimension counts, as pgvector does (not on their row counts), so that a state of no sums
/// combines with anything and every non-empty result passes vector's `CheckDim` — for halfvec too,
/// since the two share this function and its "vector cannot have more than 16000 dimensions".
pub fn combine(state1: Float8Array, state2: Float8Array) -> Float8ArrayResult {
    let s1 = state_values(&state1, "vector_combine");
    let s2 = state_values(&state2, "vector_combine");
    let (n1, n2) = (s1[0], s2[0]);
    let (sums1, sums2) = (&s1[1..], &s2[1..]);
    let n = core::iter::once(n1 + n2);
    match (sums1.is_empty(), sums2.is_empty()) {
        (true, true) => float8_array(n),
        (true, false) => {
            VECTOR.check_dim(sums2.len() as i64);
            float8_array(n.chain(sums2.iter().copied()))
        }
        (false, true) => {
            VECTOR.check_dim(sums1.len() as i64);
            float8_array(n.chain(sums1.iter().copied()))
        }
        (false, false) => {
            VECTOR.check_dim(sums1.len() as i64);
            check_expected_dim(sums1.len() as i32, sums2.len() as i64);
            float8_array(n.chain(add_checked(sums1, sums2.iter().copied())))
        }
    }
}

/// `vector_avg` / `halfvec_avg`: NULL for no rows (SQL's AVG), else each mean rounded to float4
/// and then to the element type (pgvector's `Float4ToHalf`, which reports overflow).
pub fn avg<E: Element>(state: Float8Array, caller: &str) -> Option<Dense<E>> {
    let state = state_values(&state, caller);
    let (count, sums) = (state[0], &state[1..]);
    if count == 0.0 {
        return None;
    }
    E::TYPE.check_dim(sums.len() as i64);
    let mut result = Dense::<E>::zeroed(sums.len());
    for (r, &s) in result.as_mut_slice().iter_mut().zip(sums) {
        *r = from_f32_checked::<E>((s / count) as f32);
        E::TYPE.check_element(r.to_f32());
    }
    Some(result)
}
