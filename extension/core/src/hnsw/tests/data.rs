//! Test data and references: clustered Gaussian vectors, exact kNN, metrics over f32 LE bytes,
//! and helpers to build indexes in each supported way.
use crate::hnsw::{self, Builder, HeapTid, Metric, Params, Scan, vector_as_f32};
use crate::pagestore::MemoryPageStore;
use crate::testutil::Rng;
use alloc::vec::Vec;
use std::collections::HashSet;

/// Both metrics treat bytes that cannot be a vector of the query's length as infinitely far:
/// with damaged pages core hands over whatever the record says, and a metric must not panic.
/// They also assert the alignment the Metric contract promises.
fn f32_pair<'a>(a: &'a [u8], b: &'a [u8]) -> Option<(&'a [f32], &'a [f32])> {
    assert!(
        (a.as_ptr() as usize).is_multiple_of(8) && (b.as_ptr() as usize).is_multiple_of(8),
        "misaligned vector"
    );
    let (a, b) = (vector_as_f32(a)?, vector_as_f32(b)?);
    (a.len() == b.len()).then_some((a, b))
}

pub struct L2;
impl Metric for L2 {
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        f32_pair(a, b).map_or(f32::INFINITY, |(a, b)| crate::distance::squared_l2(a, b))
    }
}

pub struct NegativeInnerProduct;
impl Metric for NegativeInnerProduct {
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        f32_pair(a, b).map_or(f32::INFINITY, |(a, b)| {
            -crate::distance::inner_product(a, b)
        })
    }
}

pub const PARAMS: Params = Params {
    m: 16,
    ef_construction: 64,
    value_encoding: 0,
};

/// Row number ↔ heap tid (100 rows per heap page, offsets from 1 as in Postgres).
pub fn tid(row: usize) -> HeapTid {
    HeapTid {
        block: (row / 100) as u32,
        offset: (row % 100) as u16 + 1,
    }
}
pub fn row(tid: HeapTid) -> usize {
    tid.block as usize * 100 + tid.offset as usize - 1
}

pub fn bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Standard normal by Box–Muller (tests may use std's float functions).
fn gaussian(rng: &mut Rng) -> f32 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    ((-2.0 * u1.ln()).sqrt() * (2.0 * core::f64::consts::PI * u2).cos()) as f32
}

/// Deterministic clustered data: `clusters` Gaussian centres, points spread around them.
pub struct Clustered {
    rng: Rng,
    centres: Vec<Vec<f32>>,
}

impl Clustered {
    pub fn new(seed: u64, dims: usize, clusters: usize) -> Self {
        let mut rng = Rng::new(seed);
        let centres = (0..clusters)
            .map(|_| (0..dims).map(|_| gaussian(&mut rng)).collect())
            .collect();
        Clustered { rng, centres }
    }

    pub fn next(&mut self) -> Vec<f32> {
        let c = self.rng.below(self.centres.len() as u64) as usize;
        let rng = &mut self.rng;
        self.centres[c].iter().map(|x| x + gaussian(rng)).collect()
    }

    pub fn take(&mut self, n: usize) -> Vec<Vec<f32>> {
        (0..n).map(|_| self.next()).collect()
    }
}

/// The k nearest rows among `alive` by brute force.
pub fn exact_knn(
    data: &[Vec<f32>],
    alive: &dyn Fn(usize) -> bool,
    query: &[f32],
    k: usize,
) -> Vec<usize> {
    let mut scored: Vec<(f32, usize)> = (0..data.len())
        .filter(|&i| alive(i))
        .map(|i| (crate::distance::squared_l2(&data[i], query), i))
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(k).map(|s| s.1).collect()
}

pub fn new_store() -> MemoryPageStore {
    let mut store = MemoryPageStore::new();
    hnsw::init(&mut store, PARAMS).unwrap();
    store
}

/// The vector's bytes at an odd address: callers owe core no alignment.
pub fn misaligned(v: &[f32]) -> (Vec<u8>, core::ops::Range<usize>) {
    let len = v.len() * 4;
    let mut buffer = alloc::vec![0u8; len + 1];
    let start = if (buffer.as_ptr() as usize).is_multiple_of(2) {
        1
    } else {
        0
    };
    buffer[start..start + len].copy_from_slice(&bytes(v));
    (buffer, start..start + len)
}

/// Rows [0, n) built in memory and written out.
pub fn build_in_memory(data: &[Vec<f32>]) -> MemoryPageStore {
    let mut store = new_store();
    let mut builder = Builder::new(PARAMS, L2);
    for (i, v) in data.iter().enumerate() {
        let (buffer, range) = misaligned(v);
        builder.insert(&buffer[range], tid(i));
    }
    assert!(builder.len() <= data.len() && !builder.is_empty());
    builder.write_to(&mut store).unwrap();
    store
}

/// Rows [from, to) inserted one by one into the pages.
pub fn insert_rows(store: &mut MemoryPageStore, data: &[Vec<f32>], from: usize, to: usize) {
    for (i, v) in data.iter().enumerate().take(to).filter(|&(i, _)| i >= from) {
        let (buffer, range) = misaligned(v);
        hnsw::insert(store, &L2, &buffer[range], tid(i)).unwrap();
    }
}

/// Mean recall@k of the first scan batch, over `queries`, against the rows `alive` says exist.
/// Also asserts that no row outside `alive` is ever returned.
pub fn recall(
    store: &MemoryPageStore,
    data: &[Vec<f32>],
    alive: &dyn Fn(usize) -> bool,
    queries: &[Vec<f32>],
    k: usize,
    ef_search: usize,
) -> f64 {
    let mut hits = 0usize;
    for q in queries {
        let want: HashSet<usize> = exact_knn(data, alive, q, k).into_iter().collect();
        let mut scan = Scan::new(&bytes(q), ef_search);
        let got = scan.next_batch(store, &L2).unwrap();
        for w in got.windows(2) {
            assert!(w[0].0 <= w[1].0, "batch not sorted");
        }
        for &(_, t) in &got {
            assert!(alive(row(t)), "returned a removed row {}", row(t));
        }
        hits += got
            .iter()
            .take(k)
            .filter(|(_, t)| want.contains(&row(*t)))
            .count();
    }
    hits as f64 / (queries.len() * k) as f64
}

/// `check` with a heap where the rows `alive` says exist.
pub fn assert_sound(store: &MemoryPageStore, alive: &dyn Fn(usize) -> bool) {
    let problems = hnsw::check(store, |t| alive(row(t))).unwrap();
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        problems.first()
    );
}
