//! Batched (parallel) builds: same graph whatever the number of threads, recall as a serial
//! build's, duplicates inside one batch, and sound pages.
use super::data::*;
use crate::hnsw::{self, Batch, Builder, Planner, Scan, Workers};
use crate::pagestore::MemoryPageStore;
use alloc::vec::Vec;
use std::collections::HashSet;

/// Runs each step's tasks on one OS thread per planner.
pub(super) struct Threads(pub Vec<Planner>);

impl Workers for Threads {
    fn run<T: Send>(&mut self, n: usize, task: &(dyn Fn(usize, &mut Planner) -> T + Sync)) -> Vec<T> {
        let threads = self.0.len();
        let mut out: Vec<(usize, T)> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .0
                .iter_mut()
                .enumerate()
                .map(|(t, planner)| {
                    s.spawn(move || {
                        (t..n)
                            .step_by(threads)
                            .map(|i| (i, task(i, planner)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        out.sort_by_key(|(i, _)| *i);
        out.into_iter().map(|(_, t)| t).collect()
    }
}

/// Builds with batches, each step's tasks on `threads` OS threads.
fn build_batched(data: &[Vec<f32>], threads: usize) -> MemoryPageStore {
    let mut builder = Builder::new(PARAMS, L2);
    insert_batched(&mut builder, data, threads);
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    store
}

/// Inserts the rows in batches as the extension does, each step's tasks on `threads` OS threads.
fn insert_batched<M: hnsw::Metric + Sync>(builder: &mut Builder<M>, data: &[Vec<f32>], threads: usize) {
    let mut workers = Threads((0..threads).map(|_| Planner::new()).collect());
    let mut batch = Batch::new();
    let mut rows = data.iter().enumerate().peekable();
    while rows.peek().is_some() {
        batch.clear();
        for (i, v) in rows.by_ref().take(builder.batch_capacity()) {
            batch.push(&bytes(v), tid(i));
        }
        builder.insert_batch(&batch, &mut workers);
    }
}

#[test]
fn same_pages_whatever_the_number_of_threads() {
    let data = Clustered::new(7, 32, 20).take(3000);
    let one = build_batched(&data, 1);
    assert_eq!(one.to_bytes(), build_batched(&data, 2).to_bytes());
    assert_eq!(one.to_bytes(), build_batched(&data, 3).to_bytes());
}

#[test]
fn recall_as_a_serial_build() {
    let mut source = Clustered::new(42, 64, 50);
    let data = source.take(8000);
    let queries = source.take(200);
    let all = |_: usize| true;
    let serial = build_in_memory(&data);
    let batched = build_batched(&data, 2);
    assert_sound(&batched, &all);
    for ef in [10, 40] {
        let s = recall(&serial, &data, &all, &queries, 10, ef);
        let b = recall(&batched, &data, &all, &queries, 10, ef);
        std::eprintln!("ef_search {ef}: recall@10 serial {s:.4}, batched {b:.4}");
        assert!(b >= s - 0.01, "batched recall {b} below serial {s} at ef_search {ef}");
    }
    assert!(recall(&batched, &data, &all, &queries, 10, 100) >= 0.99);
}

#[test]
fn duplicates_in_one_batch_share_an_element() {
    let mut source = Clustered::new(5, 16, 4);
    let mut data = source.take(4000);
    let dup = source.next();
    // 40 copies close together, late enough that batches are large.
    for i in 0..40 {
        data.insert(3000 + i * 3, dup.clone());
    }
    let copies: HashSet<usize> = (0..40).map(|i| 3000 + i * 3).collect();
    let store = build_batched(&data, 2);
    assert_sound(&store, &|_| true);
    // Copies share elements (as many as an element has tid slots), as in a serial build.
    let elements = hnsw::read_meta(&store).unwrap().element_count;
    let serial = hnsw::read_meta(&build_in_memory(&data)).unwrap().element_count;
    std::eprintln!("{} rows: {elements} elements batched, {serial} serial", data.len());
    assert!(elements < data.len() as u64 - 10 && elements <= serial + 2);
    let mut scan = Scan::new(&bytes(&dup), 40);
    let mut seen = HashSet::new();
    while seen.len() < copies.len() {
        let batch = scan.next_batch(&store, &L2).unwrap();
        assert!(!batch.is_empty(), "only {} copies found", seen.len());
        for (d, t) in batch {
            if copies.contains(&row(t)) {
                assert_eq!(d, 0.0);
                assert!(seen.insert(row(t)));
            }
        }
    }
}

#[test]
fn oversized_rows_fail_the_write_as_serial_builds_do() {
    let mut builder = Builder::new(PARAMS, L2);
    let mut batch = Batch::new();
    batch.push(&bytes(&[1.0, 2.0]), tid(0));
    batch.push(&alloc::vec![0u8; hnsw::layout::MAX_VECTOR_BYTES + 8], tid(1));
    builder.insert_batch(&batch, &mut Threads(alloc::vec![Planner::new()]));
    let mut store = new_store();
    assert_eq!(builder.write_to(&mut store).err(), Some(hnsw::Error::VectorTooLarge));
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_batched_build() {
    let data = Clustered::new(99, 384, 100).take(30_000);
    for threads in [1, 2] {
        let started = std::time::Instant::now();
        build_batched(&data, threads);
        std::eprintln!("batched, {threads} threads: {:.2?}", started.elapsed());
    }
    let started = std::time::Instant::now();
    build_in_memory(&data);
    std::eprintln!("serial: {:.2?}", started.elapsed());

}

/// Counts distance computations across threads: work that does not depend on machine load.
struct AtomicCounting<M>(M, std::sync::atomic::AtomicU64);
impl<M: hnsw::Metric> hnsw::Metric for AtomicCounting<M> {
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.distance(a, b)
    }
}

#[test]
#[ignore = "measurement on the shared debian-minilm dataset, not a check: run with --ignored --nocapture"]
fn debian_minilm_batched_build() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets/");
    let (dims, base) = super::bench::read_vecs(&std::format!("{dir}debian-minilm.base.fvecs"));
    let rows: usize = std::env::var("RUVECTOR_BENCH_ROWS").ok().and_then(|n| n.parse().ok()).unwrap_or(60_173);
    let data: Vec<Vec<f32>> = base.chunks(dims).take(rows).map(|v| v.iter().map(|&b| f32::from_bits(b)).collect()).collect();
    let count = |c: &AtomicCounting<NegativeInnerProduct>| c.1.swap(0, std::sync::atomic::Ordering::Relaxed);
    let counter = AtomicCounting(NegativeInnerProduct, Default::default());
    let mut serial = Builder::new(PARAMS, &counter);
    let started = std::time::Instant::now();
    for (i, v) in data.iter().enumerate() {
        serial.insert(&bytes(v), tid(i));
    }
    std::eprintln!("serial: {:.2?}, {} distances", started.elapsed(), count(&counter));
    let mut nomemo = Builder::new(PARAMS, &counter).without_memo();
    let started = std::time::Instant::now();
    for (i, v) in data.iter().enumerate() {
        nomemo.insert(&bytes(v), tid(i));
    }
    std::eprintln!("serial without memo: {:.2?}, {} distances", started.elapsed(), count(&counter));
    for threads in [1, 2] {
        let mut builder = Builder::new(PARAMS, &counter);
        let started = std::time::Instant::now();
        insert_batched(&mut builder, &data, threads);
        std::eprintln!("batched, {threads} threads: {:.2?}, {} distances", started.elapsed(), count(&counter));
    }
}
