//! Bulk conversions with F16C (x86_64), eight lanes at a time.

use super::{F16, F16Overflow, scalar};
use core::arch::x86_64::*;

/// f32 → f16, round to nearest-even.
///
/// # Safety
/// The CPU must have F16C with AVX state enabled ([`crate::cpu::has_f16c`]).
#[target_feature(enable = "avx,f16c")]
pub unsafe fn f32_to_f16_slice(src: &[f32], dst: &mut [F16]) -> Result<(), F16Overflow> {
    debug_assert_eq!(src.len(), dst.len());
    let n = src.len().min(dst.len());
    let abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(i32::MAX));
    // Anything at or above 65520 (halfway from 65504 to 65536) rounds to infinity.
    let overflow_at = _mm256_set1_ps(65520.0);
    let inf = _mm256_set1_ps(f32::INFINITY);
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: reads src[i..i + 8] and writes dst[i..i + 8], both in bounds;
        // F16 is a transparent u16, so 8 of them are one 128-bit store.
        unsafe {
            let x = _mm256_loadu_ps(src.as_ptr().add(i));
            let ax = _mm256_and_ps(x, abs_mask);
            let finite_big = _mm256_and_ps(
                _mm256_cmp_ps::<_CMP_GE_OQ>(ax, overflow_at),
                _mm256_cmp_ps::<_CMP_LT_OQ>(ax, inf),
            );
            let mask = _mm256_movemask_ps(finite_big);
            if mask != 0 {
                let lane = mask.trailing_zeros() as usize;
                return Err(F16Overflow {
                    value: src[i + lane],
                });
            }
            let h = _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(x);
            _mm_storeu_si128(dst.as_mut_ptr().add(i) as *mut __m128i, h);
        }
        i += 8;
    }
    scalar::f32_to_f16_slice(&src[i..n], &mut dst[i..n])
}

/// Exact f16 → f32.
///
/// # Safety
/// The CPU must have F16C with AVX state enabled ([`crate::cpu::has_f16c`]).
#[target_feature(enable = "avx,f16c")]
pub unsafe fn f16_to_f32_slice(src: &[F16], dst: &mut [f32]) {
    debug_assert_eq!(src.len(), dst.len());
    let n = src.len().min(dst.len());
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: reads src[i..i + 8] and writes dst[i..i + 8], both in bounds.
        unsafe {
            let h = _mm_loadu_si128(src.as_ptr().add(i) as *const __m128i);
            _mm256_storeu_ps(dst.as_mut_ptr().add(i), _mm256_cvtph_ps(h));
        }
        i += 8;
    }
    scalar::f16_to_f32_slice(&src[i..n], &mut dst[i..n])
}
