//! halfvec distances on wasm32 + simd128, which has no f16 instructions: eight halves are
//! widened per step in registers with the same trick as `scalar::f16_to_f32_branchless`
//! (exponent and fraction shifted into f32 position, scaled by 2¹¹², exact for normals and
//! subnormals; Inf and NaN get the all-ones exponent back), instead of through a copy. Sums are
//! accumulated in f32 as on the other paths.

use super::F16;
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

#[inline]
fn hsum(v: v128) -> f32 {
    (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<2>(v))
        + (f32x4_extract_lane::<1>(v) + f32x4_extract_lane::<3>(v))
}

/// One kernel: `step` folds four widened lanes of each side into an accumulator, `tail` does
/// the same for one element of the < 8-element rest.
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr, |$p:ident, $q:ident| $tail:expr) => {
        $(#[$doc])*
        pub fn $name(a: &[F16], b: &[F16]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len());
            let mut acc = [f32x4_splat(0.0); 2];
            let mut i = 0;
            while i + 8 <= n {
                let ((a0, a1), (b0, b1)) = (load(a, i), load(b, i));
                for (($x, $y), $acc) in [(a0, b0), (a1, b1)].into_iter().zip(acc.iter_mut()) {
                    *$acc = $step;
                }
                i += 8;
            }
            let mut sum = hsum(f32x4_add(acc[0], acc[1]));
            for j in i..n {
                let ($p, $q) = (a[j].to_f32(), b[j].to_f32());
                sum += $tail;
            }
            sum
        }
    };
}

kernel!(
    /// Sum of (aᵢ - bᵢ)².
    squared_l2,
    |x, y, acc| {
        let d = f32x4_sub(x, y);
        f32x4_add(*acc, f32x4_mul(d, d))
    },
    |p, q| (p - q) * (p - q)
);

kernel!(
    /// Dot product.
    inner_product,
    |x, y, acc| f32x4_add(*acc, f32x4_mul(x, y)),
    |p, q| p * q
);
