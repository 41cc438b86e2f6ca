//! Making every live element reachable from the entry point again: VACUUM's last pass.
use super::aligned::AlignedBytes;
use super::graph::Graph;
use super::inventory::Inventory;
use super::layout::{STATE_DEAD, STATE_LIVE};
use super::link::{LinkScratch, evicted_by, keep_evicted_reachable, link_orphan};
use super::meta::read_meta;
use super::page_graph::{PageGraph, PageScratch, write_update};
use super::search::{SearchScratch, descend, search_layer};
use super::visited::U64Set;
use super::{ElementId, Error, Metric};
use crate::pagestore::PageStore;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

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
pub(crate) fn link_unreachable<S: PageStore>(
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
            let evicted = evicted_by(&old, &update);
            store.write(&[target.block], |pages| {
                write_update(pages[0], target, m, 0, &update)
            })?;
            if let Some(evicted) = evicted {
                scratch.clear_cache();
                let mut graph = PageGraph::new(&*store, metric, m, scratch);
                if let Some(own_update) = keep_evicted_reachable(&mut graph, id, evicted, link)? {
                    store.write(&[id.block], |pages| {
                        write_update(pages[0], id, m, 0, &own_update)
                    })?;
                }
            }
        }
        let mut graph = PageGraph::new(&*store, metric, m, scratch);
        mark_reachable(&mut graph, &inventory, id, &mut reached, &mut in_degree)?;
    }
    Ok(linked)
}
