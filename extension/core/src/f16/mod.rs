//! IEEE 754 binary16 for the `halfvec` type: conversions and distances.
//!
//! f32 → f16 rounds to nearest, ties to even. A finite f32 that rounds past
//! 65504 is an error (pgvector reports it as "out of range for type halfvec")
//! rather than silently becoming infinity. ±Inf map to ±Inf and NaN stays NaN
//! (quieted, top payload bits kept, as F16C hardware does), although SQL input
//! rejects both before converting.
//!
//! f16 → f32 is exact; only a signalling NaN changes (it comes back quiet).

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
pub mod distance;
#[cfg(target_arch = "x86_64")]
pub mod f16c;
pub mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod simd128;

#[cfg(test)]
mod tests;

/// A binary16 value stored as its bit pattern; layout-compatible with `u16`.
#[derive(Clone, Copy, Debug, Default)]
#[repr(transparent)]
pub struct F16(u16);

impl F16 {
    /// Largest finite value, 65504.
    pub const MAX: F16 = F16(0x7BFF);
    /// Smallest positive subnormal, 2⁻²⁴.
    pub const MIN_POSITIVE_SUBNORMAL: F16 = F16(0x0001);
    pub const INFINITY: F16 = F16(0x7C00);
    pub const NEG_INFINITY: F16 = F16(0xFC00);

    #[inline]
    pub const fn from_bits(bits: u16) -> F16 {
        F16(bits)
    }

    #[inline]
    pub const fn to_bits(self) -> u16 {
        self.0
    }

    /// Exact widening to f32.
    #[inline]
    pub fn to_f32(self) -> f32 {
        scalar::f16_to_f32(self)
    }

    /// Round to nearest-even; `Err` when a finite `x` rounds beyond ±65504.
    #[inline]
    pub fn from_f32(x: f32) -> Result<F16, F16Overflow> {
        scalar::f32_to_f16(x)
    }

    /// Round to nearest-even with no overflow check: a finite `x` beyond ±65504 becomes ±Inf
    /// (pgvector's `Float4ToHalfUnchecked`, for arithmetic whose callers test for infinity).
    #[inline]
    pub fn from_f32_unchecked(x: f32) -> F16 {
        F16(scalar::f32_to_f16_bits(x))
    }

    #[inline]
    pub const fn is_nan(self) -> bool {
        self.0 & 0x7FFF > 0x7C00
    }

    #[inline]
    pub const fn is_infinite(self) -> bool {
        self.0 & 0x7FFF == 0x7C00
    }

    /// True for +0 and -0.
    #[inline]
    pub const fn is_zero(self) -> bool {
        self.0 & 0x7FFF == 0
    }
}

/// A finite f32 too large in magnitude for f16; carries the offending input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct F16Overflow {
    pub value: f32,
}

impl core::fmt::Display for F16Overflow {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} is out of range for f16", self.value)
    }
}

/// Converts `src` into `dst` (F16C hardware when available). Equal lengths are
/// expected; only the common prefix is written. On `Err`, `dst` is partly written.
pub fn f32_to_f16_slice(src: &[f32], dst: &mut [F16]) -> Result<(), F16Overflow> {
    debug_assert_eq!(src.len(), dst.len());
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_f16c() {
        // SAFETY: F16C and AVX were just checked.
        return unsafe { f16c::f32_to_f16_slice(src, dst) };
    }
    scalar::f32_to_f16_slice(src, dst)
}

/// Widens `src` into `dst` exactly (F16C hardware when available).
pub fn f16_to_f32_slice(src: &[F16], dst: &mut [f32]) {
    debug_assert_eq!(src.len(), dst.len());
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_f16c() {
        // SAFETY: F16C and AVX were just checked.
        return unsafe { f16c::f16_to_f32_slice(src, dst) };
    }
    scalar::f16_to_f32_slice(src, dst)
}
