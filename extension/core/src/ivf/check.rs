//! Structural check for `ruvector_index_check`: reports every problem found, never fails on
//! corrupt data. Kinds: "bad metapage", "bad page", "bad list", "missing heap tuple".
use super::layout::{self, Meta};
use super::{Error, HeapTid, Problem};
use crate::pagestore::{BlockNumber, PageStore};
use alloc::string::String;
use alloc::vec::Vec;

fn problem(kind: &'static str, block: BlockNumber, offset: u16, detail: impl Into<String>) -> Problem {
    Problem { kind, block, offset, detail: detail.into() }
}

pub fn check(store: &impl PageStore, mut heap_tid_exists: impl FnMut(HeapTid) -> bool) -> Result<Vec<Problem>, Error> {
    let mut problems = Vec::new();
    let meta = match layout::read_meta(store) {
        Ok(meta) => meta,
        Err(e) => {
            problems.push(problem("bad metapage", 0, 0, e.message()));
            return Ok(problems);
        }
    };
    let lists = match layout::read_centroids(store, &meta) {
        Ok((_, lists)) => lists,
        Err(Error::Corrupt(what, block)) => {
            problems.push(problem("bad page", block, 0, what));
            return Ok(problems);
        }
        Err(e) => return Err(e),
    };
    let mut owner: Vec<Option<u32>> = alloc::vec![None; store.page_count() as usize];
    let mut tids: Vec<(HeapTid, u16)> = Vec::new();
    for (list, &(first, last)) in lists.iter().enumerate() {
        let (mut block, mut reaches_last) = (first, first == 0 && last == 0);
        while block != 0 {
            let Some(slot) = owner.get_mut(block as usize) else {
                problems.push(problem("bad list", block, 0, alloc::format!("list {list} links to a block beyond the index")));
                break;
            };
            if let Some(other) = *slot {
                problems.push(problem("bad list", block, 0, alloc::format!("list {list} reaches a page of list {other} (or loops)")));
                break;
            }
            *slot = Some(list as u32);
            tids.clear();
            let header = store.read(block, |page| {
                let header = layout::list_header(page, &meta, block)?;
                for i in 0..header.0 {
                    let (tid, deleted, _) = layout::entry(page, &meta, i);
                    if !deleted {
                        tids.push((tid, entry_offset(&meta, i)));
                    }
                }
                Ok::<_, Error>(header)
            });
            let next = match header {
                Ok((_, next)) => next,
                Err(e) => {
                    problems.push(problem("bad list", block, 0, alloc::format!("list {list}: {}", e.message())));
                    break;
                }
            };
            for &(tid, offset) in &tids {
                if !heap_tid_exists(tid) {
                    problems.push(problem("missing heap tuple", block, offset, alloc::format!("heap tid ({},{})", tid.block, tid.offset)));
                }
            }
            reaches_last |= block == last;
            block = next;
        }
        if block == 0 && !reaches_last {
            problems.push(problem("bad list", layout::META_BLOCK, 0, alloc::format!("list {list}'s centroid points inserts at block {last}, which is not on the list")));
        }
    }
    // Pages no list owns must be all-zero pages left by an interrupted insert.
    for block in 1 + meta.centroid_pages()..store.page_count() {
        if owner[block as usize].is_none() {
            let kind = store.read(block, |page| page[0]);
            if kind != 0 {
                problems.push(problem("bad page", block, 0, alloc::format!("unexpected page kind {kind}")));
            }
        }
    }
    Ok(problems)
}

fn entry_offset(meta: &Meta, i: usize) -> u16 {
    (layout::PAGE_HEADER_SIZE + i * meta.entry_size()) as u16
}
