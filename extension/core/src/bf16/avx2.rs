//! bfloat16 distances on x86_64 with AVX2 + FMA, the native path of scans over
//! bfloat16-stored vectors. A 32-byte load holds sixteen bfloat16s, two per u32 lane: shifting
//! a lane left by 16 gives the even element as an f32, masking off its low half gives the odd
//! one (as in `simd128`). Both sides split the same way, so the sums pair elements correctly.
//! Four accumulators hide the FMA latency; the < 16-element tail goes through the scalar
//! widening. Sums are accumulated in f32 as on the other paths.

use core::arch::x86_64::*;

/// The even and odd elements of `s[i..i + 16]` as two f32x8; callers keep `i + 16 <= s.len()`.
#[inline]
#[target_feature(enable = "avx2,fma")]
unsafe fn load(s: &[u16], i: usize) -> (__m256, __m256) {
    debug_assert!(i + 16 <= s.len());
    // SAFETY: reads 32 bytes at s[i..i + 16], in bounds; loadu has no alignment requirement.
    let x = unsafe { _mm256_loadu_si256(s.as_ptr().add(i) as *const __m256i) };
    let odd = _mm256_and_si256(x, _mm256_set1_epi32(0xFFFF_0000u32 as i32));
    (_mm256_castsi256_ps(_mm256_slli_epi32::<16>(x)), _mm256_castsi256_ps(odd))
}

/// The four accumulators' lanes summed (the f32 kernels' horizontal sum).
#[inline]
#[target_feature(enable = "avx2,fma")]
fn hsum(acc: [__m256; 4]) -> f32 {
    crate::distance::avx2::hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])))
}

/// One kernel: `step` folds eight widened lanes of each side into an accumulator (called for
/// the even and the odd half of each load, into different accumulators), `tail` does the same
/// for one element of the < 16-element rest.
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr, |$p:ident, $q:ident| $tail:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).
        #[target_feature(enable = "avx2,fma")]
        pub unsafe fn $name(a: &[u16], b: &[u16]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len());
            let mut acc = [_mm256_setzero_ps(); 4];
            let mut i = 0;
            // SAFETY: every load below reads [i, i + 16) with i + 16 <= n.
            unsafe {
                while i + 32 <= n {
                    for k in 0..2 {
                        let ((xe, xo), (ye, yo)) = (load(a, i + 16 * k), load(b, i + 16 * k));
                        let ($x, $y, $acc) = (xe, ye, &mut acc[2 * k]);
                        *$acc = $step;
                        let ($x, $y, $acc) = (xo, yo, &mut acc[2 * k + 1]);
                        *$acc = $step;
                    }
                    i += 32;
                }
                if i + 16 <= n {
                    let ((xe, xo), (ye, yo)) = (load(a, i), load(b, i));
                    let ($x, $y, $acc) = (xe, ye, &mut acc[0]);
                    *$acc = $step;
                    let ($x, $y, $acc) = (xo, yo, &mut acc[1]);
                    *$acc = $step;
                    i += 16;
                }
            }
            let mut sum = hsum(acc);
            for j in i..n {
                let ($p, $q) = (super::to_f32(a[j]), super::to_f32(b[j]));
                sum += $tail;
            }
            sum
        }
    };
}

kernel!(
    /// Sum of (aᵢ - bᵢ)².
    squared_l2,
    |x, y, acc| {
        let d = _mm256_sub_ps(x, y);
        _mm256_fmadd_ps(d, d, *acc)
    },
    |p, q| (p - q) * (p - q)
);

kernel!(
    /// Dot product.
    inner_product,
    |x, y, acc| _mm256_fmadd_ps(x, y, *acc),
    |p, q| p * q
);
