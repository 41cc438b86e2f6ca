//! The simd128 loop shared by the kernels over 16-bit elements (f16 `halfvec`, bfloat16 index
//! values): each step has the caller's `load` widen eight elements of each side into two f32x4,
//! folds them into two accumulators, and the < 8-element rest is widened one at a time. Sums
//! are accumulated in f32, as for `vector`.

use core::arch::wasm32::*;

/// Eight elements from `i` as two f32x4 (in any order, the same for both sides); callers of
/// the loop keep `i + 8 <= len`.
pub(crate) type Load<E> = fn(&[E], usize) -> (v128, v128);

#[inline(always)]
fn fold<E: Copy>(a: &[E], b: &[E], load: Load<E>, widen: fn(E) -> f32, step: impl Fn(v128, v128, v128) -> v128, tail: impl Fn(f32, f32) -> f32) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let mut acc = [f32x4_splat(0.0); 2];
    let mut i = 0;
    while i + 8 <= n {
        let ((a0, a1), (b0, b1)) = (load(a, i), load(b, i));
        acc[0] = step(a0, b0, acc[0]);
        acc[1] = step(a1, b1, acc[1]);
        i += 8;
    }
    let mut sum = super::simd128::hsum(f32x4_add(acc[0], acc[1]));
    for j in i..n {
        sum += tail(widen(a[j]), widen(b[j]));
    }
    sum
}

/// Sum of (aᵢ - bᵢ)².
#[inline(always)]
pub(crate) fn squared_l2<E: Copy>(a: &[E], b: &[E], load: Load<E>, widen: fn(E) -> f32) -> f32 {
    fold(a, b, load, widen, |x, y, acc| {
        let d = f32x4_sub(x, y);
        f32x4_add(acc, f32x4_mul(d, d))
    }, |p, q| (p - q) * (p - q))
}

/// Dot product.
#[inline(always)]
pub(crate) fn inner_product<E: Copy>(a: &[E], b: &[E], load: Load<E>, widen: fn(E) -> f32) -> f32 {
    fold(a, b, load, widen, |x, y, acc| f32x4_add(acc, f32x4_mul(x, y)), |p, q| p * q)
}
