//! Iterative scans: every live row exactly once, and enough rows for very selective filters.
use super::data::*;
use crate::hnsw::Scan;
use alloc::vec::Vec;
use std::collections::HashSet;

#[test]
fn iterating_to_the_end_returns_every_row_once() {
    let mut source = Clustered::new(11, 32, 20);
    let data = source.take(2000);
    let query = source.next();
    for store in [build_in_memory(&data), {
        let mut s = new_store();
        insert_rows(&mut s, &data, 0, 2000);
        s
    }] {
        let mut scan = Scan::new(&bytes(&query), 40);
        let mut seen = HashSet::new();
        let mut batches = 0;
        loop {
            let batch = scan.next_batch(&store, &L2).unwrap();
            if batch.is_empty() {
                break;
            }
            batches += 1;
            for (_, t) in batch {
                assert!(seen.insert(row(t)), "row {} returned twice", row(t));
            }
        }
        assert_eq!(seen.len(), 2000);
        assert!(batches > 2000 / 40 / 2, "{batches} batches");
        assert!(scan.tuples_visited() >= 2000);
        assert!(scan.memory_bytes() > 0);
        assert!(scan.next_batch(&store, &L2).unwrap().is_empty());
    }
}

#[test]
fn a_one_percent_filter_still_gets_ten_rows() {
    let mut source = Clustered::new(12, 32, 20);
    let data = source.take(5000);
    let store = build_in_memory(&data);
    let query = source.next();
    let accepted = |i: usize| i % 100 == 37;
    let mut scan = Scan::new(&bytes(&query), 40);
    let mut got: Vec<(f32, usize)> = Vec::new();
    while got.len() < 10 {
        let batch = scan.next_batch(&store, &L2).unwrap();
        assert!(!batch.is_empty(), "ran out after {} rows", got.len());
        got.extend(
            batch
                .into_iter()
                .map(|(d, t)| (d, row(t)))
                .filter(|&(_, r)| accepted(r)),
        );
    }
    // The rows found first are (nearly) the true nearest among the accepted ones.
    let want: HashSet<usize> = exact_knn(&data, &accepted, &query, 10)
        .into_iter()
        .collect();
    let hits = got
        .iter()
        .take(10)
        .filter(|(_, r)| want.contains(r))
        .count();
    assert!(hits >= 8, "{hits} of the 10 nearest accepted rows");
}

#[test]
fn first_batch_is_sorted_and_exact_on_a_small_index() {
    let mut source = Clustered::new(13, 8, 4);
    let data = source.take(300);
    let store = build_in_memory(&data);
    for q in source.take(20) {
        let mut scan = Scan::new(&bytes(&q), 400);
        let got: Vec<usize> = scan
            .next_batch(&store, &L2)
            .unwrap()
            .into_iter()
            .map(|(_, t)| row(t))
            .collect();
        assert_eq!(got.len(), 300);
        assert_eq!(&got[..10], &exact_knn(&data, &|_| true, &q, 10)[..]);
    }
}

#[test]
fn inner_product_metric_works() {
    let mut source = Clustered::new(14, 16, 8);
    let data = source.take(1000);
    let mut store = new_store();
    let mut builder = crate::hnsw::Builder::new(PARAMS, NegativeInnerProduct);
    for (i, v) in data.iter().enumerate() {
        builder.insert(&bytes(v), tid(i));
    }
    builder.write_to(&mut store).unwrap();
    // Inner product is no metric: pruning orphans nodes far more often than with L2. The
    // builder reconnects them before writing; after on-page inserts, vacuum_repair does.
    assert_sound(&store, &|_| true);
    for (i, v) in source.take(100).iter().enumerate() {
        crate::hnsw::insert(&mut store, &NegativeInnerProduct, &bytes(v), tid(1000 + i)).unwrap();
    }
    let orphans = crate::hnsw::check(&store, |_| true).unwrap();
    assert!(orphans.iter().all(|p| p.kind == "unreachable element"));
    std::eprintln!(
        "inner product: {} unreachable after 100 inserts",
        orphans.len()
    );
    crate::hnsw::vacuum_repair(&mut store, &NegativeInnerProduct).unwrap();
    assert_sound(&store, &|_| true);
    let q = source.next();
    let mut scan = Scan::new(&bytes(&q), 100);
    let got = scan.next_batch(&store, &NegativeInnerProduct).unwrap();
    let best = got[0].0;
    let all: Vec<Vec<f32>> = data.iter().chain(source.take(0).iter()).cloned().collect();
    let exact_best = all
        .iter()
        .map(|v| -crate::distance::inner_product(v, &q))
        .fold(f32::INFINITY, f32::min);
    assert!(best <= exact_best, "best {best} vs exact {exact_best}");
}

/// Counts calls into the store: `page_count` is an lseek() in Postgres.
struct Counting<'a> {
    inner: &'a crate::pagestore::MemoryPageStore,
    page_counts: core::cell::Cell<u32>,
    reads: core::cell::Cell<u32>,
}

impl crate::pagestore::PageStore for Counting<'_> {
    fn page_count(&self) -> u32 {
        self.page_counts.set(self.page_counts.get() + 1);
        self.inner.page_count()
    }
    fn read<R>(&self, block: u32, f: impl FnOnce(&[u8]) -> R) -> R {
        self.reads.set(self.reads.get() + 1);
        self.inner.read(block, f)
    }
    fn write<R>(&mut self, _: &[u32], _: impl FnOnce(&mut [&mut [u8]]) -> R) -> R {
        unreachable!("scans do not write")
    }
    fn append(&mut self) -> u32 {
        unreachable!("scans do not append")
    }
}

#[test]
fn a_first_batch_reads_each_element_once() {
    let mut source = Clustered::new(16, 16, 8);
    let store = build_in_memory(&source.take(3000));
    let counting = Counting {
        inner: &store,
        page_counts: Default::default(),
        reads: Default::default(),
    };
    let mut scan = Scan::new(&bytes(&source.next()), 40);
    assert_eq!(scan.next_batch(&counting, &L2).unwrap().len(), 40);
    // The distance read copies the list to expand and the tids to return: beyond one read per
    // element there is the metapage and the odd node expanded from a greedy upper-layer step.
    let (reads, visited) = (counting.reads.get() as u64, scan.tuples_visited());
    assert!(
        reads <= visited + 8,
        "{reads} reads for {visited} distances"
    );
}

#[test]
fn scans_rarely_ask_for_the_page_count() {
    let mut source = Clustered::new(15, 16, 8);
    let store = build_in_memory(&source.take(3000));
    let counting = Counting {
        inner: &store,
        page_counts: Default::default(),
        reads: Default::default(),
    };
    let mut scan = Scan::new(&bytes(&source.next()), 40);
    for _ in 0..5 {
        assert!(!scan.next_batch(&counting, &L2).unwrap().is_empty());
    }
    assert!(
        counting.page_counts.get() <= 12,
        "{} page_count calls",
        counting.page_counts.get()
    );
    let reads = counting.reads.get() as u64;
    // One read per distance (which also copies the list the search may expand next), plus one
    // per returned element and per batch's seeds.
    std::eprintln!("{reads} reads for {} distances", scan.tuples_visited());
    assert!(
        reads <= 3 * scan.tuples_visited() / 2,
        "{reads} reads for {} distances",
        scan.tuples_visited()
    );
}
