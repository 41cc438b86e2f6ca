//! Lloyd iterations: assign every point to its nearest centroid, move each centroid to the
//! mean of its points, repeat until the assignment is stable.
use super::Params;
use crate::splitmix::SplitMix64;
use alloc::vec;

/// Relative size of the nudge that separates the two halves of a split cluster.
const SPLIT_EPSILON: f64 = 1.0 / 1024.0;

pub(super) fn refine(data: &[f32], dims: usize, centroids: &mut [f32], params: &Params, rng: &mut SplitMix64) {
    let n = data.len() / dims;
    if n == 0 {
        return;
    }
    let k = params.k;
    let mut assignment = vec![usize::MAX; n];
    let mut sums = vec![0.0f64; k * dims];
    let mut counts = vec![0usize; k];
    for _ in 0..params.max_iterations {
        let changed = assign(data, dims, centroids, &mut assignment);
        if changed == 0 {
            break;
        }
        update_means(data, dims, &assignment, centroids, &mut sums, &mut counts);
        split_into_empty(centroids, dims, &mut counts, rng);
        if params.spherical {
            super::normalise_rows(centroids, dims);
        }
    }
}

/// Reassigns every point; returns how many changed cluster.
fn assign(data: &[f32], dims: usize, centroids: &[f32], assignment: &mut [usize]) -> usize {
    let mut changed = 0;
    for (point, slot) in data.chunks_exact(dims).zip(assignment.iter_mut()) {
        let (best, _) = super::nearest(centroids, dims, point);
        if *slot != best {
            *slot = best;
            changed += 1;
        }
    }
    changed
}

/// Centroid = mean of its points, summed in f64 in point order (exact enough that the f32
/// result does not depend on the order, and the order is fixed anyway). Clusters left
/// empty keep their old centroid until `split_into_empty` replaces it.
fn update_means(data: &[f32], dims: usize, assignment: &[usize], centroids: &mut [f32], sums: &mut [f64], counts: &mut [usize]) {
    sums.fill(0.0);
    counts.fill(0);
    for (point, &cluster) in data.chunks_exact(dims).zip(assignment) {
        counts[cluster] += 1;
        let sum = &mut sums[cluster * dims..(cluster + 1) * dims];
        sum.iter_mut().zip(point).for_each(|(s, &x)| *s += x as f64);
    }
    for (cluster, &count) in counts.iter().enumerate() {
        if count > 0 {
            let range = cluster * dims..(cluster + 1) * dims;
            let inv = 1.0 / count as f64;
            for (c, &s) in centroids[range.clone()].iter_mut().zip(&sums[range]) {
                *c = (s * inv) as f32;
            }
        }
    }
}

/// Gives every empty cluster half of the currently largest one (as FAISS does): a copy of
/// its centroid, with both copies nudged apart in a random direction so that the next
/// assignment divides the points between them. Counts are halved as a guess, so that
/// several empty clusters split different donors.
fn split_into_empty(centroids: &mut [f32], dims: usize, counts: &mut [usize], rng: &mut SplitMix64) {
    for empty in 0..counts.len() {
        if counts[empty] != 0 {
            continue;
        }
        let donor = largest(counts);
        if counts[donor] == 0 {
            return; // no points at all
        }
        let scale = mean_abs(&centroids[donor * dims..(donor + 1) * dims]).max(f32::MIN_POSITIVE as f64);
        for d in 0..dims {
            let c = centroids[donor * dims + d] as f64;
            let nudge = SPLIT_EPSILON * (c.abs() + scale);
            let nudge = if rng.next_u64() & 1 == 0 { nudge } else { -nudge };
            centroids[donor * dims + d] = (c + nudge) as f32;
            centroids[empty * dims + d] = (c - nudge) as f32;
        }
        counts[empty] = counts[donor] / 2;
        counts[donor] -= counts[empty];
        if counts[empty] == 0 {
            counts[empty] = 1; // a one-point donor: mark the slot filled all the same
        }
    }
}

/// Index of the largest count, lowest index on ties.
fn largest(counts: &[usize]) -> usize {
    let mut best = 0;
    for (i, &c) in counts.iter().enumerate() {
        if c > counts[best] {
            best = i;
        }
    }
    best
}

fn mean_abs(v: &[f32]) -> f64 {
    v.iter().map(|&x| (x as f64).abs()).sum::<f64>() / v.len() as f64
}
