//! bfloat16 distances on x86_64 with AVX2 + FMA, the native path of scans and builds over
//! bfloat16-stored vectors. A 32-byte load holds sixteen bfloat16s, two per u32 lane: shifting
//! a lane left by 16 gives the even element as an f32, masking off its low half gives the odd
//! one (as in `simd128`). Both sides split the same way, so the sums pair elements correctly
//! (the loop is `distance::avx2_widening`'s).

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

crate::distance::avx2_widening::avx2_widening_kernels!(
    u16,
    "avx2,fma",
    "The CPU must have AVX2 and FMA ([`crate::cpu::has_avx2_fma`]).",
    super::to_f32
);
