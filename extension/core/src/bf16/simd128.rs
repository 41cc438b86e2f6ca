//! bfloat16 distances on wasm32 + simd128. A 16-byte load holds eight bfloat16s, two per u32
//! lane: shifting a lane left by 16 gives the even element as an f32, masking off its low half
//! gives the odd one. Both sides split the same way, so the sums pair elements correctly
//! (the loop is `distance::simd128_widening`'s).

use crate::distance::simd128_widening as widening;
use core::arch::wasm32::*;

/// The even and odd elements of `s[i..i + 8]` as two f32x4; callers keep `i + 8 <= s.len()`.
#[inline]
fn load(s: &[u16], i: usize) -> (v128, v128) {
    assert!(i + 8 <= s.len());
    // SAFETY: bounds checked above; v128_load has no alignment requirement.
    let x = unsafe { v128_load(s.as_ptr().add(i) as *const v128) };
    (i32x4_shl(x, 16), v128_and(x, u32x4_splat(0xFFFF_0000)))
}

/// Sum of (aᵢ - bᵢ)².
pub fn squared_l2(a: &[u16], b: &[u16]) -> f32 {
    widening::squared_l2(a, b, load, super::to_f32)
}

/// Dot product.
pub fn inner_product(a: &[u16], b: &[u16]) -> f32 {
    widening::inner_product(a, b, load, super::to_f32)
}
