//! Timing runs, ignored by default: `cargo test --release -p ruvector-core bench -- --ignored --nocapture`.
use super::data::*;
use crate::hnsw::{self, Builder, Scan};
use std::time::Instant;

/// Counts distance computations: a measure of work that does not depend on machine load.
struct Counting<M>(M, core::cell::Cell<u64>);
impl<M: crate::hnsw::Metric> crate::hnsw::Metric for Counting<M> {
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        self.1.set(self.1.get() + 1);
        self.0.distance(a, b)
    }
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_build_and_query() {
    let n = 20_000;
    let dims = 128;
    let mut source = Clustered::new(99, dims, 100);
    let data = source.take(n);
    let queries = source.take(500);
    let encoded: alloc::vec::Vec<_> = data.iter().map(|v| bytes(v)).collect();

    let started = Instant::now();
    let mut builder = Builder::new(PARAMS, L2);
    for (i, v) in encoded.iter().enumerate() {
        builder.insert(v, tid(i));
    }
    let in_memory = started.elapsed();
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    std::eprintln!(
        "Builder {n}×{dims}: {in_memory:.2?} in memory, {:.2?} with write_to",
        started.elapsed()
    );

    let started = Instant::now();
    let mut paged = new_store();
    for (i, v) in encoded.iter().take(5000).enumerate() {
        hnsw::insert(&mut paged, &L2, v, tid(i)).unwrap();
    }
    std::eprintln!("on-page insert 5000×{dims}: {:.2?}", started.elapsed());

    for ef in [10, 40, 100] {
        let started = Instant::now();
        let mut visited = 0;
        for q in &queries {
            let mut scan = Scan::new(&bytes(q), ef);
            scan.next_batch(&store, &L2).unwrap();
            visited += scan.tuples_visited();
        }
        let elapsed = started.elapsed();
        let r = recall(&store, &data, &|_| true, &queries, 10, ef);
        std::eprintln!(
            "ef_search {ef}: {:.0} queries/s, {} distances/query, recall@10 {r:.4}",
            queries.len() as f64 / elapsed.as_secs_f64(),
            visited / queries.len() as u64
        );
    }
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_query_only() {
    const ROUNDS: usize = 100;
    let mut source = Clustered::new(98, 128, 100);
    let data = source.take(20_000);
    let queries = source.take(200);
    let mut builder = Builder::new(PARAMS, L2);
    for (i, v) in data.iter().enumerate() {
        builder.insert(&bytes(v), tid(i));
    }
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    let encoded: alloc::vec::Vec<_> = queries.iter().map(|q| bytes(q)).collect();
    let started = Instant::now();
    let mut visited = 0;
    for _ in 0..ROUNDS {
        for q in &encoded {
            let mut scan = Scan::new(q, 100);
            scan.next_batch(&store, &L2).unwrap();
            visited += scan.tuples_visited();
        }
    }
    let count = ROUNDS * encoded.len();
    std::eprintln!(
        "ef_search 100: {:.0} queries/s, {} distances/query",
        count as f64 / started.elapsed().as_secs_f64(),
        visited / count as u64
    );
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_builder_only() {
    let data = Clustered::new(97, 128, 100).take(20_000);
    let encoded: alloc::vec::Vec<_> = data.iter().map(|v| bytes(v)).collect();
    let started = Instant::now();
    let counting = Counting(L2, core::cell::Cell::new(0));
    let mut builder = Builder::new(PARAMS, &counting);
    for (i, v) in encoded.iter().enumerate() {
        builder.insert(v, tid(i));
    }
    std::eprintln!(
        "Builder 20000×128: {:.2?}, {} MB, {} distances per insert",
        started.elapsed(),
        builder.memory_bytes() >> 20,
        counting.1.get() / 20_000
    );
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_page_insert_only() {
    let data = Clustered::new(96, 128, 100).take(5000);
    let encoded: alloc::vec::Vec<_> = data.iter().map(|v| bytes(v)).collect();
    let started = Instant::now();
    let mut store = new_store();
    let counting = Counting(L2, core::cell::Cell::new(0));
    for (i, v) in encoded.iter().enumerate() {
        hnsw::insert(&mut store, &counting, v, tid(i)).unwrap();
    }
    std::eprintln!(
        "on-page insert 5000×128: {:.2?}, {} distances per insert",
        started.elapsed(),
        counting.1.get() / 5000
    );
}

#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_build_384() {
    let data = Clustered::new(77, 384, 200).take(40_000);
    let encoded: alloc::vec::Vec<_> = data.iter().map(|v| bytes(v)).collect();
    for round in 0..4 {
        let metric = Counting(NegativeInnerProduct, core::cell::Cell::new(0));
        let started = Instant::now();
        let mut builder = Builder::new(PARAMS, &metric);
        if round % 2 == 1 {
            builder = builder.without_memo();
        }
        for (i, v) in encoded.iter().enumerate() {
            builder.insert(v, tid(i));
        }
        std::eprintln!(
            "Builder 40000×384: {:.2?}, {} distances/row",
            started.elapsed(),
            metric.1.get() / 40_000
        );
    }
}

/// Reads an fvecs/ivecs file: (dims, flat values as raw u32/f32 bits).
pub(super) fn read_vecs(path: &str) -> (usize, alloc::vec::Vec<u32>) {
    let bytes = std::fs::read(path).unwrap();
    let dims = u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
    let mut out = alloc::vec::Vec::new();
    for row in bytes.chunks(4 + 4 * dims) {
        for c in row[4..].chunks(4) {
            out.push(u32::from_le_bytes(c.try_into().unwrap()));
        }
    }
    (dims, out)
}

#[test]
#[ignore = "measurement on the shared debian-minilm dataset, not a check: run with --ignored --nocapture"]
fn debian_minilm_recall_by_ef() {
    // The repository's sibling `shared/` (see DEVELOPERS.md), as the bench reads it.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/datasets/");
    let (dims, base) = read_vecs(&(std::format!("{dir}debian-minilm.base.fvecs")));
    let (_, queries) = read_vecs(&(std::format!("{dir}debian-minilm.query.fvecs")));
    let (gk, truth) = read_vecs(&(std::format!("{dir}debian-minilm.query.groundtruth.ivecs")));
    let unit = |v: &[u32]| -> alloc::vec::Vec<f32> {
        let v: alloc::vec::Vec<f32> = v.iter().map(|&b| f32::from_bits(b)).collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    };
    let queries: alloc::vec::Vec<alloc::vec::Vec<f32>> = queries.chunks(dims).map(unit).collect();
    let base: alloc::vec::Vec<alloc::vec::Vec<f32>> = base.chunks(dims).map(unit).collect();
    let truth: alloc::vec::Vec<&[u32]> = truth.chunks(gk).collect();
    recall_by_ef(Builder::new(PARAMS, NegativeInnerProduct), &base, &queries, &truth);
}

fn recall_by_ef<M: hnsw::Metric>(mut builder: Builder<M>, base: &[alloc::vec::Vec<f32>], queries: &[alloc::vec::Vec<f32>], truth: &[&[u32]]) {
    let started = Instant::now();
    for (i, v) in base.iter().enumerate() {
        builder.insert(&bytes(v), tid(i));
    }
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    std::eprintln!("built in {:.2?}", started.elapsed());
    let store = CountingStore { inner: store, reads: Default::default(), pages: Default::default() };
    for ef in [10, 20, 40] {
        let mut hits = 0;
        let (mut reads, mut pages) = (0, 0);
        for (q, v) in queries.iter().enumerate() {
            let mut scan = Scan::new(&bytes(v), ef);
            let got = scan.next_batch(&store, &NegativeInnerProduct).unwrap();
            reads += store.reads.take();
            pages += store.pages.take().len();
            let want: std::collections::HashSet<u32> = truth[q][..10].iter().copied().collect();
            hits += got.iter().take(10).filter(|(_, t)| want.contains(&(row(*t) as u32))).count();
        }
        let nq = queries.len() as f64;
        std::eprintln!("ef_search {ef}: recall@10 {:.4}; per query {:.0} page reads of {:.0} distinct pages", hits as f64 / (nq * 10.0), reads as f64 / nq, pages as f64 / nq);
    }
}

/// Counts a scan's page reads and the distinct pages among them.
struct CountingStore {
    inner: crate::pagestore::MemoryPageStore,
    reads: core::cell::Cell<usize>,
    pages: core::cell::RefCell<std::collections::HashSet<u32>>,
}

impl crate::pagestore::PageStore for CountingStore {
    fn page_count(&self) -> u32 {
        self.inner.page_count()
    }
    fn read<R>(&self, block: u32, f: impl FnOnce(&[u8]) -> R) -> R {
        self.reads.set(self.reads.get() + 1);
        self.pages.borrow_mut().insert(block);
        self.inner.read(block, f)
    }
    fn write<R>(&mut self, blocks: &[u32], f: impl FnOnce(&mut [&mut [u8]]) -> R) -> R {
        self.inner.write(blocks, f)
    }
    fn append(&mut self) -> u32 {
        self.inner.append()
    }
}
