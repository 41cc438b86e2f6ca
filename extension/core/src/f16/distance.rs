//! halfvec distances: squared L2 and the dot product widen in registers where AVX-512F is
//! present (`f16::avx512`) or AVX2, FMA and F16C are (`f16::avx2`), and on wasm32 + simd128
//! (`f16::simd128`); otherwise, and for the other distances, elements are widened
//! to f32 in stack chunks (F16C when available) and fed to the dispatched f32 kernels, so sums are accumulated in
//! f32 exactly as for `vector`, and the norm in f64, as pgvector does.

use super::{F16, f16_to_f32_slice};
use crate::distance as f32d;
use crate::math::sqrt;

/// Small enough for the stack and L1, large enough to amortise per-call overhead.
const CHUNK: usize = 256;

fn for_each_chunk(a: &[F16], b: &[F16], mut f: impl FnMut(&[f32], &[f32])) {
    debug_assert_eq!(a.len(), b.len());
    let (mut wa, mut wb) = ([0.0f32; CHUNK], [0.0f32; CHUNK]);
    for (ca, cb) in a.chunks(CHUNK).zip(b.chunks(CHUNK)) {
        let n = ca.len().min(cb.len());
        f16_to_f32_slice(&ca[..n], &mut wa[..n]);
        f16_to_f32_slice(&cb[..n], &mut wb[..n]);
        f(&wa[..n], &wb[..n]);
    }
}

/// The AVX2 fused kernels (`f16::avx2`) may run: they widen in registers instead of through a copy.
#[cfg(target_arch = "x86_64")]
#[inline]
fn fused() -> bool {
    crate::cpu::has_avx2_fma() && crate::cpu::has_f16c()
}

/// Runs the widest kernel that widens in registers (`f16::avx512`, `f16::avx2`,
/// `f16::simd128`), else the widening path `$widened`.
macro_rules! dispatch_fused {
    ($kernel:ident($a:expr, $b:expr), $widened:ident) => {{
        #[cfg(target_arch = "x86_64")]
        if crate::cpu::has_avx512f() {
            // SAFETY: AVX-512F was just checked.
            return unsafe { super::avx512::$kernel($a, $b) };
        }
        #[cfg(target_arch = "x86_64")]
        if fused() {
            // SAFETY: AVX2, FMA and F16C were just checked.
            return unsafe { super::avx2::$kernel($a, $b) };
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        return super::simd128::$kernel($a, $b);
        #[allow(unreachable_code)]
        $widened($a, $b)
    }};
}

/// Squared Euclidean distance, accumulated in f32.
pub fn squared_l2(a: &[F16], b: &[F16]) -> f32 {
    dispatch_fused!(squared_l2(a, b), squared_l2_widened)
}

/// [`squared_l2`] through widened chunks: the path without the fused kernels.
pub(crate) fn squared_l2_widened(a: &[F16], b: &[F16]) -> f32 {
    let mut sum = 0.0f32;
    for_each_chunk(a, b, |x, y| sum += f32d::squared_l2(x, y));
    sum
}

/// Euclidean distance (`<->`).
pub fn l2(a: &[F16], b: &[F16]) -> f64 {
    sqrt(squared_l2(a, b) as f64)
}

/// Dot product, accumulated in f32.
pub fn inner_product(a: &[F16], b: &[F16]) -> f32 {
    dispatch_fused!(inner_product(a, b), inner_product_widened)
}

/// [`inner_product`] through widened chunks: the path without the fused kernels.
pub(crate) fn inner_product_widened(a: &[F16], b: &[F16]) -> f32 {
    let mut sum = 0.0f32;
    for_each_chunk(a, b, |x, y| sum += f32d::inner_product(x, y));
    sum
}

/// Negated dot product (`<#>`).
pub fn negative_inner_product(a: &[F16], b: &[F16]) -> f64 {
    -(inner_product(a, b) as f64)
}

/// Cosine distance (`<=>`); NaN when either vector is all zeros.
pub fn cosine_distance(a: &[F16], b: &[F16]) -> f64 {
    let (mut dot, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for_each_chunk(a, b, |x, y| {
        let (d, p, q) = f32d::dot_and_norms(x, y);
        dot += d;
        na += p;
        nb += q;
    });
    f32d::cosine_from_parts(dot, na, nb)
}

/// Taxicab distance (`<+>`), accumulated in f32.
pub fn l1(a: &[F16], b: &[F16]) -> f32 {
    let mut sum = 0.0f32;
    for_each_chunk(a, b, |x, y| sum += f32d::l1(x, y));
    sum
}

/// Euclidean norm, summed in f64.
pub fn norm(a: &[F16]) -> f64 {
    let mut wa = [0.0f32; CHUNK];
    let mut sum = 0.0f64;
    for ca in a.chunks(CHUNK) {
        f16_to_f32_slice(ca, &mut wa[..ca.len()]);
        sum += f32d::sum_of_squares(&wa[..ca.len()]);
    }
    sqrt(sum)
}
