//! Estimating distances for many codes at once.
//!
//! Every path computes, per code, two exact integers — the popcount of the code and
//! s = Σⱼ 2ʲ·popcount(code ∧ planeⱼ) — then the same sequence of IEEE f32 operations (no
//! fused multiply-add, same association), so the dispatched path is bit-identical to the
//! scalar one; the tests check that. Paths, the first the CPU allows:
//! - AVX-512 (x86_64 with AVX-512F + VPOPCNTDQ, run-time checked): `vpopcntq` over 512-bit
//!   blocks, masked loads for the last partial block, sixteen codes' arithmetic per instruction;
//! - AVX2 (x86_64, run-time checked): byte-table popcounts over 256 bits and eight codes'
//!   arithmetic per instruction;
//! - simd128 (wasm32, compile-time): native i64.popcnt and four codes per instruction;
//! - scalar.

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
pub mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;

use super::QueryPrep;

/// Codes in columns, as a list page stores them: `bits` holds `norms.len()` codes of
/// `prep.words` words each, one after another.
#[derive(Clone, Copy, Debug)]
pub struct CodeSlices<'a> {
    pub bits: &'a [u64],
    pub norms: &'a [f32],
    pub dots: &'a [f32],
}

impl CodeSlices<'_> {
    pub fn len(&self) -> usize {
        self.norms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }
}

/// For each code i: `distance2[i]` ≈ ‖x − q‖² and `bound[i]` such that the true value lies
/// within ±bound with high probability. Output slices must be as long as `codes`.
pub fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    check_lengths(prep, &codes, distance2, bound);
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512_vpopcntdq() {
        // SAFETY: AVX-512F, VPOPCNTDQ and the OS's ZMM state were just checked.
        return unsafe { avx512::estimate(prep, codes, distance2, bound) };
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2_fma() && crate::cpu::has_popcnt() {
        // SAFETY: AVX2 and POPCNT were just checked.
        return unsafe { avx2::estimate(prep, codes, distance2, bound) };
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return simd128::estimate(prep, codes, distance2, bound);
    #[allow(unreachable_code)]
    scalar::estimate(prep, codes, distance2, bound)
}

/// Panics on mismatched lengths, so that the kernels may index without further checks.
pub(crate) fn check_lengths(prep: &QueryPrep, codes: &CodeSlices<'_>, distance2: &[f32], bound: &[f32]) {
    let n = codes.norms.len();
    assert!(codes.dots.len() == n && distance2.len() == n && bound.len() == n, "length mismatch");
    assert_eq!(codes.bits.len(), n * prep.words, "bits do not match the query's dimension");
    assert_eq!(prep.planes.len(), super::QUERY_BITS as usize * prep.words);
}

/// The float part for one code, in the operation order every vector path mirrors:
/// (distance², bound) from the code's counts (see [`scalar::code_counts`]) and its factors.
#[inline(always)]
pub fn finish(prep: &QueryPrep, weighted: u32, popcount: u32, norm: f32, dot: f32) -> (f32, f32) {
    let ip = (weighted as f32 * prep.scale_sum + popcount as f32 * prep.scale_popcount) - prep.offset;
    let cosine = ip / dot;
    let cross = norm * prep.two_query_norm;
    let distance2 = (norm * norm + prep.query_norm2) - cross * cosine;
    let spread = sqrt_f32(1.0 - dot * dot) / dot;
    (distance2, cross * (spread * prep.bound_scale))
}

/// Correctly rounded f32 square root (through f64, which rounds the same: 53 ≥ 2·24 + 2),
/// the same as `vsqrtps` / `f32x4.sqrt`.
#[inline(always)]
pub(crate) fn sqrt_f32(x: f32) -> f32 {
    crate::math::sqrt(x as f64) as f32
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod bench;
