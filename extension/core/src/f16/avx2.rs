//! halfvec distances with the widening fused into the arithmetic (AVX2 + FMA + F16C): eight
//! halves are loaded and widened per step, with no f32 copy in between. Four accumulators
//! hide the FMA latency; the < 8-element tail goes through the scalar widening. Sums are
//! accumulated in f32 as on the other paths.

use super::F16;
use core::arch::x86_64::*;

/// Widens `s[i..i + 8]`; callers keep `i + 8 <= s.len()`.
#[inline]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn load(s: &[F16], i: usize) -> __m256 {
    debug_assert!(i + 8 <= s.len());
    // SAFETY: reads 16 bytes at s[i..i + 8], in bounds; F16 is a transparent u16.
    unsafe { _mm256_cvtph_ps(_mm_loadu_si128(s.as_ptr().add(i) as *const __m128i)) }
}

/// The four accumulators' lanes summed (the f32 kernels' horizontal sum).
#[inline]
#[target_feature(enable = "avx2,fma,f16c")]
fn hsum(acc: [__m256; 4]) -> f32 {
    crate::distance::avx2::hsum(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])))
}

/// One kernel: `step` folds eight widened lanes of each side into an accumulator, `tail` does
/// the same for one element of the < 8-element rest.
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr, |$p:ident, $q:ident| $tail:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// The CPU must have AVX2, FMA and F16C ([`crate::cpu::has_avx2_fma`], [`crate::cpu::has_f16c`]).
        #[target_feature(enable = "avx2,fma,f16c")]
        pub unsafe fn $name(a: &[F16], b: &[F16]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len());
            let mut acc = [_mm256_setzero_ps(); 4];
            let mut i = 0;
            // SAFETY: every load below reads [i, i + 8) with i + 8 <= n.
            unsafe {
                while i + 32 <= n {
                    for (k, $acc) in acc.iter_mut().enumerate() {
                        let ($x, $y) = (load(a, i + 8 * k), load(b, i + 8 * k));
                        *$acc = $step;
                    }
                    i += 32;
                }
                while i + 8 <= n {
                    let ($x, $y, $acc) = (load(a, i), load(b, i), &mut acc[0]);
                    *$acc = $step;
                    i += 8;
                }
            }
            let mut sum = hsum(acc);
            for j in i..n {
                let ($p, $q) = (a[j].to_f32(), b[j].to_f32());
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
