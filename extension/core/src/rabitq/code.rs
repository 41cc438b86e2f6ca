//! Encoding a vector into its RaBitQ code.
use super::Rotation;
use super::ex::{ExCode, encode_ex};
use alloc::vec::Vec;

/// One vector's code: sign bits of its rotated residual and the correction factors.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    /// `code_words(dims)` words; bit i of word w is padded coordinate 64w + i, set when positive.
    pub bits: Vec<u64>,
    /// ‖r‖, r = x − c.
    pub norm: f32,
    /// ⟨ō, o⟩ = Σ|oᵢ|/√D in (0, 1]; 1 for a zero residual, which keeps the estimator's
    /// division harmless (its numerator is then multiplied by ‖r‖ = 0).
    pub dot: f32,
    /// ⟨r, c⟩, which turns a residual inner product into ⟨x, q⟩.
    pub center_dot: f32,
    /// The refinement code, for indexes with extra bits per dimension.
    pub ex: Option<ExCode>,
}

/// Encodes `vector` relative to its list's `centroid` (both `rotation.dims()` long).
pub fn encode(rotation: &Rotation, vector: &[f32], centroid: &[f32]) -> Code {
    encode_bits(rotation, vector, centroid, 0)
}

/// As [`encode`], with `ex_bits` (0..=[`MAX_EX_BITS`](super::MAX_EX_BITS)) extra bits per
/// dimension for refinement.
pub fn encode_bits(rotation: &Rotation, vector: &[f32], centroid: &[f32], ex_bits: u32) -> Code {
    let residual: Vec<f32> = vector.iter().zip(centroid).map(|(x, c)| x - c).collect();
    let center_dot: f64 = residual.iter().zip(centroid).map(|(&r, &c)| r as f64 * c as f64).sum();
    let rotated = rotation.rotate(&residual);
    let padded = rotated.len();
    let mut bits = alloc::vec![0u64; padded / 64];
    let (mut norm2, mut abs_sum) = (0.0f64, 0.0f64);
    for (i, &v) in rotated.iter().enumerate() {
        if v > 0.0 {
            bits[i / 64] |= 1 << (i % 64);
        }
        norm2 += v as f64 * v as f64;
        abs_sum += (v as f64).abs();
    }
    let norm = crate::math::sqrt(norm2);
    let dot = if norm > 0.0 {
        // ≤ 1 mathematically (‖o‖₁ ≤ √D‖o‖₂); the clamp absorbs rounding, so 1 − dot² ≥ 0.
        (abs_sum / (norm * crate::math::sqrt(padded as f64))).min(1.0) as f32
    } else {
        1.0
    };
    let ex = (ex_bits > 0).then(|| {
        let inv = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        let unit: Vec<f64> = rotated.iter().map(|&v| v as f64 * inv).collect();
        encode_ex(&unit, ex_bits)
    });
    Code { bits, norm: norm as f32, dot, center_dot: center_dot as f32, ex }
}
