// VACUUM gives the room of deleted rows back to inserts: under delete/insert churn an IVF index
// stops growing, answers exactly over the live rows, and checks sound.
use super::layout;
use super::tests::{L2, bytes, fixture, row_of, tid};
use super::*;
use crate::pagestore::{MemoryPageStore, PageStore};
use crate::rabitq;
use alloc::collections::BTreeSet;
use alloc::vec::Vec;

/// Every live row, nearest first, through all lists (exact for ivfflat).
fn all_rows(store: &MemoryPageStore, q: &[f32], lists: usize) -> Vec<HeapTid> {
    scan_flat(store, q, &bytes(q), &L2, lists).unwrap().iter().map(|c| c.tid).collect()
}

#[test]
fn churn_reuses_the_room_vacuum_frees() {
    let (n, lists) = (2000, 4);
    let f = fixture(n * 4, lists);
    let mut store = f.build_flat(n);
    let built_pages = store.page_count();
    let mut live: BTreeSet<usize> = (0..n).collect();
    let mut next_row = n;
    for round in 0..3 {
        // Half the live rows die (every other one), and as many new rows arrive after VACUUM.
        let dead: BTreeSet<usize> = live.iter().copied().filter(|r| (r + round) % 2 == 0).collect();
        let removed = vacuum_remove(&mut store, |t| dead.contains(&row_of(t))).unwrap();
        assert_eq!(removed as usize, dead.len());
        live.retain(|r| !dead.contains(r));
        assert!(check(&store, |t| live.contains(&row_of(t))).unwrap().is_empty(), "round {round}");
        for _ in 0..dead.len() {
            insert(&mut store, tid(next_row), f.row(next_row), |_, _| bytes(f.row(next_row))).unwrap();
            live.insert(next_row);
            next_row += 1;
        }
        // The new rows went where the dead ones were: a page per list at most beyond the build.
        assert!(store.page_count() <= built_pages + lists, "round {round}: {} pages, built {built_pages}", store.page_count());
        assert!(check(&store, |t| live.contains(&row_of(t))).unwrap().is_empty(), "round {round}");
        let q = f.row(next_row - 1);
        let found = all_rows(&store, q, lists as usize);
        assert_eq!(found.iter().map(|&t| row_of(t)).collect::<BTreeSet<_>>(), live, "round {round}");
        assert_eq!(found[0], tid(next_row - 1));
    }
    assert_eq!(read_meta(&store).unwrap().lists, lists);
    assert_eq!(store.read(layout::META_BLOCK, |p| u32::from_le_bytes(p[4..8].try_into().unwrap())), FORMAT_VERSION);
}

#[test]
fn compaction_keeps_each_entry_with_its_sidecar() {
    let (n, lists) = (1500, 3);
    let f = fixture(n, lists);
    let mut store = super::tests::build_rabitq_rows(&f, &(0..n).collect::<Vec<_>>(), 2);
    let dead = |t: HeapTid| !row_of(t).is_multiple_of(3);
    vacuum_remove(&mut store, dead).unwrap();
    // The same rows built alone: every survivor's refined estimate is what a fresh index gives.
    let alive: Vec<usize> = (0..n).filter(|&r| r % 3 == 0).collect();
    let fresh = super::tests::build_rabitq_rows(&f, &alive, 2);
    for q in [f.row(7), f.row(900)] {
        let refine_all = |s: &MemoryPageStore| -> Vec<(HeapTid, u32)> {
            let mut refiner = Refiner::default();
            let candidates = scan_rabitq_refinable(s, q, 0, lists as usize, rabitq::EPSILON0_99, Some(rabitq::EPSILON0), &mut refiner).unwrap();
            let mut out: Vec<(HeapTid, u32)> = candidates.iter().map(|c| (c.tid, refiner.refine(s, c.tid, c.refine.unwrap()).unwrap().distance2.to_bits())).collect();
            out.sort();
            out
        };
        let got = refine_all(&store);
        assert_eq!(got.len(), alive.len());
        assert_eq!(got, refine_all(&fresh));
    }
}

#[test]
fn a_version_one_index_is_read_and_upgraded_when_vacuum_moves_an_insert_page() {
    let f = fixture(600, 2);
    let mut store = f.build_flat(600);
    store.write(&[layout::META_BLOCK], |p| p[0][4..8].copy_from_slice(&1u32.to_le_bytes()));
    assert!(check(&store, |_| true).unwrap().is_empty());
    vacuum_remove(&mut store, |t| row_of(t) < 300).unwrap();
    assert_eq!(store.read(layout::META_BLOCK, |p| u32::from_le_bytes(p[4..8].try_into().unwrap())), FORMAT_VERSION);
    store.write(&[layout::META_BLOCK], |p| p[0][4..8].copy_from_slice(&3u32.to_le_bytes()));
    assert!(read_meta(&store).is_err(), "a newer format is refused");
}
