//! Removing the entries of deleted heap rows, list page by list page, and pointing each list's
//! inserts at the first page where that freed room. The heap callback runs between page
//! accesses, never under a page lock.
use super::layout::{self, Meta};
use super::{Error, HeapTid};
use crate::pagestore::{BlockLimit, BlockNumber, PageStore};
use alloc::vec::Vec;

/// Removes every entry whose heap tid `is_dead` (and any left flagged by an earlier version,
/// which only flagged them), compacting each page; returns how many live entries it removed.
/// Inserts then fill the freed room before the index grows (see `layout`, `last_page`).
pub fn vacuum_remove(store: &mut impl PageStore, mut is_dead: impl FnMut(HeapTid) -> bool) -> Result<u64, Error> {
    let meta = layout::read_meta(store)?;
    let (_, lists) = layout::read_centroids(store, &meta)?;
    let mut removed = 0;
    let mut tids: Vec<(HeapTid, bool)> = Vec::new();
    let mut dead: Vec<usize> = Vec::new();
    for (list, &(first, _)) in lists.iter().enumerate() {
        let mut room: Option<BlockNumber> = None;
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
                tids.extend((0..count).map(|i| {
                    let (tid, deleted, _) = layout::entry(page, &meta, i);
                    (tid, deleted)
                }));
                Ok(next)
            })?;
            dead.clear();
            dead.extend((0..tids.len()).filter(|&i| !tids[i].1 && is_dead(tids[i].0)));
            let count = if dead.is_empty() && !tids.iter().any(|t| t.1) {
                tids.len()
            } else {
                store.write(&[block], |p| remove_entries(p[0], &meta, block, &dead, &tids))?
            };
            removed += dead.len() as u64;
            if room.is_none() && count < meta.entries_per_page() {
                room = Some(block);
            }
            block = next;
            steps += 1;
        }
        if let Some(room) = room {
            point_inserts_at(store, &meta, list as u32, room);
        }
    }
    Ok(removed)
}

/// Flags `dead` (slots read before this write, each checked against the tid read there: an
/// insert may only have appended since) and compacts the page; returns its new count.
fn remove_entries(page: &mut [u8], meta: &Meta, block: BlockNumber, dead: &[usize], read: &[(HeapTid, bool)]) -> Result<usize, Error> {
    let (count, _) = layout::list_header(page, meta, block)?;
    for &i in dead {
        if i < count && layout::entry(page, meta, i).0 == read[i].0 {
            layout::mark_deleted(page, meta, i);
        }
    }
    Ok(layout::compact_list_page(page, meta, count))
}

/// Sets list `list`'s insert page to `room`, the first page of its chain with room.
fn point_inserts_at(store: &mut impl PageStore, meta: &Meta, list: u32, room: BlockNumber) {
    let (centroid_block, centroid_at) = meta.centroid_location(list);
    let (first, last) = store.read(centroid_block, |p| layout::centroid_pages_of(p, centroid_at));
    if last == room || first == 0 {
        return;
    }
    layout::upgrade_format(store);
    store.write(&[centroid_block], |p| {
        // Pages are never unlinked, so `room` is still on the chain whatever inserts did since.
        let (first, _) = layout::centroid_pages_of(p[0], centroid_at);
        layout::set_centroid_pages(p[0], centroid_at, first, room);
    });
}
