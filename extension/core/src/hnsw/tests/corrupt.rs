//! Random corruption never panics: scans and writes return errors, check reports problems.
use super::data::*;
use crate::hnsw::{self, Scan};
use crate::pagestore::PageStore;
use crate::testutil::Rng;

#[test]
fn random_byte_damage_never_panics_reads() {
    let mut source = Clustered::new(51, 8, 4);
    let data = source.take(400);
    let big: alloc::vec::Vec<f32> = (0..3000).map(|i| i as f32).collect();
    let mut pristine = build_in_memory(&data);
    hnsw::insert(&mut pristine, &L2, &bytes(&big), tid(999)).unwrap();
    let queries = source.take(3);
    let mut rng = Rng::new(5);
    let mut errors = 0;
    for round in 0..1000 {
        let mut store = pristine.clone();
        for _ in 0..1 + round % 4 {
            let block = rng.below(store.page_count() as u64) as u32;
            let at = rng.below(256) as usize
                + if rng.below(2) == 0 {
                    0
                } else {
                    rng.below(7800) as usize
                };
            let page = store.page_mut(block);
            page[at] ^= 1 << rng.below(8);
        }
        // check reports, never fails or panics.
        let _ = hnsw::check(&store, |_| true).unwrap();
        for q in &queries {
            let mut scan = Scan::new(&bytes(q), 20);
            for _ in 0..3 {
                match scan.next_batch(&store, &L2) {
                    Ok(batch) if batch.is_empty() => break,
                    Ok(_) => {}
                    Err(_) => {
                        errors += 1;
                        break;
                    }
                }
            }
        }
    }
    // Damage is often harmless (it hits vector bytes), but some of it must have been noticed.
    assert!(errors > 0);
}

#[test]
fn random_byte_damage_never_panics_writes() {
    let mut source = Clustered::new(52, 8, 4);
    let data = source.take(300);
    let pristine = build_in_memory(&data);
    let mut rng = Rng::new(6);
    for round in 0..400 {
        let mut store = pristine.clone();
        for _ in 0..1 + round % 3 {
            let block = rng.below(store.page_count() as u64) as u32;
            let at = rng.below(256) as usize
                + if rng.below(2) == 0 {
                    0
                } else {
                    rng.below(7800) as usize
                };
            store.page_mut(block)[at] ^= 1 << rng.below(8);
        }
        let v = source.next();
        let _ = hnsw::insert(&mut store, &L2, &bytes(&v), tid(1000 + round));
        let _ = hnsw::vacuum_remove(&mut store, |t| row(t).is_multiple_of(5));
        let _ = hnsw::vacuum_repair(&mut store, &L2);
        let _ = hnsw::check(&store, |_| true).unwrap();
    }
}
