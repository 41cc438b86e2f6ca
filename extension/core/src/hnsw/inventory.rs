//! A list of every element record in the index, in (block, offset) order, for the passes
//! over the whole index (vacuum, check) that need to look elements up by id.
use super::layout::{self, KIND_ELEMENT};
use super::{ElementId, Error};
use crate::pagestore::PageStore;
use alloc::vec::Vec;

#[derive(Clone, Copy, Debug)]
pub(crate) struct ElementInfo {
    pub id: ElementId,
    pub state: u8,
    pub level: u8,
}

/// Sorted by id, as pages and records are visited in order: lookups are binary searches.
pub(crate) struct Inventory {
    pub elements: Vec<ElementInfo>,
}

impl Inventory {
    /// Reads every element page; fails on the first corrupt one (vacuum cannot repair what it cannot parse).
    pub(crate) fn read(store: &impl PageStore, m: usize) -> Result<Inventory, Error> {
        let mut elements = Vec::new();
        for block in 1..store.page_count() {
            store.read(block, |page| {
                if layout::page_kind(page) != KIND_ELEMENT {
                    return Ok(());
                }
                layout::for_each_record(page, m, block, |rec, offset| {
                    elements.push(ElementInfo {
                        id: ElementId { block, offset },
                        state: rec.state,
                        level: rec.level(),
                    });
                })
            })?;
        }
        Ok(Inventory { elements })
    }

    pub(crate) fn get(&self, id: ElementId) -> Option<&ElementInfo> {
        self.index_of(id).map(|i| &self.elements[i])
    }

    pub(crate) fn index_of(&self, id: ElementId) -> Option<usize> {
        self.elements.binary_search_by_key(&id, |e| e.id).ok()
    }
}
