//! Portable binary16 conversions by bit manipulation.

use super::{F16, F16Overflow};

/// Exact f16 → f32.
#[inline]
pub fn f16_to_f32(h: F16) -> f32 {
    let h = h.to_bits() as u32;
    let sign = (h & 0x8000) << 16;
    let exp = (h >> 10) & 0x1F;
    let man = h & 0x3FF;
    let bits = match exp {
        0 => {
            // Subnormal m·2⁻²⁴: the product is exact (m < 2¹⁰, scaling by a power of two).
            let magnitude = man as f32 * (1.0 / 16_777_216.0);
            return f32::from_bits(sign | magnitude.to_bits());
        }
        // Inf, or NaN made quiet with its payload kept in the top bits.
        0x1F if man != 0 => sign | 0x7FC0_0000 | (man << 13),
        0x1F => sign | 0x7F80_0000,
        // Rebias 15 → 127 and widen the fraction 10 → 23 bits.
        _ => sign | ((exp + 112) << 23) | (man << 13),
    };
    f32::from_bits(bits)
}

/// f32 → f16 bits, round to nearest-even; overflow yields ±Inf (callers check).
#[inline]
pub(crate) fn f32_to_f16_bits(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xFF) as i32;
    let man = b & 0x7F_FFFF;
    if exp == 0xFF {
        let nan = if man != 0 {
            0x0200 | (man >> 13) as u16
        } else {
            0
        };
        return sign | 0x7C00 | nan;
    }
    // Unbiased exponent rebiased for f16 (bias 15).
    let e = exp - 127 + 15;
    if e >= 0x1F {
        return sign | 0x7C00;
    }
    if e <= 0 {
        // Subnormal result (or one that rounds up to the smallest normal). With the
        // 24-bit significand sig, x = sig·2^(exp-150), which in units of the
        // smallest subnormal 2⁻²⁴ is sig >> (126 - exp).
        let shift = (126 - exp) as u32; // >= 14 here
        if exp == 0 || shift > 24 {
            return sign; // below half the smallest subnormal: rounds to ±0
        }
        let sig = man | 0x80_0000;
        return sign | round_shift(sig, shift) as u16;
    }
    // Normal: keep 10 fraction bits, round on the 13 dropped ones. A carry out of
    // the fraction correctly bumps the exponent, up to 0x7C00 (= overflow).
    let kept = ((e as u32) << 10) | (man >> 13);
    sign | (kept + round_up(kept, man & 0x1FFF, 0x1000)) as u16
}

/// `v >> shift`, rounded to nearest-even on the dropped bits.
#[inline]
fn round_shift(v: u32, shift: u32) -> u32 {
    let kept = v >> shift;
    kept + round_up(kept, v & ((1 << shift) - 1), 1 << (shift - 1))
}

#[inline]
fn round_up(kept: u32, dropped: u32, half: u32) -> u32 {
    (dropped > half || (dropped == half && kept & 1 == 1)) as u32
}

/// f32 → f16, round to nearest-even, `Err` when a finite value overflows.
#[inline]
pub fn f32_to_f16(x: f32) -> Result<F16, F16Overflow> {
    let bits = f32_to_f16_bits(x);
    if bits & 0x7FFF == 0x7C00 && x.is_finite() {
        return Err(F16Overflow { value: x });
    }
    Ok(F16::from_bits(bits))
}

/// Slice form of [`f32_to_f16`]; stops at the first overflow.
pub fn f32_to_f16_slice(src: &[f32], dst: &mut [F16]) -> Result<(), F16Overflow> {
    debug_assert_eq!(src.len(), dst.len());
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f32_to_f16(s)?;
    }
    Ok(())
}

/// Slice form of [`f16_to_f32`], branch-free so that it vectorises (wasm32 has no F16C, and
/// the per-element branches made halfvec distances in PGlite several times slower than vector
/// ones). The same bits as [`f16_to_f32`] for every input (tested exhaustively).
pub fn f16_to_f32_slice(src: &[F16], dst: &mut [f32]) {
    debug_assert_eq!(src.len(), dst.len());
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f16_to_f32_branchless(s);
    }
}

/// Exponent and fraction shifted into f32 position, then scaled by 2¹¹² (exact for normals
/// and subnormals: a power-of-two product); Inf and NaN get the all-ones exponent back, NaN
/// made quiet with its payload kept, as [`f16_to_f32`] does.
#[inline(always)]
pub(crate) fn f16_to_f32_branchless(h: F16) -> f32 {
    let h = h.to_bits() as u32;
    let sign = (h & 0x8000) << 16;
    let shifted = (h & 0x7FFF) << 13;
    let scaled = (f32::from_bits(shifted) * f32::from_bits(0x7780_0000)).to_bits();
    let special = (h & 0x7C00) == 0x7C00;
    let nan = special && (h & 0x3FF) != 0;
    let bits = if special { 0x7F80_0000 | shifted | if nan { 0x40_0000 } else { 0 } } else { scaled };
    f32::from_bits(sign | bits)
}
