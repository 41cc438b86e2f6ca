//! bfloat16 distances on wasm32 + simd128. A 16-byte load holds eight bfloat16s, two per u32
//! lane: shifting a lane left by 16 gives the even element as an f32, masking off its low half
//! gives the odd one. Both sides split the same way, so the sums pair elements correctly.

use core::arch::wasm32::*;

/// The even and odd elements of `s[i..i + 8]` as two f32x4; callers keep `i + 8 <= s.len()`.
#[inline]
fn load(s: &[u16], i: usize) -> (v128, v128) {
    assert!(i + 8 <= s.len());
    // SAFETY: bounds checked above; v128_load has no alignment requirement.
    let x = unsafe { v128_load(s.as_ptr().add(i) as *const v128) };
    (i32x4_shl(x, 16), v128_and(x, u32x4_splat(0xFFFF_0000)))
}

#[inline]
fn hsum(v: v128) -> f32 {
    (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<2>(v))
        + (f32x4_extract_lane::<1>(v) + f32x4_extract_lane::<3>(v))
}

/// One kernel: `step` folds four lanes of each side into an accumulator, the scalar kernel
/// takes the < 8-element rest.
macro_rules! kernel {
    ($(#[$doc:meta])* $name:ident, |$x:ident, $y:ident, $acc:ident| $step:expr) => {
        $(#[$doc])*
        pub fn $name(a: &[u16], b: &[u16]) -> f32 {
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
            hsum(f32x4_add(acc[0], acc[1])) + super::scalar::$name(&a[i..n], &b[i..n])
        }
    };
}

kernel!(
    /// Sum of (aᵢ - bᵢ)².
    squared_l2,
    |x, y, acc| {
        let d = f32x4_sub(x, y);
        f32x4_add(*acc, f32x4_mul(d, d))
    }
);

kernel!(
    /// Dot product.
    inner_product,
    |x, y, acc| f32x4_add(*acc, f32x4_mul(x, y))
);
