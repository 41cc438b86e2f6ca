//! Choosing which rows k-means trains on: pgvector trains on up to 50 vectors per list,
//! which bounds build memory and time whatever the table size.
use alloc::vec::Vec;

/// `min(max, n)` distinct row indices out of `0..n`, ascending, chosen uniformly with a
/// seeded reservoir sample (Algorithm R), so the choice is reproducible.
pub fn sample_rows(n: usize, max: usize, seed: u64) -> Vec<usize> {
    let mut rng = crate::splitmix::SplitMix64::new(seed);
    let mut chosen: Vec<usize> = (0..n.min(max)).collect();
    for i in chosen.len()..n {
        let j = rng.below(i + 1);
        if j < chosen.len() {
            chosen[j] = i;
        }
    }
    chosen.sort_unstable();
    chosen
}
