//! AVX2 + FMA kernels (x86_64). Four 8-lane accumulators per sum hide the FMA
//! latency; the < 8-element tail is finished in scalar code.

use core::arch::x86_64::*;

/// Horizontal sum of eight f32 lanes.
#[inline]
#[target_feature(enable = "avx2,fma")]
pub(crate) fn hsum(v: __m256) -> f32 {
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps::<0b01>(s, s)))
}

#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum_pd(v: __m256d) -> f64 {
    let s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd::<1>(v));
    _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)))
}

/// Unaligned load of `s[i..i + 8]`; callers keep `i + 8 <= s.len()`.
#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn load(s: &[f32], i: usize) -> __m256 {
    debug_assert!(i + 8 <= s.len());
    unsafe { _mm256_loadu_ps(s.as_ptr().add(i)) }
}

/// Sum of (aᵢ - bᵢ)².
///
/// # Safety
/// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn squared_l2(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len()); // keeps the loads in bounds even if callers err
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: every load below reads [i, i + 8) with i + 8 <= n.
    unsafe {
        while i + 32 <= n {
            for (k, acc) in acc.iter_mut().enumerate() {
                let d = _mm256_sub_ps(load(a, i + 8 * k), load(b, i + 8 * k));
                *acc = _mm256_fmadd_ps(d, d, *acc);
            }
            i += 32;
        }
        while i + 8 <= n {
            let d = _mm256_sub_ps(load(a, i), load(b, i));
            acc[0] = _mm256_fmadd_ps(d, d, acc[0]);
            i += 8;
        }
    }
    let mut sum = hsum(_mm256_add_ps(
        _mm256_add_ps(acc[0], acc[1]),
        _mm256_add_ps(acc[2], acc[3]),
    ));
    for j in i..n {
        let d = a[j] - b[j];
        sum += d * d;
    }
    sum
}

/// Dot product.
///
/// # Safety
/// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn inner_product(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: every load below reads [i, i + 8) with i + 8 <= n.
    unsafe {
        while i + 32 <= n {
            for (k, acc) in acc.iter_mut().enumerate() {
                *acc = _mm256_fmadd_ps(load(a, i + 8 * k), load(b, i + 8 * k), *acc);
            }
            i += 32;
        }
        while i + 8 <= n {
            acc[0] = _mm256_fmadd_ps(load(a, i), load(b, i), acc[0]);
            i += 8;
        }
    }
    let mut sum = hsum(_mm256_add_ps(
        _mm256_add_ps(acc[0], acc[1]),
        _mm256_add_ps(acc[2], acc[3]),
    ));
    for j in i..n {
        sum += a[j] * b[j];
    }
    sum
}

/// (a·b, |a|², |b|²) in one pass.
///
/// # Safety
/// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn dot_and_norms(a: &[f32], b: &[f32]) -> (f32, f32, f32) {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    // Two accumulators per sum: six live chains are enough to cover FMA latency.
    let (mut ab, mut aa, mut bb) = (
        [_mm256_setzero_ps(); 2],
        [_mm256_setzero_ps(); 2],
        [_mm256_setzero_ps(); 2],
    );
    let mut i = 0;
    // SAFETY: every load below reads [i, i + 8) with i + 8 <= n.
    unsafe {
        while i + 16 <= n {
            for k in 0..2 {
                let (x, y) = (load(a, i + 8 * k), load(b, i + 8 * k));
                ab[k] = _mm256_fmadd_ps(x, y, ab[k]);
                aa[k] = _mm256_fmadd_ps(x, x, aa[k]);
                bb[k] = _mm256_fmadd_ps(y, y, bb[k]);
            }
            i += 16;
        }
        if i + 8 <= n {
            let (x, y) = (load(a, i), load(b, i));
            ab[0] = _mm256_fmadd_ps(x, y, ab[0]);
            aa[0] = _mm256_fmadd_ps(x, x, aa[0]);
            bb[0] = _mm256_fmadd_ps(y, y, bb[0]);
            i += 8;
        }
    }
    let mut dot = hsum(_mm256_add_ps(ab[0], ab[1]));
    let mut na = hsum(_mm256_add_ps(aa[0], aa[1]));
    let mut nb = hsum(_mm256_add_ps(bb[0], bb[1]));
    for j in i..n {
        dot += a[j] * b[j];
        na += a[j] * a[j];
        nb += b[j] * b[j];
    }
    (dot, na, nb)
}

/// Sum of |aᵢ - bᵢ|.
///
/// # Safety
/// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn l1(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    // Clearing the sign bit is |x| without a compare or a branch.
    let abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(i32::MAX));
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY: every load below reads [i, i + 8) with i + 8 <= n.
    unsafe {
        while i + 32 <= n {
            for (k, acc) in acc.iter_mut().enumerate() {
                let d = _mm256_sub_ps(load(a, i + 8 * k), load(b, i + 8 * k));
                *acc = _mm256_add_ps(*acc, _mm256_and_ps(d, abs_mask));
            }
            i += 32;
        }
        while i + 8 <= n {
            let d = _mm256_sub_ps(load(a, i), load(b, i));
            acc[0] = _mm256_add_ps(acc[0], _mm256_and_ps(d, abs_mask));
            i += 8;
        }
    }
    let mut sum = hsum(_mm256_add_ps(
        _mm256_add_ps(acc[0], acc[1]),
        _mm256_add_ps(acc[2], acc[3]),
    ));
    for j in i..n {
        sum += (a[j] - b[j]).abs();
    }
    sum
}

/// Sum of aᵢ² in f64.
///
/// # Safety
/// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
#[target_feature(enable = "avx2,fma")]
pub unsafe fn sum_of_squares(a: &[f32]) -> f64 {
    let n = a.len();
    let mut acc = [_mm256_setzero_pd(); 2];
    let mut i = 0;
    // SAFETY: the load reads [i, i + 8) with i + 8 <= n.
    unsafe {
        while i + 8 <= n {
            let x = load(a, i);
            let lo = _mm256_cvtps_pd(_mm256_castps256_ps128(x));
            let hi = _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(x));
            acc[0] = _mm256_fmadd_pd(lo, lo, acc[0]);
            acc[1] = _mm256_fmadd_pd(hi, hi, acc[1]);
            i += 8;
        }
    }
    let mut sum = hsum_pd(_mm256_add_pd(acc[0], acc[1]));
    for &x in &a[i..] {
        sum += x as f64 * x as f64;
    }
    sum
}
