//! WebAssembly SIMD kernels, compiled only when the module is built with
//! `simd128` (wasm has no run-time feature detection: an engine without SIMD
//! rejects the whole module). There is no fused multiply-add in baseline
//! simd128, so products and sums round separately, like the scalar path.

use core::arch::wasm32::*;

#[inline]
fn load(s: &[f32], i: usize) -> v128 {
    assert!(i + 4 <= s.len());
    // SAFETY: bounds checked above; v128_load has no alignment requirement.
    unsafe { v128_load(s.as_ptr().add(i) as *const v128) }
}

#[inline]
pub(crate) fn hsum(v: v128) -> f32 {
    (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<2>(v))
        + (f32x4_extract_lane::<1>(v) + f32x4_extract_lane::<3>(v))
}

/// Sum of (aᵢ - bᵢ)², accumulated in f32.
pub fn squared_l2(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let (mut acc0, mut acc1) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 8 <= n {
        let d0 = f32x4_sub(load(a, i), load(b, i));
        let d1 = f32x4_sub(load(a, i + 4), load(b, i + 4));
        acc0 = f32x4_add(acc0, f32x4_mul(d0, d0));
        acc1 = f32x4_add(acc1, f32x4_mul(d1, d1));
        i += 8;
    }
    if i + 4 <= n {
        let d = f32x4_sub(load(a, i), load(b, i));
        acc0 = f32x4_add(acc0, f32x4_mul(d, d));
        i += 4;
    }
    let mut sum = hsum(f32x4_add(acc0, acc1));
    for j in i..n {
        let d = a[j] - b[j];
        sum += d * d;
    }
    sum
}

/// Dot product, accumulated in f32.
pub fn inner_product(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let (mut acc0, mut acc1) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 8 <= n {
        acc0 = f32x4_add(acc0, f32x4_mul(load(a, i), load(b, i)));
        acc1 = f32x4_add(acc1, f32x4_mul(load(a, i + 4), load(b, i + 4)));
        i += 8;
    }
    if i + 4 <= n {
        acc0 = f32x4_add(acc0, f32x4_mul(load(a, i), load(b, i)));
        i += 4;
    }
    let mut sum = hsum(f32x4_add(acc0, acc1));
    for j in i..n {
        sum += a[j] * b[j];
    }
    sum
}

/// (a·b, |a|², |b|²) in one pass, each accumulated in f32.
pub fn dot_and_norms(a: &[f32], b: &[f32]) -> (f32, f32, f32) {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let (mut ab, mut aa, mut bb) = (f32x4_splat(0.0), f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 4 <= n {
        let (x, y) = (load(a, i), load(b, i));
        ab = f32x4_add(ab, f32x4_mul(x, y));
        aa = f32x4_add(aa, f32x4_mul(x, x));
        bb = f32x4_add(bb, f32x4_mul(y, y));
        i += 4;
    }
    let (mut dot, mut na, mut nb) = (hsum(ab), hsum(aa), hsum(bb));
    for j in i..n {
        dot += a[j] * b[j];
        na += a[j] * a[j];
        nb += b[j] * b[j];
    }
    (dot, na, nb)
}

/// Sum of |aᵢ - bᵢ|, accumulated in f32.
pub fn l1(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let (mut acc0, mut acc1) = (f32x4_splat(0.0), f32x4_splat(0.0));
    let mut i = 0;
    while i + 8 <= n {
        acc0 = f32x4_add(acc0, f32x4_abs(f32x4_sub(load(a, i), load(b, i))));
        acc1 = f32x4_add(acc1, f32x4_abs(f32x4_sub(load(a, i + 4), load(b, i + 4))));
        i += 8;
    }
    if i + 4 <= n {
        acc0 = f32x4_add(acc0, f32x4_abs(f32x4_sub(load(a, i), load(b, i))));
        i += 4;
    }
    let mut sum = hsum(f32x4_add(acc0, acc1));
    for j in i..n {
        sum += (a[j] - b[j]).abs();
    }
    sum
}

/// Sum of aᵢ² in f64.
pub fn sum_of_squares(a: &[f32]) -> f64 {
    let n = a.len();
    let (mut acc0, mut acc1) = (f64x2_splat(0.0), f64x2_splat(0.0));
    let mut i = 0;
    while i + 4 <= n {
        let x = load(a, i);
        let lo = f64x2_promote_low_f32x4(x);
        let hi = f64x2_promote_low_f32x4(i32x4_shuffle::<2, 3, 0, 1>(x, x));
        acc0 = f64x2_add(acc0, f64x2_mul(lo, lo));
        acc1 = f64x2_add(acc1, f64x2_mul(hi, hi));
        i += 4;
    }
    let acc = f64x2_add(acc0, acc1);
    let mut sum = f64x2_extract_lane::<0>(acc) + f64x2_extract_lane::<1>(acc);
    for &x in &a[i..] {
        sum += x as f64 * x as f64;
    }
    sum
}
