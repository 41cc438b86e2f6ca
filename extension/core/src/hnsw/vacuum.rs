//! VACUUM: dropping dead heap tids, then repairing the graph around elements left without any.
//!
//! v1 never reuses the space of dead elements: they stay on their pages, skipped by every
//! traversal, until REINDEX. (pgvector reuses it; that can come with a later format version.)
//!
//! `vacuum_repair` rewrites neighbour lists from data read earlier, so the caller must keep
//! inserts out while it runs (take the insert lock exclusively); scans may run concurrently.
use super::inventory::Inventory;
use super::layout::{self, KIND_ELEMENT, STATE_DELETED, STATE_LIVE};
use super::link::LinkScratch;
use super::meta::read_meta;
use super::page_graph::PageScratch;
use super::reachability::link_unreachable;
use super::repair::{mark_deleted_dead, repair_lists, replace_deleted_entry};
use super::{Error, HeapTid, Metric};
use crate::pagestore::PageStore;
use alloc::vec::Vec;

/// What `vacuum_remove` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VacuumStats {
    pub tuples_removed: u64,
    pub tuples_remaining: u64,
    pub elements_deleted: u64,
}

/// VACUUM step 1: removes heap tids for which `is_dead` says true; elements left with none are
/// marked deleted (still traversable, so searches keep working until the repair).
pub fn vacuum_remove(
    store: &mut impl PageStore,
    mut is_dead: impl FnMut(HeapTid) -> bool,
) -> Result<VacuumStats, Error> {
    let m = read_meta(store)?.m();
    let mut stats = VacuumStats::default();
    let mut records: Vec<(u16, Vec<HeapTid>)> = Vec::new();
    for block in 1..store.page_count() {
        records.clear();
        store.read(block, |page| {
            if layout::page_kind(page) != KIND_ELEMENT {
                return Ok(());
            }
            layout::for_each_record(page, m, block, |rec, offset| {
                if rec.state == STATE_LIVE {
                    records.push((offset, rec.tids().collect()));
                }
            })
        })?;
        // `is_dead` is the caller's code: never run it while a page is locked.
        let mut removals: Vec<(u16, Vec<HeapTid>)> = Vec::new();
        for (offset, tids) in records.drain(..) {
            let dead: Vec<HeapTid> = tids.iter().copied().filter(|&t| is_dead(t)).collect();
            stats.tuples_removed += dead.len() as u64;
            stats.tuples_remaining += (tids.len() - dead.len()) as u64;
            if !dead.is_empty() {
                removals.push((offset, dead));
            }
        }
        if removals.is_empty() {
            continue;
        }
        stats.elements_deleted += store.write(&[block], |pages| -> Result<u64, Error> {
            let page = &mut *pages[0];
            let mut deleted = 0;
            for (offset, dead) in &removals {
                let offset = *offset as usize;
                // Remove by value: a concurrent insert may have added a duplicate's tid meanwhile.
                let keep: Vec<HeapTid> = layout::Record::parse(page, offset, m, block)?
                    .tids()
                    .filter(|t| !dead.contains(t))
                    .collect();
                layout::set_tids(page, offset, m, block, &keep)?;
                if keep.is_empty() {
                    layout::set_state(page, offset, m, block, STATE_DELETED)?;
                    deleted += 1;
                }
            }
            Ok(deleted)
        })?;
    }
    Ok(stats)
}

/// VACUUM step 2: graph repair. Every live element that links to a deleted one gets a new
/// neighbour list (heuristic over its live neighbours + the live neighbours of its deleted
/// neighbours, and a search if that is too few); a deleted entry point is replaced by the live
/// element with the highest level; then deleted elements are marked dead (no longer traversed;
/// their space is not reused in v1). Finally a reachability pass from the entry point (BFS over
/// all layers) links in every live element left unreachable.
pub fn vacuum_repair(store: &mut impl PageStore, metric: &impl Metric) -> Result<(), Error> {
    let meta = read_meta(store)?;
    let m = meta.m();
    let inventory = Inventory::read(store, m)?;
    let mut scratch = PageScratch::new();
    let mut link = LinkScratch::new();
    if inventory.elements.iter().any(|e| e.state == STATE_DELETED) {
        repair_lists(store, metric, &meta, &inventory, &mut scratch)?;
        replace_deleted_entry(store, &inventory)?;
        mark_deleted_dead(store, m, &inventory)?;
    }
    // A forced link can still push a last in-link out of some full list; rounds settle it.
    for _ in 0..16 {
        if link_unreachable(store, metric, &mut scratch, &mut link)? == 0 {
            break;
        }
    }
    Ok(())
}
