//! VACUUM: removing 30% of the rows keeps recall and soundness, and never returns removed rows.
use super::data::*;
use crate::hnsw::{self, Scan};
use std::collections::HashSet;
use std::time::Instant;

#[test]
fn vacuum_of_30_percent_keeps_recall() {
    let mut source = Clustered::new(7, 64, 50);
    let data = source.take(6000);
    let queries = source.take(100);
    let mut store = build_in_memory(&data[..5000]);
    insert_rows(&mut store, &data, 5000, 6000);
    let removed = |i: usize| (i * 7919) % 10 < 3;
    let alive = |i: usize| !removed(i);

    let started = Instant::now();
    let stats = hnsw::vacuum_remove(&mut store, |t| removed(row(t))).unwrap();
    let want_removed = (0..6000).filter(|&i| removed(i)).count() as u64;
    assert_eq!(stats.tuples_removed, want_removed);
    assert_eq!(stats.tuples_remaining, 6000 - want_removed);
    assert_eq!(stats.elements_deleted, want_removed);
    // Deleted elements are still traversed, never returned.
    let r = recall(&store, &data, &alive, &queries, 10, 100);
    std::eprintln!("after vacuum_remove: recall@10 {r:.4}");
    assert!(r >= 0.9, "recall {r}");

    hnsw::vacuum_repair(&mut store, &L2).unwrap();
    std::eprintln!("vacuum of 1800 of 6000: {:.2?}", started.elapsed());
    assert_sound(&store, &alive);
    let r = recall(&store, &data, &alive, &queries, 10, 100);
    std::eprintln!("after vacuum_repair: recall@10 {r:.4}");
    assert!(r >= 0.95, "recall {r}");

    // Iterating to the end finds exactly the surviving rows.
    let mut scan = Scan::new(&bytes(&queries[0]), 64);
    let mut seen = HashSet::new();
    loop {
        let batch = scan.next_batch(&store, &L2).unwrap();
        if batch.is_empty() {
            break;
        }
        for (_, t) in batch {
            assert!(alive(row(t)));
            assert!(seen.insert(row(t)), "row {} twice", row(t));
        }
    }
    assert_eq!(seen.len() as u64, 6000 - want_removed);

    // Inserting after a vacuum still works and stays sound.
    let more = source.take(200);
    for (i, v) in more.iter().enumerate() {
        hnsw::insert(&mut store, &L2, &bytes(v), tid(6000 + i)).unwrap();
    }
    assert_sound(&store, &|i: usize| i >= 6000 || alive(i));
}

#[test]
fn vacuum_of_everything_leaves_an_empty_usable_index() {
    let data = Clustered::new(8, 16, 5).take(300);
    let mut store = build_in_memory(&data);
    let stats = hnsw::vacuum_remove(&mut store, |_| true).unwrap();
    assert_eq!(stats.elements_deleted, 300);
    hnsw::vacuum_repair(&mut store, &L2).unwrap();
    assert_eq!(hnsw::read_meta(&store).unwrap().entry, None);
    assert_sound(&store, &|_| false);
    let mut scan = Scan::new(&bytes(&data[0]), 10);
    assert!(scan.next_batch(&store, &L2).unwrap().is_empty());
    hnsw::insert(&mut store, &L2, &bytes(&data[1]), tid(1000)).unwrap();
    let mut scan = Scan::new(&bytes(&data[0]), 10);
    let got = scan.next_batch(&store, &L2).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, tid(1000));
    assert_sound(&store, &|i| i == 1000);
}
