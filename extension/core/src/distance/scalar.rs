//! Portable kernels. Eight independent accumulators let LLVM vectorize the loop
//! with whatever baseline SIMD the target has, and shorten the f32 error chains.

const LANES: usize = 8;

#[inline]
fn sum_lanes(acc: [f32; LANES]) -> f32 {
    ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]))
}

/// Both slices cut to the shorter length. Without this a mismatch would pair the
/// longer slice's remainder (after its own whole chunks) with the shorter one's.
#[inline]
fn same_length<'a>(a: &'a [f32], b: &'a [f32]) -> (&'a [f32], &'a [f32]) {
    let n = a.len().min(b.len());
    (&a[..n], &b[..n])
}

/// Sum of (aᵢ - bᵢ)², accumulated in f32.
pub fn squared_l2(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (a, b) = same_length(a, b);
    let mut acc = [0.0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..LANES {
            let d = x[k] - y[k];
            acc[k] += d * d;
        }
    }
    let mut sum = sum_lanes(acc);
    for (x, y) in ra.iter().zip(rb) {
        let d = x - y;
        sum += d * d;
    }
    sum
}

/// Dot product, accumulated in f32.
pub fn inner_product(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (a, b) = same_length(a, b);
    let mut acc = [0.0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..LANES {
            acc[k] += x[k] * y[k];
        }
    }
    let mut sum = sum_lanes(acc);
    for (x, y) in ra.iter().zip(rb) {
        sum += x * y;
    }
    sum
}

/// (a·b, |a|², |b|²) in one pass, each accumulated in f32, for cosine distance.
pub fn dot_and_norms(a: &[f32], b: &[f32]) -> (f32, f32, f32) {
    debug_assert_eq!(a.len(), b.len());
    let (a, b) = same_length(a, b);
    let (mut ab, mut aa, mut bb) = ([0.0f32; LANES], [0.0f32; LANES], [0.0f32; LANES]);
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..LANES {
            ab[k] += x[k] * y[k];
            aa[k] += x[k] * x[k];
            bb[k] += y[k] * y[k];
        }
    }
    let (mut ab, mut aa, mut bb) = (sum_lanes(ab), sum_lanes(aa), sum_lanes(bb));
    for (x, y) in ra.iter().zip(rb) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    (ab, aa, bb)
}

/// Sum of |aᵢ - bᵢ|, accumulated in f32.
pub fn l1(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (a, b) = same_length(a, b);
    let mut acc = [0.0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..LANES {
            acc[k] += (x[k] - y[k]).abs();
        }
    }
    let mut sum = sum_lanes(acc);
    for (x, y) in ra.iter().zip(rb) {
        sum += (x - y).abs();
    }
    sum
}

/// Sum of aᵢ², accumulated in f64 (pgvector's `vector_norm` does the same).
pub fn sum_of_squares(a: &[f32]) -> f64 {
    let mut acc = [0.0f64; 4];
    let ca = a.chunks_exact(4);
    let ra = ca.remainder();
    for x in ca {
        for k in 0..4 {
            acc[k] += x[k] as f64 * x[k] as f64;
        }
    }
    let mut sum = (acc[0] + acc[2]) + (acc[1] + acc[3]);
    for &x in ra {
        sum += x as f64 * x as f64;
    }
    sum
}
