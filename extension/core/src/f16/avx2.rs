//! halfvec distances with the widening fused into the arithmetic (AVX2 + FMA + F16C): sixteen
//! halves are loaded and widened per step, with no f32 copy in between (the loop is
//! `distance::avx2_widening`'s).

use super::F16;
use core::arch::x86_64::*;

/// Widens `s[i..i + 16]` (in order); callers keep `i + 16 <= s.len()`.
#[inline]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn load(s: &[F16], i: usize) -> (__m256, __m256) {
    debug_assert!(i + 16 <= s.len());
    // SAFETY: reads 32 bytes at s[i..i + 16], in bounds; F16 is a transparent u16.
    unsafe {
        let p = s.as_ptr().add(i) as *const __m128i;
        (_mm256_cvtph_ps(_mm_loadu_si128(p)), _mm256_cvtph_ps(_mm_loadu_si128(p.add(1))))
    }
}

crate::distance::avx2_widening::avx2_widening_kernels!(
    F16,
    "avx2,fma,f16c",
    "The CPU must have AVX2, FMA and F16C ([`crate::cpu::has_avx2_fma`], [`crate::cpu::has_f16c`]).",
    |h: F16| h.to_f32()
);
