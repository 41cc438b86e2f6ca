//! Straightforward f64 references, written independently of the kernels under test.

pub struct Sums {
    pub squared_l2: f64,
    pub dot: f64,
    pub dot_abs: f64,
    pub l1: f64,
    pub norm_a_sq: f64,
    pub norm_b_sq: f64,
}

pub fn sums(a: &[f32], b: &[f32]) -> Sums {
    let mut s = Sums { squared_l2: 0.0, dot: 0.0, dot_abs: 0.0, l1: 0.0, norm_a_sq: 0.0, norm_b_sq: 0.0 };
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (x as f64, y as f64);
        s.squared_l2 += (x - y) * (x - y);
        s.dot += x * y;
        s.dot_abs += (x * y).abs();
        s.l1 += (x - y).abs();
        s.norm_a_sq += x * x;
        s.norm_b_sq += y * y;
    }
    s
}

/// pgvector's cosine distance: NaN when either vector is all zeros, similarity clamped to [-1, 1].
pub fn cosine_distance(s: &Sums) -> f64 {
    if s.norm_a_sq == 0.0 || s.norm_b_sq == 0.0 {
        return f64::NAN;
    }
    let similarity = (s.dot / sqrt(s.norm_a_sq * s.norm_b_sq)).clamp(-1.0, 1.0);
    1.0 - similarity
}

/// Newton's method: `core` has no stable f64 square root, and the checks need ~1e-12 accuracy.
pub fn sqrt(x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    let mut r = if x > 1.0 { x } else { 1.0 };
    for _ in 0..100 {
        let next = 0.5 * (r + x / r);
        if (next - r).abs() <= 1e-15 * next {
            return next;
        }
        r = next;
    }
    r
}

pub fn popcount_and_or(a: &[u8], b: &[u8]) -> (u64, u64, u64) {
    let (mut xor, mut and, mut or) = (0u64, 0u64, 0u64);
    for (&x, &y) in a.iter().zip(b) {
        for bit in 0..8 {
            let (p, q) = ((x >> bit) & 1, (y >> bit) & 1);
            xor += (p ^ q) as u64;
            and += (p & q) as u64;
            or += (p | q) as u64;
        }
    }
    (xor, and, or)
}
