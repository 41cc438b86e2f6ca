//! Element-wise `+`, `-`, `*`, concatenation, `subvector` and `l2_normalize` for `vector` and
//! `halfvec`, with pgvector's arithmetic (in float4, rounded to the element type) and its
//! overflow/underflow errors (Postgres' own "value out of range" reports).

use super::element::Element;
use super::varlena::{Dense, DenseRef};
use crate::pgerror::{float_overflow, float_underflow};

/// `a op b` element-wise in f32, rounded to `E`, then pgvector's checks in element order:
/// overflow to infinity is an error, and (for `*`) so is a nonzero product that underflowed
/// to zero. (pgvector's `_Float16` build computes in half precision; rounding the float4
/// result gives the same value, since float4 keeps more than twice half's precision.)
pub fn elementwise<E: Element>(
    a: DenseRef<'_, E>,
    b: DenseRef<'_, E>,
    op: impl Fn(f32, f32) -> f32,
    check_underflow: bool,
) -> Dense<E> {
    E::TYPE.check_same_dims(a.dim() as i64, b.dim() as i64);
    let (a, b) = (a.as_slice(), b.as_slice());
    let mut result = Dense::<E>::zeroed(a.len());
    let out = result.as_mut_slice();
    for ((r, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *r = E::from_f32_unchecked(op(x.to_f32(), y.to_f32()));
    }
    for ((&r, &x), &y) in out.iter().zip(a).zip(b) {
        if r.is_infinite() {
            float_overflow();
        }
        if check_underflow && r.is_zero() && !(x.is_zero() || y.is_zero()) {
            float_underflow();
        }
    }
    result
}

pub fn concat<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> Dense<E> {
    let (a, b) = (a.as_slice(), b.as_slice());
    E::TYPE.check_dim((a.len() + b.len()) as i64);
    let mut result = Dense::<E>::zeroed(a.len() + b.len());
    let (head, tail) = result.as_mut_slice().split_at_mut(a.len());
    head.copy_from_slice(a);
    tail.copy_from_slice(b);
    result
}

/// `count` elements from 1-based `start`, clipped to the value like `substring`.
pub fn subvector<E: Element>(a: DenseRef<'_, E>, start: i32, count: i32) -> Dense<E> {
    let values = a.as_slice();
    let dim = values.len() as i64;
    // i64 keeps start + count from overflowing where pgvector reorders its comparisons.
    let (mut start, count) = (i64::from(start), i64::from(count));
    if count < 1 {
        E::TYPE.no_dimensions();
    }
    let end = (start + count).min(dim + 1);
    if start < 1 {
        start = 1;
    } else if start > dim {
        E::TYPE.no_dimensions();
    }
    E::TYPE.check_dim(end - start);
    Dense::from_slice(&values[(start - 1) as usize..(end - 1) as usize])
}

/// Scaled to unit Euclidean length; a zero vector stays zero rather than becoming NaNs.
pub fn l2_normalize<E: Element>(a: DenseRef<'_, E>) -> Dense<E> {
    let values = a.as_slice();
    let norm = E::norm(values);
    let mut result = Dense::<E>::zeroed(values.len());
    if norm > 0.0 {
        let out = result.as_mut_slice();
        for (r, &x) in out.iter_mut().zip(values) {
            // Divided in double like pgvector, rounded to float4, then to the element type.
            *r = E::from_f32_unchecked((f64::from(x.to_f32()) / norm) as f32);
        }
        if out.iter().any(|r| r.is_infinite()) {
            float_overflow();
        }
    }
    result
}
