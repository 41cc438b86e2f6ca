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

#[inline]
#[target_feature(enable = "avx2,fma,f16c")]
fn hsum(acc: [__m256; 4]) -> f32 {
    let v = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps::<0b01>(s, s)))
}

/// Sum of (aᵢ - bᵢ)².
///
/// # Safety
/// The CPU must have AVX2, FMA and F16C ([`crate::cpu::has_avx2_fma`], [`crate::cpu::has_f16c`]).
#[target_feature(enable = "avx2,fma,f16c")]
pub unsafe fn squared_l2(a: &[F16], b: &[F16]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len().min(b.len());
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
    let mut sum = hsum(acc);
    for j in i..n {
        let d = a[j].to_f32() - b[j].to_f32();
        sum += d * d;
    }
    sum
}

/// Dot product.
///
/// # Safety
/// As for [`squared_l2`].
#[target_feature(enable = "avx2,fma,f16c")]
pub unsafe fn inner_product(a: &[F16], b: &[F16]) -> f32 {
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
    let mut sum = hsum(acc);
    for j in i..n {
        sum += a[j].to_f32() * b[j].to_f32();
    }
    sum
}
