//! halfvec distances on AVX-512F: sixteen halves widened in a register per step, four
//! accumulators over 64 elements per iteration. A tail of fewer than 16 halves is copied into a
//! zeroed block first (a masked 16-bit load would need AVX-512BW): zeros add nothing to either
//! sum. Sums are accumulated in f32 as on the other paths.

use super::F16;
use core::arch::x86_64::*;

/// Widens `s[i..i + 16]`; callers keep `i + 16 <= s.len()`.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load(s: &[F16], i: usize) -> __m512 {
    debug_assert!(i + 16 <= s.len());
    // SAFETY: reads 32 bytes at s[i..i + 16], in bounds; F16 is a transparent u16.
    unsafe { _mm512_cvtph_ps(_mm256_loadu_si256(s.as_ptr().add(i) as *const __m256i)) }
}

/// Widens `s[i..]` (fewer than 16 left) with zeros after it.
#[inline]
#[target_feature(enable = "avx512f")]
fn load_tail(s: &[F16], i: usize) -> __m512 {
    let mut block = [F16::default(); 16];
    block[..s.len() - i].copy_from_slice(&s[i..]);
    // SAFETY: 16 halves on the stack.
    unsafe { load(&block, 0) }
}

/// One kernel: `step` folds sixteen widened lanes of each side into an accumulator (the tail
/// block's zero lanes add nothing under either step).
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// The CPU must have AVX-512F with ZMM state enabled ([`crate::cpu::has_avx512f`]).
        #[target_feature(enable = "avx512f")]
        pub unsafe fn $name(a: &[F16], b: &[F16]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len());
            let (a, b) = (&a[..n], &b[..n]);
            let mut acc = [_mm512_setzero_ps(); 4];
            let mut i = 0;
            // SAFETY: every full load reads [i, i + 16) with i + 16 <= n.
            unsafe {
                while i + 64 <= n {
                    for (k, $acc) in acc.iter_mut().enumerate() {
                        let ($x, $y) = (load(a, i + 16 * k), load(b, i + 16 * k));
                        *$acc = $step;
                    }
                    i += 64;
                }
                while i + 16 <= n {
                    let ($x, $y, $acc) = (load(a, i), load(b, i), &mut acc[0]);
                    *$acc = $step;
                    i += 16;
                }
            }
            if i < n {
                let ($x, $y, $acc) = (load_tail(a, i), load_tail(b, i), &mut acc[1]);
                *$acc = $step;
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
