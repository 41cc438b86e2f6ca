//! End-to-end ranking quality: IVF lists from k-means, RaBitQ estimates over the probed
//! lists, exact rerank of the best 4k estimates.
use super::*;
use crate::distance::scalar::squared_l2;
use crate::kmeans;
use crate::testutil::Rng;
use alloc::vec::Vec;
use std::println;

const DIMS: usize = 128;

/// `n` vectors around `clusters` random centres, noise comparable to the centre spread so
/// lists overlap and the quantisation actually matters.
fn clustered(n: usize, clusters: usize, rng: &mut Rng) -> Vec<f32> {
    let centres: Vec<f32> = (0..clusters * DIMS).map(|_| rng.unit()).collect();
    let mut data = Vec::with_capacity(n * DIMS);
    for _ in 0..n {
        let c = rng.below(clusters as u64) as usize;
        let noise = |rng: &mut Rng| (rng.unit() + rng.unit() + rng.unit()) * 0.25;
        data.extend(centres[c * DIMS..(c + 1) * DIMS].iter().map(|&x| x + noise(rng)));
    }
    data
}

#[test]
fn recall_at_10_with_rerank_of_top_40() {
    let mut rng = Rng::new(2024);
    let n = 5000;
    let data = clustered(n + 50, 40, &mut rng);
    let (data, queries) = data.split_at(n * DIMS);
    let row = |i: usize| &data[i * DIMS..(i + 1) * DIMS];
    let lists = 71; // ≈ √n
    let sample: Vec<f32> = kmeans::sample_rows(n, 50 * lists, 1).iter().flat_map(|&i| row(i).iter().copied()).collect();
    let centroids = kmeans::train(&sample, DIMS, &kmeans::Params::new(lists, 1));
    let centroid = |l: usize| &centroids[l * DIMS..(l + 1) * DIMS];
    let rotation = Rotation::new(DIMS, 7);
    let mut members: Vec<Vec<usize>> = alloc::vec![Vec::new(); lists];
    let mut codes: Vec<Option<Code>> = alloc::vec![None; n];
    for i in 0..n {
        let (l, _) = kmeans::nearest(&centroids, DIMS, row(i));
        members[l].push(i);
        codes[i] = Some(encode(&rotation, row(i), centroid(l)));
    }
    for probes in [8, 16] {
        let (mut hits, mut reachable) = (0, 0);
        for q in queries.chunks_exact(DIMS) {
            let mut order: Vec<(f32, usize)> = (0..lists).map(|l| (squared_l2(q, centroid(l)), l)).collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut candidates: Vec<(f32, usize)> = Vec::new();
            let mut probed: Vec<usize> = Vec::new();
            for &(_, l) in &order[..probes] {
                let list: Vec<&Code> = members[l].iter().map(|&i| codes[i].as_ref().unwrap()).collect();
                let bits: Vec<u64> = list.iter().flat_map(|c| c.bits.iter().copied()).collect();
                let norms: Vec<f32> = list.iter().map(|c| c.norm).collect();
                let dots: Vec<f32> = list.iter().map(|c| c.dot).collect();
                let (mut d, mut b) = (alloc::vec![0.0; list.len()], alloc::vec![0.0; list.len()]);
                let prep = QueryPrep::new(&rotation, q, centroid(l));
                estimate(&prep, CodeSlices { bits: &bits, norms: &norms, dots: &dots }, &mut d, &mut b);
                probed.extend(&members[l]);
                candidates.extend(d.iter().zip(&members[l]).map(|(&d, &i)| (d, i)));
            }
            candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut reranked: Vec<(f32, usize)> = candidates.iter().take(40).map(|&(_, i)| (squared_l2(q, row(i)), i)).collect();
            reranked.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut exact: Vec<(f32, usize)> = (0..n).map(|i| (squared_l2(q, row(i)), i)).collect();
            exact.sort_by(|a, b| a.0.total_cmp(&b.0));
            reachable += exact[..10].iter().filter(|e| probed.contains(&e.1)).count();
            hits += reranked[..10].iter().filter(|r| exact[..10].iter().any(|e| e.1 == r.1)).count();
        }
        let recall = hits as f64 / (10.0 * 50.0);
        println!("rabitq ivf: {n} x {DIMS}, {lists} lists, {probes} probes, rerank 40: recall@10 {recall:.3} (exact distances over the same lists: {:.3})", reachable as f64 / 500.0);
        if probes == 16 {
            assert!(recall >= 0.95, "recall@10 {recall}");
        }
    }
}
