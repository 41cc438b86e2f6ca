//! A seeded random orthogonal rotation that is cheap for any dimension.
//!
//! A dense random orthogonal matrix costs D² per vector and D² floats of storage. Instead,
//! with P = the padded dimension and H = the largest power of two ≤ P, one round is
//!   flip signs (P random bits) → normalised FWHT on coordinates [0, H)
//!   → flip signs → normalised FWHT on coordinates [P − H, P),
//! and we apply [`ROUNDS`] rounds. Every step is orthogonal, so the whole map is (up to
//! f32 rounding); the two overlapping windows mix every coordinate with every other when P
//! is not a power of two, and when it is, a round is just two randomised Hadamard
//! transforms (H·D, the structured rotation used for the Johnson–Lindenstrauss transform).
//! Four sign-flip + Hadamard steps make the rotated coordinates close enough to those of a
//! uniformly random rotation for RaBitQ's estimator (checked empirically by the tests).
//!
//! Determinism: sign bits come from SplitMix64, the butterfly runs in a fixed order in
//! scalar f32, and 1/√H is a correctly rounded constant, so every target gets the same bits.
use crate::splitmix::SplitMix64;
use alloc::vec;
use alloc::vec::Vec;

pub const ROUNDS: usize = 2;

#[derive(Clone, Debug)]
pub struct Rotation {
    dims: usize,
    padded: usize,
    window: usize,
    scale: f32,
    /// 2 × ROUNDS sign masks of `padded` bits each.
    signs: Vec<u64>,
}

impl Rotation {
    pub fn new(dims: usize, seed: u64) -> Rotation {
        let padded = super::padded_dims(dims);
        let window = 1usize << (usize::BITS - 1 - padded.leading_zeros());
        let scale = (1.0 / crate::math::sqrt(window as f64)) as f32;
        let mut rng = SplitMix64::new(seed);
        let signs = (0..2 * ROUNDS * padded / 64).map(|_| rng.next_u64()).collect();
        Rotation { dims, padded, window, scale, signs }
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    pub fn padded_dims(&self) -> usize {
        self.padded
    }

    /// P·x, where x (of `dims` floats) is zero-padded to `padded_dims`.
    pub fn rotate(&self, x: &[f32]) -> Vec<f32> {
        let mut out = vec![0.0; self.padded];
        self.rotate_into(x, &mut out);
        out
    }

    /// As [`rotate`](Self::rotate), into `out` (`padded_dims` long).
    pub fn rotate_into(&self, x: &[f32], out: &mut [f32]) {
        assert_eq!(x.len(), self.dims);
        assert_eq!(out.len(), self.padded);
        out[..self.dims].copy_from_slice(x);
        out[self.dims..].fill(0.0);
        let words = self.padded / 64;
        for (step, mask) in self.signs.chunks_exact(words).enumerate() {
            flip_signs(out, mask);
            let start = if step % 2 == 0 { 0 } else { self.padded - self.window };
            fwht(&mut out[start..start + self.window], self.scale);
        }
    }
}

/// Negates the coordinates whose mask bit is set, by flipping the sign bit (what negation
/// does), without a branch so that it vectorises. `x` is whole words of 64 coordinates.
fn flip_signs(x: &mut [f32], mask: &[u64]) {
    for (chunk, &m) in x.chunks_exact_mut(64).zip(mask) {
        for (i, v) in chunk.iter_mut().enumerate() {
            *v = f32::from_bits(v.to_bits() ^ (((m >> i) & 1) as u32) << 31);
        }
    }
}

/// In-place fast Walsh–Hadamard transform of a power-of-two slice, times `scale` (1/√len,
/// which makes it orthogonal).
fn fwht(x: &mut [f32], scale: f32) {
    let n = x.len();
    let mut half = 1;
    while half < n {
        for block in x.chunks_exact_mut(2 * half) {
            let (lo, hi) = block.split_at_mut(half);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let (s, d) = (*a + *b, *a - *b);
                *a = s;
                *b = d;
            }
        }
        half *= 2;
    }
    x.iter_mut().for_each(|v| *v *= scale);
}

#[cfg(test)]
mod tests {
    use super::flip_signs;
    use crate::testutil::Rng;
    use alloc::vec::Vec;

    #[test]
    fn flipping_sign_bits_is_negation_bit_for_bit() {
        let mut rng = Rng::new(9);
        let special = [0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -f32::NAN, f32::MIN_POSITIVE, 1e-45];
        for words in [1, 2, 6, 25] {
            let x: Vec<f32> = (0..64 * words).map(|i| if i % 5 == 0 { special[i / 5 % special.len()] } else { rng.unit() * 100.0 }).collect();
            let mask: Vec<u64> = (0..words).map(|_| rng.next_u64()).collect();
            let mut got = x.clone();
            flip_signs(&mut got, &mask);
            // The previous loop: negate where the bit is set.
            let want: Vec<f32> = x.iter().enumerate().map(|(i, &v)| if mask[i / 64] >> (i % 64) & 1 != 0 { -v } else { v }).collect();
            assert_eq!(got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        }
    }
}
