// Shared helpers for unit tests: a seeded PRNG (no `rand` dependency) and
// tolerance checks against f64 references.
use alloc::vec::Vec;

/// SplitMix64: tiny, seedable, good enough to spread test inputs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in [-1, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }

    /// Mostly unit-range values, some spread over several decades and some
    /// exact zeros, so kernels see cancellation and magnitude mixes.
    pub fn value(&mut self) -> f32 {
        match self.below(16) {
            0 => 0.0,
            1 => self.unit() * 1000.0,
            2 => self.unit() * 0.001,
            _ => self.unit(),
        }
    }

    pub fn vec(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.value()).collect()
    }
}

/// `|got - want| <= rel * scale + abs`, where `scale` bounds the accumulated
/// magnitude (e.g. the sum of |terms|), which is what f32 rounding error scales with.
#[track_caller]
pub fn assert_close(got: f64, want: f64, scale: f64, rel: f64, abs: f64, what: &str) {
    let err = (got - want).abs();
    assert!(
        err <= rel * scale + abs,
        "{what}: got {got:e}, want {want:e} (err {err:e}, scale {scale:e})"
    );
}
