//! bfloat16 distances one element at a time: the reference for `simd128` and `avx2`, and the path
//! everywhere else.
use super::to_f32;

/// Sum of (aᵢ - bᵢ)².
pub fn squared_l2(a: &[u16], b: &[u16]) -> f32 {
    a.iter().zip(b).map(|(&x, &y)| {
        let d = to_f32(x) - to_f32(y);
        d * d
    }).sum()
}

/// Σ aᵢ·bᵢ.
pub fn inner_product(a: &[u16], b: &[u16]) -> f32 {
    a.iter().zip(b).map(|(&x, &y)| to_f32(x) * to_f32(y)).sum()
}
