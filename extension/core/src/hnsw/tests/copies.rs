//! Builds that compute on f16 build copies (`Metric::build_copy`): the graph as good as with
//! the stored vectors, pages holding the stored vectors, and the fallbacks.
use super::data::*;
use super::parallel::Threads;
use crate::hnsw::{Batch, Builder, Planner, Scan};
use crate::pagestore::MemoryPageStore;
use alloc::vec::Vec;

const N: usize = 5000;

fn dataset() -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let mut source = Clustered::new(7, 64, 50);
    (source.take(N), source.take(100))
}

fn build(data: &[Vec<f32>], copies: bool) -> (MemoryPageStore, bool, usize) {
    build_with(L2WithHalfCopies, data, copies)
}

fn build_with<M: crate::hnsw::Metric>(metric: M, data: &[Vec<f32>], copies: bool) -> (MemoryPageStore, bool, usize) {
    let mut builder = Builder::new(PARAMS, metric);
    if copies {
        builder = builder.with_build_copies();
    }
    for (i, v) in data.iter().enumerate() {
        let (buffer, range) = misaligned(v);
        builder.insert(&buffer[range], tid(i));
    }
    let (still_copies, memory) = (builder.uses_build_copies(), builder.memory_bytes());
    if still_copies {
        // Dropping them gives their memory back at once.
        let mut without = Builder::new(PARAMS, L2WithHalfCopies).with_build_copies();
        for (i, v) in data.iter().take(500).enumerate() {
            without.insert(&bytes(v), tid(i));
        }
        let before = without.memory_bytes();
        without.drop_build_copies();
        assert!(!without.uses_build_copies());
        assert!(without.memory_bytes() + 500 * data[0].len() * 2 <= before);
    }
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    (store, still_copies, memory)
}

/// Every scan distance is the exact f32 distance to the row's own vector: pages hold the stored
/// vectors, not copies.
fn assert_exact_distances(store: &MemoryPageStore, data: &[Vec<f32>], queries: &[Vec<f32>]) {
    for q in queries {
        let got = Scan::new(&bytes(q), 40).next_batch(store, &L2).unwrap();
        assert!(!got.is_empty());
        for (distance, t) in got {
            let exact = crate::distance::squared_l2(&data[row(t)], q);
            assert_eq!(distance.to_bits(), exact.to_bits(), "row {}", row(t));
        }
    }
}

/// A build on copies is sound, its pages give exact distances, and a narrow beam (which shows
/// graph quality) finds as much as in the build without copies.
fn assert_as_good_as_plain(copied: &MemoryPageStore, plain: &MemoryPageStore, data: &[Vec<f32>], queries: &[Vec<f32>], what: &str) {
    let alive = |i: usize| i < data.len();
    assert_sound(copied, &alive);
    assert_exact_distances(copied, data, queries);
    let (with, without) = (
        recall(copied, data, &alive, queries, 10, 10),
        recall(plain, data, &alive, queries, 10, 10),
    );
    std::eprintln!("{what}: recall@10 at ef_search 10 {with:.4} with copies, {without:.4} without");
    assert!(with >= without - 0.01, "{what}: {with} vs {without}");
}

#[test]
fn copies_keep_the_graph_and_pages_keep_the_stored_vectors() {
    let (data, queries) = dataset();
    let alive = |i: usize| i < N;
    let (plain, _, plain_memory) = build(&data, false);
    let (copied, still_copies, copied_memory) = build(&data, true);
    assert!(still_copies, "every row has an f16 copy here");
    // The stored vectors are kept beside copies of half their size.
    assert!(
        copied_memory as f64 > plain_memory as f64 + 0.4 * (N * 64 * 2) as f64,
        "{copied_memory} vs {plain_memory}"
    );
    assert!(recall(&copied, &data, &alive, &queries, 10, 100) >= 0.95);
    assert_as_good_as_plain(&copied, &plain, &data, &queries, "f16");
}

/// What PGlite builds on: bfloat16 copies keep the graph too, and a value that rounds beyond
/// bfloat16's range ends them.
#[test]
fn bfloat16_copies_keep_the_graph() {
    let (mut data, queries) = dataset();
    let (plain, _, _) = build(&data, false);
    let (copied, still_copies, _) = build_with(WithBf16Copies(L2, crate::bf16::squared_l2), &data, true);
    assert!(still_copies);
    assert_as_good_as_plain(&copied, &plain, &data, &queries, "bfloat16");
    data[N / 2][3] = f32::MAX;
    let (_, still_copies, _) = build_with(WithBf16Copies(L2, crate::bf16::squared_l2), &data, true);
    assert!(!still_copies);
}

#[test]
fn a_row_without_a_copy_ends_copies_for_the_rest_of_the_build() {
    let (mut data, queries) = dataset();
    // Beyond f16's range: this row has no copy.
    data[N / 2][3] = 1.0e6;
    let alive = |i: usize| i < N;
    let (store, still_copies, _) = build(&data, true);
    assert!(!still_copies);
    assert_sound(&store, &alive);
    assert_exact_distances(&store, &data, &queries);
    assert!(recall(&store, &data, &alive, &queries, 10, 100) >= 0.95);
    // The odd row is found by its own vector.
    let got = Scan::new(&bytes(&data[N / 2]), 40).next_batch(&store, &L2).unwrap();
    assert_eq!((got[0].0, row(got[0].1)), (0.0, N / 2));
}

#[test]
fn duplicates_are_told_by_stored_bytes_not_by_copies() {
    let (mut data, _) = dataset();
    data.truncate(500);
    let original = data[0].clone();
    // An exact copy of row 0 (its element has room for a second tid at least), and a row that
    // differs from it below f16's precision.
    data.push(original.clone());
    let mut near = original.clone();
    near[0] += near[0].abs().max(1.0) * 1e-6;
    assert_ne!(near[0], original[0]);
    data.push(near.clone());
    let mut builder = Builder::new(PARAMS, L2WithHalfCopies).with_build_copies();
    for (i, v) in data.iter().enumerate() {
        builder.insert(&bytes(v), tid(i));
    }
    assert!(builder.uses_build_copies());
    // Exact copies share row 0's element; the near row is an element of its own.
    assert_eq!(builder.len(), 501);
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    assert_sound(&store, &|i| i < data.len());
    let got = Scan::new(&bytes(&original), 40).next_batch(&store, &L2).unwrap();
    let mut zero: Vec<usize> = got.iter().filter(|g| g.0 == 0.0).map(|g| row(g.1)).collect();
    zero.sort_unstable();
    assert_eq!(zero, [0, 500]);
    let near_hit = got.iter().find(|g| row(g.1) == 501).expect("the near row is found");
    assert_eq!(near_hit.0.to_bits(), crate::distance::squared_l2(&near, &original).to_bits());
}

/// A parallel build's batches compute on copies too (2 threads, batches as the extension
/// sizes them): as good a graph as without, pages with the stored vectors; a batch row without
/// a copy ends them.
#[test]
fn batches_compute_on_copies() {
    let (mut data, queries) = dataset();
    let alive = |i: usize| i < N;
    let batched = |data: &[Vec<f32>], copies: bool| {
        let mut builder = Builder::new(PARAMS, L2WithHalfCopies);
        if copies {
            builder = builder.with_build_copies();
        }
        let mut threads = Threads(alloc::vec![Planner::new(), Planner::new()]);
        let mut batch = Batch::new();
        for (i, v) in data.iter().enumerate() {
            batch.push(&bytes(v), tid(i));
            if batch.len() >= builder.batch_capacity() {
                builder.insert_batch(&batch, &mut threads);
                batch = Batch::new();
            }
        }
        builder.insert_batch(&batch, &mut threads);
        let still_copies = builder.uses_build_copies();
        let mut store = new_store();
        builder.write_to(&mut store).unwrap();
        (store, still_copies)
    };
    let (plain, _) = batched(&data, false);
    let (copied, still_copies) = batched(&data, true);
    assert!(still_copies, "every row has a copy");
    assert_as_good_as_plain(&copied, &plain, &data, &queries, "batched");
    // Beyond f16's range: the batch holding this row has no copies, nor does anything after.
    data[N / 2][3] = 1.0e6;
    let (store, still_copies) = batched(&data, true);
    assert!(!still_copies);
    assert_sound(&store, &alive);
    assert_exact_distances(&store, &data, &queries);
}
