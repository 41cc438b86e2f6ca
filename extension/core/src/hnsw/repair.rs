//! VACUUM's graph repair around deleted elements: new neighbour lists for the live elements
//! that link to them, a new entry point if it was deleted, then marking them dead.
use super::aligned::AlignedBytes;
use super::graph::{Graph, Scored};
use super::inventory::Inventory;
use super::layout::{self, Link, STATE_DEAD, STATE_DELETED, STATE_LIVE, layer_capacity};
use super::meta::{META_BLOCK, Meta, read_meta};
use super::page_graph::{PageGraph, PageScratch};
use super::search::{SearchScratch, descend, search_layer};
use super::select::select_neighbours;
use super::{ElementId, Error, Metric};
use crate::pagestore::PageStore;
use alloc::vec::Vec;

pub(crate) fn is_deleted(inventory: &Inventory, id: ElementId) -> bool {
    inventory.get(id).is_some_and(|e| e.state == STATE_DELETED)
}

/// Gives every live element that links to a deleted one a new list on that layer.
pub(crate) fn repair_lists<S: PageStore>(
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
pub(crate) fn replace_deleted_entry(
    store: &mut impl PageStore,
    inventory: &Inventory,
) -> Result<(), Error> {
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

pub(crate) fn mark_deleted_dead(
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
