//! Binary quantization (pgvector `binary_quantize`): one bit per dimension, set
//! when the value is > 0, laid out like a Postgres bit string: the first
//! dimension is the most significant bit of the first byte, and unused bits of
//! the last byte are zero. NaN and -0.0 are not > 0, so they give 0 bits.

use crate::f16::F16;
use alloc::vec::Vec;

/// Bytes needed for `dims` bits.
pub const fn quantized_len(dims: usize) -> usize {
    dims.div_ceil(8)
}

/// Writes the bits of `x` into `out[..quantized_len(x.len())]`, overwriting
/// whole bytes (so `out` need not be zeroed). Panics if `out` is too short.
pub fn binary_quantize_into(x: &[f32], out: &mut [u8]) {
    pack(x.len(), out, |i| x[i] > 0.0);
}

/// [`binary_quantize_into`] into a new vector.
pub fn binary_quantize(x: &[f32]) -> Vec<u8> {
    let mut out = alloc::vec![0u8; quantized_len(x.len())];
    binary_quantize_into(x, &mut out);
    out
}

/// The same for `halfvec`: positive means sign bit clear and not ±0 or NaN.
pub fn binary_quantize_f16_into(x: &[F16], out: &mut [u8]) {
    pack(x.len(), out, |i| matches!(x[i].to_bits(), 0x0001..=0x7C00));
}

#[inline]
fn pack(dims: usize, out: &mut [u8], positive: impl Fn(usize) -> bool) {
    let out = &mut out[..quantized_len(dims)];
    for (byte_index, byte) in out.iter_mut().enumerate() {
        let start = byte_index * 8;
        let mut b = 0u8;
        for i in start..dims.min(start + 8) {
            b |= (positive(i) as u8) << (7 - (i - start));
        }
        *byte = b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Rng;

    #[test]
    fn msb_first_with_zero_padding() {
        assert_eq!(binary_quantize(&[]), Vec::<u8>::new());
        assert_eq!(binary_quantize(&[1.0]), [0x80]);
        assert_eq!(
            binary_quantize(&[1.0, -1.0, 0.0, 2.0, -0.0, f32::NAN, 1e-45, f32::INFINITY]),
            [0b1001_0011]
        );
        assert_eq!(
            binary_quantize(&[-1.0, 1.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 3.0, 3.0]),
            [0b0110_0000, 0b1100_0000]
        );
        let mut out = [0xFFu8; 3];
        binary_quantize_into(&[0.5; 9], &mut out);
        assert_eq!(out, [0xFF, 0x80, 0xFF]); // whole bytes written, bytes past the end untouched
    }

    #[test]
    fn matches_per_bit_reference_and_f16() {
        let mut rng = Rng::new(4);
        for n in 0..300 {
            let x = rng.vec(n);
            let q = binary_quantize(&x);
            assert_eq!(q.len(), n.div_ceil(8));
            for (i, v) in x.iter().enumerate() {
                assert_eq!(q[i / 8] >> (7 - i % 8) & 1 == 1, *v > 0.0);
            }
            assert!(
                n % 8 == 0 || q[n / 8] & (0xFF >> (n % 8)) == 0,
                "padding bits are zero"
            );
            let h: Vec<F16> = x.iter().map(|&v| F16::from_f32(v).unwrap()).collect();
            let widened: Vec<f32> = h.iter().map(|v| v.to_f32()).collect();
            let mut qh = alloc::vec![0u8; n.div_ceil(8)];
            binary_quantize_f16_into(&h, &mut qh);
            assert_eq!(qh, binary_quantize(&widened));
        }
        let specials = [
            F16::from_bits(0x8000),
            F16::from_bits(0x7E00),
            F16::INFINITY,
            F16::NEG_INFINITY,
            F16::from_bits(1),
        ];
        let mut q = [0u8];
        binary_quantize_f16_into(&specials, &mut q);
        assert_eq!(q, [0b0010_1000]);
    }
}
