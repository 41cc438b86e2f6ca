//! Distances between sparse vectors (`sparsevec`) of the same dimension, each
//! given as strictly increasing indices and their values. Pairs of entries are
//! merged by index, an index present on one side only counting as 0 on the
//! other. Sums are accumulated in f32 in index order, like pgvector 0.8; the
//! norm is summed in f64, also like pgvector.

use crate::distance::cosine_from_parts;
use crate::math::sqrt;

/// Borrowed sparse vector: `values[k]` sits at position `indices[k]`.
#[derive(Clone, Copy, Debug)]
pub struct SparseView<'a> {
    indices: &'a [i32],
    values: &'a [f32],
}

impl<'a> SparseView<'a> {
    /// Indices must be strictly increasing and as many as the values; both are
    /// only `debug_assert`ed (breaking them gives wrong numbers, never UB).
    pub fn new(indices: &'a [i32], values: &'a [f32]) -> Self {
        debug_assert_eq!(indices.len(), values.len());
        debug_assert!(
            indices.windows(2).all(|w| w[0] < w[1]),
            "indices not strictly increasing"
        );
        SparseView { indices, values }
    }

    pub fn indices(&self) -> &'a [i32] {
        self.indices
    }

    pub fn values(&self) -> &'a [f32] {
        self.values
    }

    fn len(&self) -> usize {
        self.indices.len().min(self.values.len())
    }
}

/// Calls `f(x, y)` for every index present in `a` or `b`, in increasing index
/// order, with 0.0 standing in for the missing side.
#[inline]
fn merge(a: SparseView, b: SparseView, mut f: impl FnMut(f32, f32)) {
    let (na, nb) = (a.len(), b.len());
    let (mut i, mut j) = (0, 0);
    while i < na && j < nb {
        let (ia, ib) = (a.indices[i], b.indices[j]);
        if ia == ib {
            f(a.values[i], b.values[j]);
            i += 1;
            j += 1;
        } else if ia < ib {
            f(a.values[i], 0.0);
            i += 1;
        } else {
            f(0.0, b.values[j]);
            j += 1;
        }
    }
    a.values[i..na].iter().for_each(|&x| f(x, 0.0));
    b.values[j..nb].iter().for_each(|&y| f(0.0, y));
}

/// Squared Euclidean distance.
pub fn squared_l2(a: SparseView, b: SparseView) -> f32 {
    let mut sum = 0.0f32;
    // x - 0 and 0 - y square to exactly x² and y², so one formula covers all cases.
    merge(a, b, |x, y| sum += (x - y) * (x - y));
    sum
}

/// Euclidean distance (`<->`).
pub fn l2(a: SparseView, b: SparseView) -> f64 {
    sqrt(squared_l2(a, b) as f64)
}

/// Dot product; only indices present in both contribute.
pub fn inner_product(a: SparseView, b: SparseView) -> f32 {
    let (na, nb) = (a.len(), b.len());
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < na && j < nb {
        let (ia, ib) = (a.indices[i], b.indices[j]);
        if ia == ib {
            sum += a.values[i] * b.values[j];
        }
        i += (ia <= ib) as usize;
        j += (ib <= ia) as usize;
    }
    sum
}

/// Negated dot product (`<#>`).
pub fn negative_inner_product(a: SparseView, b: SparseView) -> f64 {
    -(inner_product(a, b) as f64)
}

/// Cosine distance (`<=>`); NaN when either vector has no non-zero value.
pub fn cosine_distance(a: SparseView, b: SparseView) -> f64 {
    let square_sum = |v: SparseView| v.values[..v.len()].iter().fold(0.0f32, |s, &x| s + x * x);
    cosine_from_parts(inner_product(a, b), square_sum(a), square_sum(b))
}

/// Taxicab distance (`<+>`).
pub fn l1(a: SparseView, b: SparseView) -> f32 {
    let mut sum = 0.0f32;
    merge(a, b, |x, y| sum += (x - y).abs());
    sum
}

/// Euclidean norm, summed in f64.
pub fn norm(a: SparseView) -> f64 {
    // A fold from +0.0 rather than `Sum`, which starts at -0.0: an empty vector's norm is +0,
    // as pgvector returns it.
    sqrt(
        a.values[..a.len()]
            .iter()
            .fold(0.0f64, |s, &x| s + x as f64 * x as f64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Rng, assert_close};
    use alloc::vec::Vec;

    fn random_sparse(rng: &mut Rng, dim: usize, density: u64) -> (Vec<i32>, Vec<f32>, Vec<f32>) {
        let (mut idx, mut val, mut dense) = (Vec::new(), Vec::new(), alloc::vec![0.0f32; dim]);
        for (i, d) in dense.iter_mut().enumerate() {
            if rng.below(100) < density {
                let v = rng.value();
                idx.push(i as i32);
                val.push(v);
                *d = v;
            }
        }
        (idx, val, dense)
    }

    #[test]
    fn match_dense_reference() {
        let mut rng = Rng::new(17);
        for dim in 1..=400 {
            let (ia, va, da) = random_sparse(&mut rng, dim, [1, 10, 50, 100][dim % 4]);
            let (ib, vb, db) = random_sparse(&mut rng, dim, [5, 30, 90][dim % 3]);
            let (a, b) = (SparseView::new(&ia, &va), SparseView::new(&ib, &vb));
            let pairs = || da.iter().zip(&db).map(|(&x, &y)| (x as f64, y as f64));
            let sq: f64 = pairs().map(|(x, y)| (x - y) * (x - y)).sum();
            assert_close(squared_l2(a, b) as f64, sq, sq, 1e-5, 0.0, "squared_l2");
            assert_close(l2(a, b), sq.sqrt(), sq.sqrt(), 1e-5, 0.0, "l2");
            let ip: f64 = pairs().map(|(x, y)| x * y).sum();
            let scale: f64 = pairs().map(|(x, y)| (x * y).abs()).sum();
            assert_close(
                inner_product(a, b) as f64,
                ip,
                scale,
                1e-5,
                1e-30,
                "inner_product",
            );
            assert_close(
                negative_inner_product(a, b),
                -ip,
                scale,
                1e-5,
                1e-30,
                "negative_inner_product",
            );
            let (na, nb): (f64, f64) = (
                pairs().map(|(x, _)| x * x).sum(),
                pairs().map(|(_, y)| y * y).sum(),
            );
            let cos = 1.0 - (ip / (na * nb).sqrt()).clamp(-1.0, 1.0);
            let got = cosine_distance(a, b);
            if cos.is_nan() {
                assert!(got.is_nan(), "dim={dim}")
            } else {
                assert_close(got, cos, 1.0, 3e-5, 0.0, "cosine")
            }
            let l1d: f64 = pairs().map(|(x, y)| (x - y).abs()).sum();
            assert_close(l1(a, b) as f64, l1d, l1d, 1e-5, 0.0, "l1");
            assert_close(norm(a), na.sqrt(), na.sqrt(), 1e-12, 0.0, "norm");
        }
    }

    #[test]
    fn disjoint_identical_and_empty() {
        let a = SparseView::new(&[0, 2, 4], &[1.0, 2.0, 3.0]);
        let b = SparseView::new(&[1, 3], &[-1.0, 5.0]);
        let empty = SparseView::new(&[], &[]);
        assert_eq!(inner_product(a, b), 0.0);
        assert_eq!(cosine_distance(a, b), 1.0);
        assert_eq!(squared_l2(a, b), 1.0 + 4.0 + 9.0 + 1.0 + 25.0);
        assert_eq!(l1(a, b), 1.0 + 2.0 + 3.0 + 1.0 + 5.0);
        assert_eq!(cosine_distance(a, a), 0.0);
        assert_eq!(squared_l2(a, a), 0.0);
        assert!(cosine_distance(a, empty).is_nan());
        assert_eq!(squared_l2(empty, b), 26.0);
        assert_eq!(norm(SparseView::new(&[7], &[-3.0])), 3.0);
        assert_eq!(norm(empty).to_bits(), 0.0f64.to_bits(), "+0, not -0");
    }
}
