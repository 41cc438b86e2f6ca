//! AVX-512F kernels (x86_64). Four 16-lane accumulators per sum hide the FMA
//! latency (two per sum in `dot_and_norms`, which keeps six chains live). What
//! is left after the unrolled loop (fewer than 64 elements) goes through the
//! same accumulators in 16-lane blocks loaded under a mask: lanes past the end
//! read as 0.0, add nothing to any sum and are never touched in memory, so
//! there is no scalar tail and short vectors take the vector path too.

use core::arch::x86_64::*;

/// Unaligned load of `s[i..i + 16]`; callers keep `i + 16 <= s.len()`.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load(s: &[f32], i: usize) -> __m512 {
    debug_assert!(i + 16 <= s.len());
    unsafe { _mm512_loadu_ps(s.as_ptr().add(i)) }
}

/// `s[i..min(i + 16, s.len())]` in the low lanes, 0.0 in the others; callers
/// keep `i < s.len()`. Masked-off lanes are not read, so they cannot fault.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load_part(s: &[f32], i: usize) -> __m512 {
    debug_assert!(i < s.len());
    let rest = s.len() - i;
    let mask: __mmask16 = if rest >= 16 { !0 } else { (1 << rest) - 1 };
    unsafe { _mm512_maskz_loadu_ps(mask, s.as_ptr().add(i)) }
}

/// One kernel over pairs of slices: `step` folds sixteen lanes of each side into an accumulator
/// (masked-off lanes are 0.0 on both sides and add nothing under any of these steps).
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// The CPU must have AVX-512F with ZMM state enabled ([`crate::cpu::has_avx512f`]).
        #[target_feature(enable = "avx512f")]
        pub unsafe fn $name(a: &[f32], b: &[f32]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len()); // keeps the loads in bounds even if callers err
            let (a, b) = (&a[..n], &b[..n]);
            let mut acc = [_mm512_setzero_ps(); 4];
            let mut i = 0;
            // SAFETY: full loads read [i, i + 16) with i + 16 <= n; partial ones start below n.
            unsafe {
                while i + 64 <= n {
                    for (k, $acc) in acc.iter_mut().enumerate() {
                        let ($x, $y) = (load(a, i + 16 * k), load(b, i + 16 * k));
                        *$acc = $step;
                    }
                    i += 64;
                }
                // Fewer than 64 left: at most four blocks, one per accumulator.
                for $acc in acc.iter_mut() {
                    if i >= n {
                        break;
                    }
                    let ($x, $y) = (load_part(a, i), load_part(b, i));
                    *$acc = $step;
                    i += 16;
                }
            }
            _mm512_reduce_add_ps(_mm512_add_ps(
                _mm512_add_ps(acc[0], acc[1]),
                _mm512_add_ps(acc[2], acc[3]),
            ))
        }
    };
}

kernel!(
    /// Sum of (aᵢ - bᵢ)².
    squared_l2,
    |x, y, acc| {
        let d = _mm512_sub_ps(x, y);
        _mm512_fmadd_ps(d, d, *acc)
    }
);

kernel!(
    /// Dot product.
    inner_product,
    |x, y, acc| _mm512_fmadd_ps(x, y, *acc)
);

kernel!(
    /// Sum of |aᵢ - bᵢ|.
    l1,
    |x, y, acc| _mm512_add_ps(*acc, _mm512_abs_ps(_mm512_sub_ps(x, y)))
);

/// (a·b, |a|², |b|²) in one pass.
///
/// # Safety
/// The CPU must have AVX-512F with ZMM state enabled ([`crate::cpu::has_avx512f`]).
#[target_feature(enable = "avx512f")]
pub unsafe fn dot_and_norms(a: &[f32], b: &[f32]) -> (f32, f32, f32) {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Two accumulators per sum: six live chains are enough to cover FMA latency.
    let (mut ab, mut aa, mut bb) = (
        [_mm512_setzero_ps(); 2],
        [_mm512_setzero_ps(); 2],
        [_mm512_setzero_ps(); 2],
    );
    let mut i = 0;
    // SAFETY: full loads read [i, i + 16) with i + 16 <= n; partial ones start below n.
    unsafe {
        while i + 32 <= n {
            for k in 0..2 {
                let (x, y) = (load(a, i + 16 * k), load(b, i + 16 * k));
                ab[k] = _mm512_fmadd_ps(x, y, ab[k]);
                aa[k] = _mm512_fmadd_ps(x, x, aa[k]);
                bb[k] = _mm512_fmadd_ps(y, y, bb[k]);
            }
            i += 32;
        }
        // Fewer than 32 left: at most two blocks.
        for k in 0..2 {
            if i >= n {
                break;
            }
            let (x, y) = (load_part(a, i), load_part(b, i));
            ab[k] = _mm512_fmadd_ps(x, y, ab[k]);
            aa[k] = _mm512_fmadd_ps(x, x, aa[k]);
            bb[k] = _mm512_fmadd_ps(y, y, bb[k]);
            i += 16;
        }
    }
    (
        _mm512_reduce_add_ps(_mm512_add_ps(ab[0], ab[1])),
        _mm512_reduce_add_ps(_mm512_add_ps(aa[0], aa[1])),
        _mm512_reduce_add_ps(_mm512_add_ps(bb[0], bb[1])),
    )
}

/// Sum of aᵢ² in f64. Each 16-float block is widened to two 8-lane f64 halves
/// (f32 products are exact in f64, so only the additions round).
///
/// # Safety
/// The CPU must have AVX-512F with ZMM state enabled ([`crate::cpu::has_avx512f`]).
#[target_feature(enable = "avx512f")]
pub unsafe fn sum_of_squares(a: &[f32]) -> f64 {
    let n = a.len();
    // Two blocks per iteration, two halves each: four f64 chains.
    let mut acc = [_mm512_setzero_pd(); 4];
    // The upper eight floats, with only AVX-512F (`_mm512_extractf32x8_ps` needs DQ).
    let upper = |x: __m512| _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castps_pd(x)));
    let add_block = |x: __m512, acc: &mut [__m512d]| {
        let lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
        let hi = _mm512_cvtps_pd(upper(x));
        acc[0] = _mm512_fmadd_pd(lo, lo, acc[0]);
        acc[1] = _mm512_fmadd_pd(hi, hi, acc[1]);
    };
    let mut i = 0;
    // SAFETY: full loads read [i, i + 16) with i + 16 <= n; partial ones start below n.
    unsafe {
        while i + 32 <= n {
            add_block(load(a, i), &mut acc[..2]);
            add_block(load(a, i + 16), &mut acc[2..]);
            i += 32;
        }
        for half in acc.chunks_exact_mut(2) {
            if i >= n {
                break;
            }
            add_block(load_part(a, i), half);
            i += 16;
        }
    }
    _mm512_reduce_add_pd(_mm512_add_pd(
        _mm512_add_pd(acc[0], acc[1]),
        _mm512_add_pd(acc[2], acc[3]),
    ))
}
