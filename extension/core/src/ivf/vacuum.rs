//! Marking the entries of deleted heap rows, list page by list page. The heap callback runs
//! between page accesses, never under a page lock.
use super::layout::{self};
use super::{Error, HeapTid};
use crate::pagestore::{BlockLimit, PageStore};
use alloc::vec::Vec;

/// Flags every live entry whose heap tid `is_dead`; returns how many were flagged. Flagged
/// entries are skipped by scans; their space is not reused (inserts only append).
pub fn vacuum_remove(store: &mut impl PageStore, mut is_dead: impl FnMut(HeapTid) -> bool) -> Result<u64, Error> {
    let meta = layout::read_meta(store)?;
    let (_, lists) = layout::read_centroids(store, &meta)?;
    let mut removed = 0;
    let mut tids: Vec<HeapTid> = Vec::new();
    let mut dead: Vec<usize> = Vec::new();
    for &(first, _) in &lists {
        let mut block = first;
        let mut steps = 0;
        let limit = BlockLimit::default();
        while block != 0 {
            if !limit.contains(store, block) || !limit.within(store, steps) {
                return Err(Error::Corrupt("list chain leaves the index or loops", block));
            }
            tids.clear();
            let next = store.read(block, |page| -> Result<_, Error> {
                let (count, next) = layout::list_header(page, &meta, block)?;
                for i in 0..count {
                    let (tid, deleted, _) = layout::entry(page, &meta, i);
                    // Already-deleted entries get a tid no heap has, so they are skipped below.
                    tids.push(if deleted { HeapTid { block: u32::MAX, offset: u16::MAX } } else { tid });
                }
                Ok(next)
            })?;
            dead.clear();
            dead.extend((0..tids.len()).filter(|&i| tids[i].block != u32::MAX && is_dead(tids[i])));
            if !dead.is_empty() {
                // Entries only move by being appended, so indexes read above are still valid.
                store.write(&[block], |p| dead.iter().for_each(|&i| layout::mark_deleted(p[0], &meta, i)));
                removed += dead.len() as u64;
            }
            block = next;
            steps += 1;
        }
    }
    Ok(removed)
}
