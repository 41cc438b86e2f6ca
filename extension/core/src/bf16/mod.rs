//! bfloat16: the top 16 bits of an f32 (same exponent range, 8 significant bits). Since hnsw's
//! format 2 the pages of `vector` indexes under L2, inner product and cosine hold bfloat16
//! (`bounded`: values plus what bounds their rounding), and builds and scans compute their
//! distances here. Widening a bfloat16 is a shift, or a mask for the odd element of a pair
//! (`simd128`; x86_64 has AVX2 + FMA kernels, `avx2`, with the same widening, besides the
//! scalar ones), so a value costs half the bytes of the f32 for about one extra instruction per
//! four lanes, where f16 would take six instructions a lane on wasm32. (Format 1 builds
//! compared bfloat16 copies of the stored f32 values: the rounding, 2⁻⁹ relative, did not move
//! recall.)

#[cfg(target_arch = "x86_64")]
pub mod avx2;
pub mod bounded;
pub mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;
#[cfg(test)]
mod tests;

/// Rounds `x` to the nearest bfloat16 (ties to even); `None` for NaN and for finite values
/// that round beyond bfloat16's largest (so a bfloat16 never holds an Inf its f32 did not).
#[inline]
pub fn from_f32(x: f32) -> Option<u16> {
    if x.is_nan() {
        return None;
    }
    let bits = x.to_bits();
    let rounded = bits.wrapping_add(0x7FFF + ((bits >> 16) & 1)) >> 16;
    let overflowed = x.is_finite() && rounded & 0x7F80 == 0x7F80;
    (!overflowed).then_some(rounded as u16)
}

/// The f32 a bfloat16 stands for (exact).
#[inline]
pub fn to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

/// Squared Euclidean distance between two bfloat16 vectors, accumulated in f32.
pub fn squared_l2(a: &[u16], b: &[u16]) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return simd128::squared_l2(a, b);
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2_fma() {
        // SAFETY: the CPU has AVX2 and FMA.
        return unsafe { avx2::squared_l2(a, b) };
    }
    #[allow(unreachable_code)]
    scalar::squared_l2(a, b)
}

/// Dot product of two bfloat16 vectors, accumulated in f32.
pub fn inner_product(a: &[u16], b: &[u16]) -> f32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return simd128::inner_product(a, b);
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2_fma() {
        // SAFETY: the CPU has AVX2 and FMA.
        return unsafe { avx2::inner_product(a, b) };
    }
    #[allow(unreachable_code)]
    scalar::inner_product(a, b)
}
