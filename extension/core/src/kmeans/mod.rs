//! Deterministic k-means for choosing IVF list centroids.
//!
//! k-means++ seeding, then Lloyd iterations until no assignment changes (or an iteration
//! cap). Empty clusters are refilled by splitting the most populated one. The spherical
//! variant (for inner product and cosine) renormalises centroids after every update, as
//! pgvector does for those opclasses.
//!
//! **Determinism.** The same input and seed give bit-identical centroids on every target.
//! Hence: one sequential pass per step (no parallel reductions), f64 accumulators for the
//! means, and assignments decided by [`crate::distance::scalar::squared_l2`] — the AVX2
//! kernel fuses multiply-adds and sums in another order, so its last bits differ from the
//! scalar and simd128 ones, which could flip a near-tie assignment between machines.
//! [`nearest`] still runs the dispatched kernel first and asks the scalar one only about the
//! centroids within rounding error of the best.

mod init;
mod lloyd;
mod sample;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;

pub use sample::sample_rows;

/// k-means parameters.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    /// Number of centroids wanted (≥ 1). May exceed the number of vectors: the surplus
    /// centroids are then perturbed copies (lists that will start empty).
    pub k: usize,
    /// Upper bound on Lloyd iterations; stops earlier once assignments are stable.
    pub max_iterations: u32,
    /// Seeds every random choice.
    pub seed: u64,
    /// Normalise centroids to unit length (spherical k-means, for inner product / cosine).
    pub spherical: bool,
}

impl Params {
    pub fn new(k: usize, seed: u64) -> Params {
        Params { k, max_iterations: 25, seed, spherical: false }
    }
}

/// Trains `params.k` centroids on `data` (row-major, `dims` floats per vector) and returns
/// them row-major (`k * dims` floats). An empty `data` gives all-zero centroids.
pub fn train(data: &[f32], dims: usize, params: &Params) -> Vec<f32> {
    assert!(dims > 0 && params.k > 0, "k-means needs dims > 0 and k > 0");
    assert_eq!(data.len() % dims, 0, "data is not a whole number of vectors");
    let mut rng = crate::splitmix::SplitMix64::new(params.seed);
    let mut centroids = init::kmeans_plus_plus(data, dims, params.k, &mut rng);
    if params.spherical {
        normalise_rows(&mut centroids, dims);
    }
    lloyd::refine(data, dims, &mut centroids, params, &mut rng);
    centroids
}

/// The centroid nearest to `vector` by squared L2 as [`crate::distance::scalar::squared_l2`]
/// computes it, and that distance; ties go to the lowest index. For unit-length (spherical)
/// centroids this is also the one with the largest inner product.
///
/// Fast and still the same on every target: a first pass uses the dispatched kernel (AVX2
/// natively), whose last bits may differ from the scalar kernel's; then only the centroids
/// within that kernel's error of the best are compared again with the scalar kernel. Both sum
/// `dims` non-negative terms in f32, so each is within dims·2⁻²³ (relative) of the exact sum
/// and the scalar argmin's fast distance is within 3·dims·2⁻²³ of the fast minimum.
pub fn nearest(centroids: &[f32], dims: usize, vector: &[f32]) -> (usize, f32) {
    let mut fast_min = f32::INFINITY;
    for c in centroids.chunks_exact(dims) {
        fast_min = fast_min.min(crate::distance::squared_l2(c, vector));
    }
    let margin = fast_min as f64 * (3.0 * dims as f64 / (1u64 << 23) as f64) + f32::MIN_POSITIVE as f64;
    let cutoff = fast_min as f64 + margin;
    let mut best = (0, f32::INFINITY);
    for (i, c) in centroids.chunks_exact(dims).enumerate() {
        // NaN distances (never for validated values) fall through to the scalar check.
        let fast = crate::distance::squared_l2(c, vector);
        if fast as f64 > cutoff {
            continue;
        }
        let d = crate::distance::scalar::squared_l2(c, vector);
        if d < best.1 {
            best = (i, d);
        }
    }
    if best.1 == f32::INFINITY {
        return nearest_scalar(centroids, dims, vector);
    }
    best
}

/// [`nearest`] with the scalar kernel only: the reference it must agree with.
pub fn nearest_scalar(centroids: &[f32], dims: usize, vector: &[f32]) -> (usize, f32) {
    let mut best = (0, f32::INFINITY);
    for (i, c) in centroids.chunks_exact(dims).enumerate() {
        let d = crate::distance::scalar::squared_l2(c, vector);
        if d < best.1 {
            best = (i, d);
        }
    }
    best
}

/// Scales every row to unit length (rows of zeros stay zero), with the norm taken in f64.
pub fn normalise_rows(rows: &mut [f32], dims: usize) {
    for row in rows.chunks_exact_mut(dims) {
        let sum: f64 = row.iter().map(|&x| x as f64 * x as f64).sum();
        if sum > 0.0 {
            let inv = 1.0 / crate::math::sqrt(sum);
            row.iter_mut().for_each(|x| *x = (*x as f64 * inv) as f32);
        }
    }
}
