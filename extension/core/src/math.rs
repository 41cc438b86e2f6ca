// `f64::sqrt` lives in std, not core, so a no_std crate has to bring its own.
// Hardware sqrt is correctly rounded (IEEE 754 requires it), and so is the
// fallback, so every target produces bit-identical results.

#[inline]
pub(crate) fn sqrt(x: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_cvtsd_f64, _mm_set_sd, _mm_sqrt_pd};
        // SAFETY: SSE2 is part of the x86_64 baseline.
        unsafe { _mm_cvtsd_f64(_mm_sqrt_pd(_mm_set_sd(x))) }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::{f64x2_extract_lane, f64x2_splat, f64x2_sqrt};
        // The scalar `f64.sqrt` instruction has no stable intrinsic; the vector one does.
        f64x2_extract_lane::<0>(f64x2_sqrt(f64x2_splat(x)))
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        soft_sqrt(x)
    }
}

/// Correctly rounded square root from integer arithmetic, for targets without a
/// stable hardware intrinsic.
#[cfg(any(
    test,
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ))
))]
pub(crate) fn soft_sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 || x.is_infinite() {
        return x; // keeps the sign of -0.0, as IEEE 754 asks
    }
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    // x = m * 2^e with m an integer whose top bit is bit 52.
    let (mut m, mut e) = if biased == 0 {
        let shift = frac.leading_zeros() - 11;
        (frac << shift, -1074 - shift as i32)
    } else {
        (frac | (1u64 << 52), biased - 1075)
    };
    if e & 1 != 0 {
        m <<= 1;
        e -= 1;
    }
    // m in [2^52, 2^54) so m << 52 has a 53-bit integer square root q:
    // sqrt(x) = sqrt(m << 52) * 2^((e - 52) / 2).
    let wide = (m as u128) << 52;
    let q = wide.isqrt();
    let rem = wide - q * q;
    // Round to nearest: sqrt(wide) > q + 1/2  <=>  rem > q (for integers; no ties exist).
    let exp_field = ((e - 52) / 2 + 52 + 1023) as u64;
    let result = (exp_field << 52) + (q as u64 - (1u64 << 52)) + (rem > q) as u64;
    f64::from_bits(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Rng;

    #[test]
    fn soft_sqrt_matches_hardware() {
        let mut rng = Rng::new(7);
        let specials = [
            0.0,
            -0.0,
            1.0,
            2.0,
            4.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::INFINITY,
        ];
        for &x in &specials {
            assert_eq!(soft_sqrt(x).to_bits(), sqrt(x).to_bits(), "{x:e}");
        }
        assert!(soft_sqrt(-1.0).is_nan() && soft_sqrt(f64::NAN).is_nan());
        for _ in 0..200_000 {
            let x = f64::from_bits(rng.next_u64() >> 1); // positive, any exponent
            if x.is_finite() {
                assert_eq!(soft_sqrt(x).to_bits(), sqrt(x).to_bits(), "{x:e}");
            }
        }
    }
}
