//! halfvec distances on wasm32 + simd128, which has no f16 instructions: eight halves are
//! widened per step in registers with the same trick as `scalar::f16_to_f32_branchless`
//! (exponent and fraction shifted into f32 position, scaled by 2¹¹², exact for normals and
//! subnormals; Inf and NaN get the all-ones exponent back), instead of through a copy. The loop is
//! `distance::simd128_widening`'s.

use super::F16;
use crate::distance::simd128_widening as widening;
use core::arch::wasm32::*;

/// Widens the four halves in the low 16 bits of each u32 lane.
#[inline]
fn widen(x: v128) -> v128 {
    let sign = i32x4_shl(v128_and(x, u32x4_splat(0x8000)), 16);
    let shifted = i32x4_shl(v128_and(x, u32x4_splat(0x7FFF)), 13);
    let scaled = f32x4_mul(shifted, u32x4_splat(0x7780_0000));
    let special = i32x4_eq(v128_and(x, u32x4_splat(0x7C00)), u32x4_splat(0x7C00));
    let bits = v128_bitselect(v128_or(shifted, u32x4_splat(0x7F80_0000)), scaled, special);
    v128_or(sign, bits)
}

/// `s[i..i + 8]` widened to two f32x4; callers keep `i + 8 <= s.len()`.
#[inline]
fn load(s: &[F16], i: usize) -> (v128, v128) {
    assert!(i + 8 <= s.len());
    // SAFETY: bounds checked above; v128_load has no alignment requirement.
    let h = unsafe { v128_load(s.as_ptr().add(i) as *const v128) };
    (widen(u32x4_extend_low_u16x8(h)), widen(u32x4_extend_high_u16x8(h)))
}

/// Sum of (aᵢ - bᵢ)².
pub fn squared_l2(a: &[F16], b: &[F16]) -> f32 {
    widening::squared_l2(a, b, load, F16::to_f32)
}

/// Dot product.
pub fn inner_product(a: &[F16], b: &[F16]) -> f32 {
    widening::inner_product(a, b, load, F16::to_f32)
}
