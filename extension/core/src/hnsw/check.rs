//! `ruvector_index_check`: a structural check of the whole index that reports every problem
//! it finds instead of stopping at the first, and never fails on corrupt data.
use super::inventory::ElementInfo;
use super::layout::{
    self, KIND_CONTINUATION, KIND_ELEMENT, KIND_UNUSED, STATE_DEAD, STATE_DELETED, STATE_LIVE,
};
use super::meta::{Meta, read_meta};
use super::page_graph::with_record;
use crate::pagestore::BlockLimit;
use super::visited::U64Set;
use super::{ElementId, Error, HeapTid};
use crate::pagestore::{BlockNumber, PAYLOAD_SIZE, PageStore};
use alloc::collections::VecDeque;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// One problem found by [`check`]. `kind` is one of the stable strings "bad metapage",
/// "bad page", "bad element", "bad neighbour", "unreachable element", "missing heap tuple",
/// "bad entry point".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: &'static str,
    pub block: BlockNumber,
    pub offset: u16,
    pub detail: String,
}

fn problem(
    kind: &'static str,
    block: BlockNumber,
    offset: u16,
    detail: impl Into<String>,
) -> Problem {
    Problem {
        kind,
        block,
        offset,
        detail: detail.into(),
    }
}

/// Structural check for `ruvector_index_check`: empty when sound.
pub fn check(
    store: &impl PageStore,
    mut heap_tid_exists: impl FnMut(HeapTid) -> bool,
) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    let meta = match read_meta(store) {
        Ok(meta) => meta,
        Err(e) => {
            problems.push(problem("bad metapage", 0, 0, e.message()));
            return Ok(problems);
        }
    };
    let m = meta.m();
    let limit = BlockLimit::default();
    let elements = inventory(store, m, &mut problems);
    let lookup = |id: ElementId| {
        elements
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| elements[i])
    };

    // Neighbour references and heap tids, element by element (copied out of the page first:
    // the heap callback must not run under a page lock).
    let mut lists: Vec<(usize, ElementId)> = Vec::new();
    let mut tids: Vec<HeapTid> = Vec::new();
    for e in elements.iter().filter(|e| e.state != STATE_DEAD) {
        lists.clear();
        tids.clear();
        let read = with_record(store, &limit, m, e.id, |rec| -> Result<(), Error> {
            for layer in 0..=rec.level() as usize {
                lists.extend(rec.neighbours(layer, e.id.block)?.map(|n| (layer, n)));
            }
            if rec.state == STATE_LIVE {
                tids.extend(rec.tids());
            }
            Ok(())
        });
        if let Err(err) | Ok(Err(err)) = read {
            problems.push(problem(
                "bad element",
                e.id.block,
                e.id.offset,
                err.message(),
            ));
            continue;
        }
        for &(layer, n) in &lists {
            let what = match lookup(n) {
                None => Some("is not an element"),
                Some(target) if target.state == STATE_DEAD => Some("is dead"),
                Some(target) if (target.level as usize) < layer => Some("is not on that layer"),
                Some(_) => None,
            };
            if let Some(what) = what {
                let detail =
                    alloc::format!("layer {layer} neighbour ({},{}) {what}", n.block, n.offset);
                problems.push(problem("bad neighbour", e.id.block, e.id.offset, detail));
            }
        }
        for &tid in &tids {
            if !heap_tid_exists(tid) {
                let detail = alloc::format!("heap tid ({},{})", tid.block, tid.offset);
                problems.push(problem(
                    "missing heap tuple",
                    e.id.block,
                    e.id.offset,
                    detail,
                ));
            }
        }
    }

    let entry_ok = check_entry(&meta, &elements, &lookup, &mut problems);
    if let (true, Some((entry, _))) = (entry_ok, meta.entry) {
        let reached = reachable(store, m, entry, &lookup);
        for e in elements
            .iter()
            .filter(|e| e.state == STATE_LIVE && !reached.contains(e.id.key()))
        {
            problems.push(problem(
                "unreachable element",
                e.id.block,
                e.id.offset,
                "not reachable from the entry point",
            ));
        }
    }
    Ok(problems)
}

/// Every element record, page by page, with problems for pages and records that do not parse.
fn inventory(store: &impl PageStore, m: usize, problems: &mut Vec<Problem>) -> Vec<ElementInfo> {
    let limit = BlockLimit::default();
    let mut elements = Vec::new();
    for block in 1..store.page_count() {
        let mut continuation_error = None;
        let page_problem = store.read(block, |page| -> Option<String> {
            match layout::page_kind(page) {
                // Appended by a crashed insert before it was written: must still be all zero.
                KIND_UNUSED => page
                    .iter()
                    .any(|&b| b != 0)
                    .then(|| "unformatted page with data".to_string()),
                KIND_CONTINUATION => {
                    continuation_error = layout::continuation_header(page, block).err();
                    None
                }
                KIND_ELEMENT => {
                    let (_, free) = layout::element_page_header(page);
                    if !(layout::PAGE_HEADER_SIZE..=PAYLOAD_SIZE).contains(&free) {
                        return Some(alloc::format!("free offset {free} out of range"));
                    }
                    let mut last_offset = layout::PAGE_HEADER_SIZE as u16;
                    let walk = layout::for_each_record(page, m, block, |rec, offset| {
                        last_offset = offset + rec.shape.size() as u16;
                        elements.push(ElementInfo {
                            id: ElementId { block, offset },
                            state: rec.state,
                            level: rec.level(),
                        });
                    });
                    if let Err(e) = walk {
                        problems.push(problem("bad element", block, last_offset, e.message()));
                    }
                    None
                }
                kind => Some(alloc::format!("unknown page kind {kind}")),
            }
        });
        if let Some(detail) = page_problem {
            problems.push(problem("bad page", block, 0, detail));
        }
        if let Some(e) = continuation_error {
            problems.push(problem("bad page", block, 0, e.message()));
        }
    }
    for e in &elements {
        let tid_problem = with_record(store, &limit, m, e.id, |rec| match rec.state {
            STATE_LIVE if rec.tid_count() == 0 => Some("live element without heap tids"),
            STATE_DELETED if rec.tid_count() != 0 => Some("deleted element with heap tids"),
            _ => None,
        });
        if let Ok(Some(what)) = tid_problem {
            problems.push(problem("bad element", e.id.block, e.id.offset, what));
        }
    }
    elements
}

/// The entry point must be a non-dead element at the level the metapage says, at least as high
/// as every live element; there must be one unless no element is left. True when usable.
fn check_entry(
    meta: &Meta,
    elements: &[ElementInfo],
    lookup: &impl Fn(ElementId) -> Option<ElementInfo>,
    problems: &mut Vec<Problem>,
) -> bool {
    let top_live = elements
        .iter()
        .filter(|e| e.state == STATE_LIVE)
        .map(|e| e.level)
        .max();
    let Some((entry, level)) = meta.entry else {
        if top_live.is_some() {
            problems.push(problem(
                "bad entry point",
                0,
                0,
                "no entry point but live elements",
            ));
        }
        return false;
    };
    let detail = match lookup(entry) {
        None => Some("entry point is not an element"),
        Some(e) if e.state == STATE_DEAD => Some("entry point is dead"),
        Some(e) if e.level != level => Some("entry point level differs from the metapage's"),
        Some(_) if top_live.is_some_and(|top| top > level) => {
            Some("a live element is above the entry point's level")
        }
        Some(_) => None,
    };
    if let Some(detail) = detail {
        problems.push(problem(
            "bad entry point",
            entry.block,
            entry.offset,
            detail,
        ));
    }
    lookup(entry).is_some_and(|e| e.state != STATE_DEAD)
}

/// Breadth-first over every layer from the entry point, through known non-dead elements only.
fn reachable(
    store: &impl PageStore,
    m: usize,
    entry: ElementId,
    lookup: &impl Fn(ElementId) -> Option<ElementInfo>,
) -> U64Set {
    let limit = BlockLimit::default();
    let mut reached = U64Set::new();
    let mut queue = VecDeque::new();
    reached.insert(entry.key());
    queue.push_back(entry);
    let mut list = Vec::new();
    while let Some(id) = queue.pop_front() {
        list.clear();
        let _ = with_record(store, &limit, m, id, |rec| {
            for layer in 0..=rec.level() as usize {
                if let Ok(neighbours) = rec.neighbours(layer, id.block) {
                    list.extend(neighbours);
                }
            }
        });
        for &n in &list {
            if lookup(n).is_some_and(|e| e.state != STATE_DEAD) && reached.insert(n.key()) {
                queue.push_back(n);
            }
        }
    }
    reached
}
