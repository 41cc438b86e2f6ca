//! Recall and soundness of indexes built in each way: in memory, on pages, and mixed.
use super::data::*;
use alloc::vec::Vec;
use std::time::Instant;

const N: usize = 5000;
const DIMS: usize = 64;
const CLUSTERS: usize = 50;

fn dataset() -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let mut source = Clustered::new(42, DIMS, CLUSTERS);
    let data = source.take(N + 1000);
    let queries = source.take(100);
    (data, queries)
}

fn report(what: &str, r: f64, started: Instant) {
    std::eprintln!("{what}: recall@10 {r:.4} ({:.2?})", started.elapsed());
}

/// ef_search 100 finds everything on this data; a narrow beam shows differences in graph quality.
fn narrow_recall(
    store: &crate::pagestore::MemoryPageStore,
    data: &[Vec<f32>],
    n: usize,
    queries: &[Vec<f32>],
) -> f64 {
    let r = recall(store, data, &|i| i < n, queries, 10, 10);
    std::eprintln!("  recall@10 with ef_search 10: {r:.4}");
    assert!(r >= 0.95, "narrow recall {r}");
    r
}

#[test]
fn in_memory_build_then_inserts() {
    let (data, queries) = dataset();
    let started = Instant::now();
    let mut store = build_in_memory(&data[..N]);
    let built = started.elapsed();
    let alive_n = |n: usize| move |i: usize| i < n;
    assert_sound(&store, &alive_n(N));
    let r = recall(&store, &data, &alive_n(N), &queries, 10, 100);
    report("Builder 5000", r, started);
    std::eprintln!("  build {built:.2?}");
    assert!(r >= 0.95, "recall {r}");
    narrow_recall(&store, &data, N, &queries);

    let started = Instant::now();
    insert_rows(&mut store, &data, N, N + 1000);
    assert_sound(&store, &alive_n(N + 1000));
    let r = recall(&store, &data, &alive_n(N + 1000), &queries, 10, 100);
    report("Builder 5000 + 1000 inserts", r, started);
    assert!(r >= 0.95, "recall {r}");
}

#[test]
fn on_page_inserts_only() {
    let (data, queries) = dataset();
    let started = Instant::now();
    let mut store = new_store();
    insert_rows(&mut store, &data, 0, N);
    let alive = |i: usize| i < N;
    assert_sound(&store, &alive);
    let r = recall(&store, &data, &alive, &queries, 10, 100);
    report("inserts 5000", r, started);
    assert!(r >= 0.95, "recall {r}");
    narrow_recall(&store, &data, N, &queries);
}

#[test]
fn half_built_half_inserted() {
    let (data, queries) = dataset();
    let started = Instant::now();
    let mut store = build_in_memory(&data[..N / 2]);
    insert_rows(&mut store, &data, N / 2, N);
    let alive = |i: usize| i < N;
    assert_sound(&store, &alive);
    let r = recall(&store, &data, &alive, &queries, 10, 100);
    report("Builder 2500 + inserts 2500", r, started);
    assert!(r >= 0.95, "recall {r}");
    narrow_recall(&store, &data, N, &queries);
}
