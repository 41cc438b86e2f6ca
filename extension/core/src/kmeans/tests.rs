use super::*;
use crate::testutil::Rng;
use alloc::vec::Vec;

/// `clusters` well separated blobs of `per` points each; returns (data, true centres).
fn planted(clusters: usize, per: usize, dims: usize, seed: u64) -> (Vec<f32>, Vec<f32>) {
    let mut rng = Rng::new(seed);
    let centres: Vec<f32> = (0..clusters * dims).map(|_| rng.unit() * 10.0).collect();
    let mut data = Vec::new();
    for i in 0..clusters * per {
        let c = &centres[(i % clusters) * dims..][..dims];
        data.extend(c.iter().map(|&x| x + rng.unit() * 0.1));
    }
    (data, centres)
}

#[test]
fn recovers_planted_clusters() {
    let (dims, k) = (16, 12);
    let (data, centres) = planted(k, 40, dims, 1);
    let found = train(&data, dims, &Params::new(k, 7));
    assert_eq!(found.len(), k * dims);
    // Every true centre has a found centroid within the blob's noise.
    for c in centres.chunks_exact(dims) {
        let (_, d) = nearest(&found, dims, c);
        assert!(d < 0.05, "no centroid near a planted centre (squared distance {d})");
    }
}

#[test]
fn same_input_and_seed_give_identical_bits() {
    let (data, _) = planted(8, 30, 10, 2);
    let a = train(&data, 10, &Params::new(8, 99));
    let b = train(&data, 10, &Params::new(8, 99));
    assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()));
    let c = train(&data, 10, &Params::new(8, 100));
    assert_eq!(c.len(), a.len());
}

#[test]
fn more_centroids_than_points() {
    let (data, _) = planted(3, 1, 4, 3);
    let found = train(&data, 4, &Params::new(10, 1));
    assert_eq!(found.len(), 40);
    assert!(found.iter().all(|x| x.is_finite()));
    for p in data.chunks_exact(4) {
        let (_, d) = nearest(&found, 4, p);
        assert!(d < 1e-3, "a point lost its centroid (squared distance {d})");
    }
}

#[test]
fn duplicates_only() {
    let data: Vec<f32> = [1.0f32, -2.0, 3.0].repeat(50);
    let found = train(&data, 3, &Params::new(4, 5));
    for c in found.chunks_exact(3) {
        assert!(crate::distance::scalar::squared_l2(c, &[1.0, -2.0, 3.0]) < 1e-3);
    }
    let zeros = alloc::vec![0.0f32; 30];
    assert!(train(&zeros, 3, &Params::new(4, 5)).iter().all(|x| x.is_finite()));
}

#[test]
fn one_centroid_is_the_mean() {
    let data = [0.0f32, 0.0, 2.0, 4.0, 4.0, 8.0];
    let found = train(&data, 2, &Params::new(1, 0));
    assert_eq!(found, [2.0, 4.0]);
}

#[test]
fn no_data_gives_zero_centroids() {
    assert_eq!(train(&[], 3, &Params::new(2, 0)), [0.0; 6]);
}

#[test]
fn spherical_centroids_have_unit_length() {
    let (mut data, _) = planted(5, 20, 8, 4);
    normalise_rows(&mut data, 8);
    let params = Params { spherical: true, ..Params::new(5, 3) };
    for c in train(&data, 8, &params).chunks_exact(8) {
        let norm2: f64 = c.iter().map(|&x| x as f64 * x as f64).sum();
        assert!((norm2 - 1.0).abs() < 1e-5, "norm² {norm2}");
    }
}

#[test]
fn sample_rows_is_a_reproducible_subset() {
    let s = sample_rows(1000, 50, 9);
    assert_eq!(s.len(), 50);
    assert!(s.windows(2).all(|w| w[0] < w[1]) && *s.last().unwrap() < 1000);
    assert_eq!(s, sample_rows(1000, 50, 9));
    assert_eq!(sample_rows(10, 50, 9), (0..10).collect::<Vec<_>>());
}

#[test]
fn nearest_agrees_with_the_scalar_kernel_even_on_near_ties() {
    let mut rng = crate::testutil::Rng::new(77);
    for dims in [3, 16, 100, 384, 768] {
        let k = 50;
        let mut centroids: Vec<f32> = (0..k * dims).map(|_| rng.value()).collect();
        // Near ties: pairs of centroids a few ulps apart.
        for pair in 0..10 {
            let (a, b) = (pair * 2, pair * 2 + 1);
            for d in 0..dims {
                centroids[b * dims + d] = f32::from_bits(centroids[a * dims + d].to_bits() ^ (rng.below(4) as u32));
            }
        }
        for _ in 0..300 {
            let v: Vec<f32> = if rng.below(2) == 0 {
                let c = rng.below(k as u64) as usize;
                centroids[c * dims..(c + 1) * dims].iter().map(|&x| x + rng.unit() * 1e-3).collect()
            } else {
                (0..dims).map(|_| rng.value()).collect()
            };
            let fast = nearest(&centroids, dims, &v);
            let reference = nearest_scalar(&centroids, dims, &v);
            assert_eq!(fast.0, reference.0, "dims {dims}");
            assert_eq!(fast.1.to_bits(), reference.1.to_bits(), "dims {dims}");
        }
    }
}
