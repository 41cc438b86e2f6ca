//! k-means++ seeding (Arthur & Vassilvitskii): each new centroid is a data point drawn with
//! probability proportional to its squared distance to the nearest centroid so far, which
//! spreads the seeds over the clusters instead of piling them into the dense ones.
use crate::distance::scalar::squared_l2;
use crate::splitmix::SplitMix64;
use alloc::vec::Vec;

/// k centroids (row-major) seeded from `data`. When every remaining point already
/// coincides with a centroid (fewer distinct points than k), further seeds are uniform
/// picks, i.e. duplicates that the Lloyd step will split apart.
pub(super) fn kmeans_plus_plus(data: &[f32], dims: usize, k: usize, rng: &mut SplitMix64) -> Vec<f32> {
    let n = data.len() / dims;
    let mut centroids = Vec::with_capacity(k * dims);
    if n == 0 {
        centroids.resize(k * dims, 0.0);
        return centroids;
    }
    let row = |i: usize| &data[i * dims..(i + 1) * dims];
    let mut nearest = alloc::vec![f64::INFINITY; n];
    let mut pick = rng.below(n);
    for _ in 0..k {
        let c = row(pick);
        centroids.extend_from_slice(c);
        // Update the distance to the nearest seed; the f64 running total is summed in
        // index order, so the draw below is the same on every target.
        let mut total = 0.0f64;
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min(squared_l2(row(i), c) as f64);
            total += *d;
        }
        pick = if total > 0.0 && total.is_finite() {
            draw_weighted(&nearest, total * rng.unit_f64())
        } else {
            rng.below(n)
        };
    }
    centroids
}

/// The first index whose cumulative weight exceeds `target`; skips zero weights so an
/// existing seed is never drawn again while other points remain.
fn draw_weighted(weights: &[f64], target: f64) -> usize {
    let mut cumulative = 0.0;
    let mut last_positive = 0;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            cumulative += w;
            last_positive = i;
            if cumulative > target {
                return i;
            }
        }
    }
    last_positive // rounding left target at the very end
}
