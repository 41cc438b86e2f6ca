//! Large vectors (continuation pages), exact duplicates, and reproducible builds.
use super::data::*;
use crate::hnsw::{self, Builder, Scan};
use crate::pagestore::PageStore;
use crate::testutil::Rng;
use alloc::vec::Vec;
use std::collections::HashSet;

fn random_vectors(seed: u64, n: usize, dims: usize) -> Vec<Vec<f32>> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| (0..dims).map(|_| rng.unit()).collect())
        .collect()
}

fn exact_on_large_vectors(dims: usize, n: usize) {
    let data = random_vectors(dims as u64, n, dims);
    let built = build_in_memory(&data);
    let mut inserted = new_store();
    insert_rows(&mut inserted, &data, 0, n);
    for store in [&built, &inserted] {
        assert_sound(store, &|_| true);
        for (qi, q) in data.iter().enumerate().step_by(n / 10) {
            let mut scan = Scan::new(&bytes(q), n);
            let got: Vec<usize> = scan
                .next_batch(store, &L2)
                .unwrap()
                .into_iter()
                .map(|(_, t)| row(t))
                .collect();
            assert_eq!(got[0], qi);
            assert_eq!(&got[..10], &exact_knn(&data, &|_| true, q, 10)[..]);
        }
    }
}

#[test]
fn vectors_of_16000_dims_use_continuation_pages() {
    exact_on_large_vectors(16_000, 100);
}

#[test]
fn vectors_of_3072_dims_are_exact() {
    exact_on_large_vectors(3072, 200);
}

#[test]
fn duplicates_share_elements_and_all_come_back() {
    let mut source = Clustered::new(21, 16, 5);
    let mut data = source.take(500);
    let dup = source.next();
    // Interleave 100 copies with the other rows.
    for i in 0..100 {
        data.insert(i * 5, dup.clone());
    }
    let is_dup = |i: usize| i < 500 && i.is_multiple_of(5);
    let built = build_in_memory(&data);
    let mut inserted = new_store();
    insert_rows(&mut inserted, &data, 0, data.len());
    for store in [&built, &inserted] {
        assert_sound(store, &|_| true);
        // Fewer records than rows: duplicates share records.
        assert!(hnsw::read_meta(store).unwrap().element_count <= data.len() as u64 - 50);
        let mut scan = Scan::new(&bytes(&dup), 20);
        let mut seen = HashSet::new();
        while seen.len() < 100 {
            let batch = scan.next_batch(store, &L2).unwrap();
            assert!(!batch.is_empty(), "only {} copies found", seen.len());
            for (d, t) in batch {
                if is_dup(row(t)) {
                    assert_eq!(d, 0.0);
                    assert!(seen.insert(row(t)));
                }
            }
        }
    }
}

#[test]
fn building_twice_gives_identical_pages() {
    let data = Clustered::new(31, 24, 10).take(1500);
    assert_eq!(
        build_in_memory(&data).to_bytes(),
        build_in_memory(&data).to_bytes()
    );
    let mut a = build_in_memory(&data[..1000]);
    let mut b = build_in_memory(&data[..1000]);
    insert_rows(&mut a, &data, 1000, 1500);
    insert_rows(&mut b, &data, 1000, 1500);
    assert_eq!(a.to_bytes(), b.to_bytes());
}

#[test]
fn remembered_distances_change_nothing() {
    let data = Clustered::new(57, 48, 12).take(3000);
    let mut with = Builder::new(PARAMS, L2);
    let mut without = Builder::new(PARAMS, L2).without_memo();
    for (i, v) in data.iter().enumerate() {
        with.insert(&bytes(v), tid(i));
        without.insert(&bytes(v), tid(i));
    }
    let (mut a, mut b) = (new_store(), new_store());
    with.write_to(&mut a).unwrap();
    without.write_to(&mut b).unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
}

#[test]
fn empty_and_tiny_indexes() {
    let mut store = new_store();
    Builder::new(PARAMS, L2).write_to(&mut store).unwrap();
    assert_eq!(store.page_count(), 1);
    assert_sound(&store, &|_| true);
    let mut scan = Scan::new(&bytes(&[1.0, 2.0]), 10);
    assert!(scan.next_batch(&store, &L2).unwrap().is_empty());
    hnsw::insert(&mut store, &L2, &bytes(&[1.0, 2.0]), tid(0)).unwrap();
    hnsw::insert(&mut store, &L2, &bytes(&[3.0, 2.0]), tid(1)).unwrap();
    let mut scan = Scan::new(&bytes(&[3.0, 2.0]), 10);
    let got = scan.next_batch(&store, &L2).unwrap();
    assert_eq!(got, [(0.0, tid(1)), (4.0, tid(0))]);
    assert_sound(&store, &|_| true);
    // A second build into a store that already has elements is refused.
    let mut builder = Builder::new(PARAMS, L2);
    builder.insert(&bytes(&[1.0]), tid(0));
    assert_eq!(
        builder.write_to(&mut store).err(),
        Some(hnsw::Error::StoreNotEmpty)
    );
}

/// The extremes of m: 2 gives deep graphs (levels up to ~11 here), 100 gives records with
/// 200-slot lists, where a 384-dim vector only fits inline at level 0.
#[test]
fn extreme_m_values_work() {
    for (m, ef_construction, dims, n) in [(2u16, 4u16, 8usize, 2000usize), (100, 200, 384, 400)] {
        let params = crate::hnsw::Params { m, ef_construction, value_encoding: 0 };
        let mut source = Clustered::new(60 + m as u64, dims, 10);
        let data = source.take(n);
        let mut store = crate::pagestore::MemoryPageStore::new();
        hnsw::init(&mut store, params).unwrap();
        let mut builder = Builder::new(params, L2);
        for (i, v) in data.iter().enumerate().take(n / 2) {
            builder.insert(&bytes(v), tid(i));
        }
        builder.write_to(&mut store).unwrap();
        assert_sound(&store, &|_| true);
        insert_rows(&mut store, &data, n / 2, n);
        // With lists of 4, on-page inserts orphan a few nodes linked only from a mutual
        // neighbour (the in-link check cannot see that); vacuum_repair links them back.
        let orphans = hnsw::check(&store, |_| true).unwrap();
        assert!(orphans.iter().all(|p| p.kind == "unreachable element"));
        std::eprintln!(
            "m {m}: {} unreachable after {} inserts",
            orphans.len(),
            n / 2
        );
        assert!(orphans.len() <= n / 16, "m {m}: {} orphans", orphans.len());
        hnsw::vacuum_repair(&mut store, &L2).unwrap();
        assert_sound(&store, &|_| true);
        let meta = hnsw::read_meta(&store).unwrap();
        assert_eq!(meta.m, m);
        if m == 2 {
            assert!(
                meta.entry.unwrap().1 >= 6,
                "top level {}",
                meta.entry.unwrap().1
            );
        }
        let queries = source.take(20);
        let r = recall(&store, &data, &|_| true, &queries, 10, 100);
        std::eprintln!("m {m}: recall@10 {r:.3}");
        // m = 2 with ef_construction 4 is as sparse as a graph gets.
        assert!(r >= if m == 2 { 0.5 } else { 0.9 }, "m {m}: recall {r}");
    }
}
