//! Inserting one vector into the on-page graph (after a build, or to go on building on disk
//! when the in-memory graph outgrew memory). Callers serialize inserts; scans run concurrently.
//!
//! Crash safety: the new record, the first back-link to it and the metapage are changed in
//! one atomic write, so no crash leaves an element that nothing links to. The remaining
//! back-links follow in later writes; losing some only makes the graph a little sparser.
use super::aligned::AlignedBytes;
use super::builder::write_continuation_chain;
use super::graph::{Graph, Scored};
use super::layout::{self, Link, MAX_VECTOR_BYTES, PAGE_HEADER_SIZE, Shape, VectorPlacement};
use super::level::level_for;
use super::link::{LinkPlan, LinkRules, LinkScratch, backlinked_list, evicted_by, plan_links};
use super::meta::{META_BLOCK, Meta, read_meta};
use super::page_graph::{PageGraph, PageScratch, check_update, write_update};
use super::{ElementId, Error, HeapTid, Metric};
use crate::pagestore::{BlockNumber, PAYLOAD_SIZE, PageStore};
use alloc::vec::Vec;

/// Inserts one vector into the on-page graph (used after build, and to go on building on disk when the in-memory graph outgrew memory).
/// Callers serialize inserts (a lock) but scans run concurrently with it, reading pages one at a time.
pub fn insert(
    store: &mut impl PageStore,
    metric: &impl Metric,
    vector: &[u8],
    tid: HeapTid,
) -> Result<(), Error> {
    if vector.len() > MAX_VECTOR_BYTES {
        return Err(Error::VectorTooLarge);
    }
    let meta = read_meta(store)?;
    let m = meta.m();
    let level = level_for(tid, m);
    // The Metric contract wants aligned vectors; the caller's slice may not be.
    let aligned = AlignedBytes::from_bytes(vector);
    let vector = aligned.as_bytes();
    let mut scratch = PageScratch::new();
    let mut link = LinkScratch::new();

    let plan = match meta.entry {
        None => None,
        Some(entry) => {
            let mut graph = PageGraph::new(&*store, metric, m, &mut scratch);
            let plan = plan_links(
                &mut graph,
                vector,
                level,
                entry,
                meta.ef_construction as usize,
                None,
                &mut link,
            )?;
            if add_to_duplicate(store, metric, m, &mut scratch, &plan, vector, tid)? {
                return Ok(());
            }
            Some(plan)
        }
    };

    let shape = Shape::new(m, level, vector.len());
    // Orphaned by a crash before the record is written: harmless, never reached.
    let placement = if shape.out_of_line {
        VectorPlacement::Continuation(write_continuation_chain(store, vector))
    } else {
        VectorPlacement::Inline(vector)
    };
    let (block, fresh_page) = page_with_room(store, &meta, shape.size());
    let offset = if fresh_page {
        PAGE_HEADER_SIZE
    } else {
        store.read(block, |page| layout::element_page_header(page).1)
    };
    let id = ElementId {
        block,
        offset: offset as u16,
    };
    scratch.clear_cache();
    scratch.preload(id, vector);

    let mut lists: Vec<Vec<Link>> = match &plan {
        Some(plan) => plan
            .layers
            .iter()
            .map(|l| l.iter().map(|s| (s.node, s.closer)).collect())
            .collect(),
        None => Vec::new(),
    };
    // The link that makes the new element reachable: from its nearest layer-0 neighbour.
    let first_link = match plan.as_ref().and_then(|p| p.layers[0].first()) {
        Some(nearest) => {
            let mut graph = PageGraph::new(&*store, metric, m, &mut scratch);
            let new = Scored::new(nearest.distance, id);
            let reachable_through_new =
                |n: ElementId| lists.iter().any(|l| l.iter().any(|link| link.0 == n));
            let rules = LinkRules {
                evictable: &reachable_through_new,
                force: true,
                or_last: true,
            };
            let mut before = Vec::new();
            graph.neighbours(nearest.node, 0, &mut before)?;
            let update = backlinked_list(&mut graph, nearest.node, 0, new, rules, &mut link)?;
            if let Some(evicted) = update.as_ref().and_then(|u| evicted_by(&before, u)) {
                // The new element takes over the link it displaced (see keep_evicted_reachable).
                link_to_evicted(&mut lists[0], evicted, layout::layer_capacity(m, 0));
            }
            update.map(|update| (nearest.node, update))
        }
        None => None,
    };
    let reachable_through_new =
        |n: ElementId| lists.iter().any(|l| l.iter().any(|link| link.0 == n));
    // With nothing to link from (an empty graph, or only deleted elements found), the new
    // element becomes the entry point so that it is reachable anyway.
    let becomes_entry = match meta.entry {
        None => true,
        Some((_, entry_level)) => level > entry_level || first_link.is_none(),
    };

    let mut blocks: Vec<BlockNumber> = alloc::vec![block];
    if let Some((target, _)) = &first_link
        && target.block != block
    {
        blocks.push(target.block);
    }
    blocks.push(META_BLOCK);
    store.write(&blocks, |pages| -> Result<(), Error> {
        let meta_index = pages.len() - 1;
        // Everything is checked before the first byte changes: the store applies whatever `f`
        // changed even when it returns an error.
        let mut new_meta = Meta::decode(pages[meta_index])?;
        if let Some((target, update)) = &first_link {
            let index = if target.block == block { 0 } else { 1 };
            check_update(pages[index], *target, m, 0, update)?;
        }
        if !fresh_page && !layout::has_room_at(pages[0], offset, shape.size()) {
            return Err(Error::Corrupt(
                "insert page changed under a serialized insert",
                block,
            ));
        }
        let page = &mut *pages[0];
        if fresh_page {
            layout::init_element_page(page);
        }
        layout::reserve_record(page, shape.size());
        let list_refs: Vec<&[Link]> = lists.iter().map(|l| l.as_slice()).collect();
        layout::write_record(page, offset, &shape, &[tid], &list_refs, placement);
        if let Some((target, update)) = &first_link {
            let index = if target.block == block { 0 } else { 1 };
            write_update(pages[index], *target, m, 0, update)?;
        }
        if becomes_entry {
            new_meta.entry = Some((id, level));
        }
        new_meta.element_count += 1;
        new_meta.insert_page = block;
        new_meta.encode(pages[meta_index]);
        Ok(())
    })?;

    let Some(plan) = plan else { return Ok(()) };
    for (layer, chosen) in plan.layers.iter().enumerate() {
        for (i, neighbour) in chosen.iter().enumerate() {
            if layer == 0 && i == 0 {
                continue;
            }
            let new = Scored::new(neighbour.distance, id);
            let mut graph = PageGraph::new(&*store, metric, m, &mut scratch);
            let rules = LinkRules {
                evictable: &reachable_through_new,
                force: false,
                or_last: false,
            };
            if let Some(update) =
                backlinked_list(&mut graph, neighbour.node, layer, new, rules, &mut link)?
            {
                let target = neighbour.node;
                store.write(&[target.block], |pages| {
                    write_update(pages[0], target, m, layer, &update)
                })?;
            }
        }
    }
    Ok(())
}

/// Makes a list (not yet written) link to `evicted`, in place of its last member when full.
fn link_to_evicted(list: &mut Vec<Link>, evicted: ElementId, cap: usize) {
    if list.iter().any(|l| l.0 == evicted) {
        return;
    }
    if list.len() >= cap {
        list.pop();
    }
    list.push((evicted, None));
}

/// Exact duplicates share an element (up to its tid capacity), as in pgvector: if a live
/// element among the nearest found has the very same bytes and room, the tid goes there.
fn add_to_duplicate<S: PageStore>(
    store: &mut S,
    metric: &impl Metric,
    m: usize,
    scratch: &mut PageScratch,
    plan: &LinkPlan<ElementId>,
    vector: &[u8],
    tid: HeapTid,
) -> Result<bool, Error> {
    let self_distance = metric.distance(vector, vector);
    for candidate in &plan.nearest {
        if candidate.deleted || candidate.distance.to_bits() != self_distance.to_bits() {
            continue;
        }
        let mut graph = PageGraph::new(&*store, metric, m, scratch);
        if !graph.vector_equals(candidate.node, vector)? {
            continue;
        }
        let id = candidate.node;
        let added = store.write(&[id.block], |pages| {
            layout::add_tid(pages[0], id.offset as usize, m, id.block, tid)
        })?;
        if added {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The last element page if the record fits there, else a newly appended page.
fn page_with_room(store: &mut impl PageStore, meta: &Meta, size: usize) -> (BlockNumber, bool) {
    let last = meta.insert_page;
    if last != 0 && last < store.page_count() {
        let free = store.read(last, layout::element_page_free_space);
        if free >= size {
            return (last, false);
        }
    }
    debug_assert!(size <= PAYLOAD_SIZE - PAGE_HEADER_SIZE);
    (store.append(), true)
}
