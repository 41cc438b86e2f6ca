//! VACUUM: dropping dead heap tids, then repairing the graph around elements left without any.
//!
//! v1 never reuses the space of dead elements: they stay on their pages, skipped by every
//! traversal, until REINDEX. (pgvector reuses it; that can come with a later format version.)
//!
//! `vacuum_repair` rewrites neighbour lists from data read earlier, so the caller must keep
//! inserts out while it runs (take the insert lock exclusively); scans may run concurrently.
use super::aligned::AlignedBytes;
use super::graph::{Graph, Scored};
use super::inventory::Inventory;
use super::layout::{
    self, KIND_ELEMENT, Link, STATE_DEAD, STATE_DELETED, STATE_LIVE, layer_capacity,
};
use super::link::{LinkScratch, link_orphan};
use super::meta::{META_BLOCK, Meta, read_meta};
use super::page_graph::{PageGraph, PageScratch, write_update};
use super::search::{SearchScratch, descend, search_layer};
use super::select::select_neighbours;
use super::visited::U64Set;
use super::{ElementId, Error, HeapTid, Metric};
use crate::pagestore::PageStore;
use alloc::collections::VecDeque;
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

fn is_deleted(inventory: &Inventory, id: ElementId) -> bool {
    inventory.get(id).is_some_and(|e| e.state == STATE_DELETED)
}

/// Gives every live element that links to a deleted one a new list on that layer.
fn repair_lists<S: PageStore>(
    store: &mut S,
    metric: &impl Metric,
    meta: &Meta,
    inventory: &Inventory,
    scratch: &mut PageScratch,
) -> Result<(), Error> {
    let m = meta.m();
    let mut list = Vec::new();
    let mut pool: Vec<ElementId> = Vec::new();
    let mut candidates: Vec<Scored<ElementId>> = Vec::new();
    let mut kept = Vec::new();
    let mut pruned = Vec::new();
    let mut vector = AlignedBytes::new();
    let mut search = SearchScratch::new();
    let mut found = Vec::new();
    for element in inventory.elements.iter().filter(|e| e.state == STATE_LIVE) {
        let id = element.id;
        scratch.clear_cache();
        for layer in 0..=element.level as usize {
            let mut graph = PageGraph::new(&*store, metric, m, scratch);
            graph.neighbours(id, layer, &mut list)?;
            if !list.iter().any(|&n| is_deleted(inventory, n)) {
                continue;
            }
            pool.clear();
            for &n in &list {
                if !is_deleted(inventory, n) {
                    pool.push(n);
                    continue;
                }
                let deleted_level = inventory.get(n).map_or(0, |e| e.level) as usize;
                if deleted_level >= layer {
                    let mut second = Vec::new();
                    graph.neighbours(n, layer, &mut second)?;
                    pool.extend(
                        second
                            .into_iter()
                            .filter(|&x| x != id && !is_deleted(inventory, x)),
                    );
                }
            }
            pool.sort_unstable();
            pool.dedup();
            candidates.clear();
            for &c in &pool {
                if inventory.get(c).is_some_and(|e| e.state == STATE_DEAD) {
                    continue;
                }
                let distance = graph.distance_between(id, c)?;
                candidates.push(Scored::new(distance, c));
            }
            let cap = layer_capacity(m, layer);
            if candidates.len() < cap
                && let Some(entry) = meta.entry
            {
                graph.load_vector(id, &mut vector)?;
                let query = vector.as_bytes();
                let start = descend(&mut graph, query, entry, layer, &mut search, &mut found)?;
                graph.clear_visited();
                graph.mark_visited(start.node);
                search_layer(
                    &mut graph,
                    query,
                    &[start],
                    meta.ef_construction as usize,
                    layer,
                    &mut search,
                    None,
                    &mut found,
                )?;
                for f in &found {
                    if !f.deleted && f.node != id && !candidates.iter().any(|c| c.node == f.node) {
                        candidates.push(*f);
                    }
                }
            }
            candidates.sort_unstable();
            select_neighbours(&mut graph, &candidates, cap, &mut kept, &mut pruned)?;
            let new_list: Vec<Link> = kept.iter().map(|k| (k.node, k.closer)).collect();
            store.write(&[id.block], |pages| {
                layout::set_neighbours(pages[0], id.offset as usize, m, id.block, layer, &new_list)
            })?;
        }
    }
    Ok(())
}

/// A deleted entry point gives way to the live element with the highest level (the first one
/// in page order among equals, so the choice is deterministic); no live element, no entry point.
fn replace_deleted_entry(store: &mut impl PageStore, inventory: &Inventory) -> Result<(), Error> {
    let meta = read_meta(store)?;
    let Some((entry, _)) = meta.entry else {
        return Ok(());
    };
    if !is_deleted(inventory, entry) {
        return Ok(());
    }
    let mut best: Option<(ElementId, u8)> = None;
    for e in inventory.elements.iter().filter(|e| e.state == STATE_LIVE) {
        if best.is_none_or(|(_, level)| e.level > level) {
            best = Some((e.id, e.level));
        }
    }
    store.write(&[META_BLOCK], |pages| {
        let mut meta = Meta::decode(pages[0])?;
        meta.entry = best;
        meta.encode(pages[0]);
        Ok(())
    })
}

fn mark_deleted_dead(
    store: &mut impl PageStore,
    m: usize,
    inventory: &Inventory,
) -> Result<(), Error> {
    let deleted: Vec<ElementId> = inventory
        .elements
        .iter()
        .filter(|e| e.state == STATE_DELETED)
        .map(|e| e.id)
        .collect();
    for same_page in deleted.chunk_by(|a, b| a.block == b.block) {
        let block = same_page[0].block;
        store.write(&[block], |pages| -> Result<(), Error> {
            for id in same_page {
                layout::set_state(pages[0], id.offset as usize, m, block, STATE_DEAD)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Breadth-first over all layers from `start`, adding to `reached` and counting the in-links
/// of the elements it expands (indexed like the inventory).
fn mark_reachable<S: PageStore, M: Metric>(
    graph: &mut PageGraph<'_, S, M>,
    inventory: &Inventory,
    start: ElementId,
    reached: &mut U64Set,
    in_degree: &mut [u32],
) -> Result<(), Error> {
    let mut queue = VecDeque::new();
    if reached.insert(start.key()) {
        queue.push_back(start);
    }
    let mut list = Vec::new();
    while let Some(id) = queue.pop_front() {
        let level = graph.with_record(id, |rec| {
            if rec.state == STATE_DEAD {
                None
            } else {
                Some(rec.level())
            }
        })?;
        let Some(level) = level else { continue };
        for layer in 0..=level as usize {
            graph.neighbours(id, layer, &mut list)?;
            for &n in &list {
                if let Some(i) = inventory.index_of(n) {
                    in_degree[i] += 1;
                }
                if reached.insert(n.key()) {
                    queue.push_back(n);
                }
            }
        }
    }
    Ok(())
}

/// Links every live element not reachable from the entry point back into the graph, from one of
/// its nearest reachable live elements (see `link_orphan`). Returns how many elements needed it.
fn link_unreachable<S: PageStore>(
    store: &mut S,
    metric: &impl Metric,
    scratch: &mut PageScratch,
    link: &mut LinkScratch<ElementId>,
) -> Result<usize, Error> {
    let meta = read_meta(store)?;
    let m = meta.m();
    let Some(entry) = meta.entry else {
        return Ok(0);
    };
    let inventory = Inventory::read(store, m)?;
    let mut reached = U64Set::new();
    let mut in_degree = alloc::vec![0u32; inventory.elements.len()];
    {
        let mut graph = PageGraph::new(&*store, metric, m, scratch);
        mark_reachable(
            &mut graph,
            &inventory,
            entry.0,
            &mut reached,
            &mut in_degree,
        )?;
    }
    let mut linked = 0;
    let mut vector = AlignedBytes::new();
    let mut search = SearchScratch::new();
    let mut found = Vec::new();
    let mut own = Vec::new();
    let mut old = Vec::new();
    for element in inventory.elements.iter().filter(|e| e.state == STATE_LIVE) {
        let id = element.id;
        if reached.contains(id.key()) {
            continue;
        }
        linked += 1;
        scratch.clear_cache();
        let mut graph = PageGraph::new(&*store, metric, m, scratch);
        graph.load_vector(id, &mut vector)?;
        let query = vector.as_bytes();
        let start = descend(&mut graph, query, entry, 0, &mut search, &mut found)?;
        graph.clear_visited();
        graph.mark_visited(start.node);
        search_layer(
            &mut graph,
            query,
            &[start],
            meta.ef_construction as usize,
            0,
            &mut search,
            None,
            &mut found,
        )?;
        graph.neighbours(id, 0, &mut own)?;
        let evictable = |n: ElementId| {
            own.contains(&n) || inventory.index_of(n).is_some_and(|i| in_degree[i] >= 2)
        };
        if let Some((target, update)) = link_orphan(&mut graph, id, &found, &evictable, link)? {
            graph.neighbours(target, 0, &mut old)?;
            let list = update.nodes_after(&old);
            for &n in &old {
                if let Some(i) = inventory.index_of(n) {
                    in_degree[i] = in_degree[i].saturating_sub(1);
                }
            }
            for &n in &list {
                if let Some(i) = inventory.index_of(n) {
                    in_degree[i] += 1;
                }
            }
            store.write(&[target.block], |pages| {
                write_update(pages[0], target, m, 0, &update)
            })?;
        }
        let mut graph = PageGraph::new(&*store, metric, m, scratch);
        mark_reachable(&mut graph, &inventory, id, &mut reached, &mut in_degree)?;
    }
    Ok(linked)
}
