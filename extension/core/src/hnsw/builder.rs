//! CREATE INDEX: the whole graph is built in memory first (contiguous vectors, flat neighbour
//! arrays, no page locking), then written to pages in one sequential pass.
use super::aligned::AlignedBytes;
use super::graph::Scored;
use super::layout::{
    self, CONTINUATION_CAPACITY, Link, MAX_VECTOR_BYTES, PAGE_HEADER_SIZE, Shape, VectorPlacement,
};
use super::level::level_for;
use super::link::{LinkPlan, LinkRules, LinkScratch, backlinked_list, plan_links};
use super::memory_graph::{MemoryGraph, Traversal};
use super::placement::placement_order;
use super::meta::{META_BLOCK, Meta, read_meta, validate_params};
use super::reconnect::reconnect;
use super::{ElementId, Error, FORMAT_VERSION, HeapTid, Metric, Params};
use crate::pagestore::{BlockNumber, PAYLOAD_SIZE, PageStore};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Fast in-memory build (vectors in one arena, neighbour lists in flat arrays), then written to pages in one pass.
pub struct Builder<M: Metric> {
    pub(super) params: Params,
    pub(super) graph: MemoryGraph<M>,
    /// The visited set and remembered distances of the builder's own searches.
    pub(super) traversal: Traversal,
    /// Each node's first heap tid; exact duplicates add more in `extra_tids`.
    tids: Vec<HeapTid>,
    extra_tids: BTreeMap<u32, Vec<HeapTid>>,
    pub(super) scratch: LinkScratch<u32>,
    /// An aligned copy of the vector being inserted.
    query: AlignedBytes,
    /// `insert` cannot fail, so an oversized vector is remembered and reported by `write_to`.
    pub(super) vector_too_large: bool,
}

impl<M: Metric> Builder<M> {
    pub fn new(params: Params, metric: M) -> Self {
        Builder {
            params,
            graph: MemoryGraph::new(params.m as usize, metric),
            traversal: Traversal::default(),
            tids: Vec::new(),
            extra_tids: BTreeMap::new(),
            scratch: LinkScratch::new(),
            query: AlignedBytes::new(),
            vector_too_large: false,
        }
    }

    /// Adds one vector; the caller may insert vectors of any (equal or not) length.
    pub fn insert(&mut self, vector: &[u8], tid: HeapTid) {
        if vector.len() > MAX_VECTOR_BYTES {
            self.vector_too_large = true;
            return;
        }
        let level = level_for(tid, self.params.m as usize);
        // The Metric contract promises aligned vectors, and the caller's slice may not be.
        let mut query = core::mem::take(&mut self.query);
        query.set(vector);
        let plan = self.plan_now(query.as_bytes(), level);
        self.link(query.as_bytes(), tid, level, plan);
        self.query = query;
    }

    /// Searches the graph as it is for the neighbours of a new node (None while it is empty).
    pub(super) fn plan_now(&mut self, vector: &[u8], level: u8) -> Option<LinkPlan<u32>> {
        self.traversal.memo.start();
        let entry = self.graph.entry?;
        match plan_links(
            &mut self.graph.view(&mut self.traversal),
            vector,
            level,
            entry,
            self.params.ef_construction as usize,
            None,
            &mut self.scratch,
        ) {
            Ok(plan) => Some(plan),
            Err(_) => unreachable!("the in-memory graph has no failure modes"),
        }
    }

    /// Adds the node with the links `plan` chose, and the links back to it; an exact duplicate
    /// of a node among the nearest only adds its tid there. Returns the new node, if any.
    /// `vector` must be 8-aligned.
    pub(super) fn link(
        &mut self,
        vector: &[u8],
        tid: HeapTid,
        level: u8,
        plan: Option<LinkPlan<u32>>,
    ) -> Option<u32> {
        let (id, layers) = self.add_node(vector, tid, level, plan)?;
        // The plan came from `plan_now`, just before: its distances are the new node's.
        self.traversal.memo.set_owner(Some(id));
        let own: Vec<u32> = layers.iter().flatten().map(|c| c.node).collect();
        let reachable_through_new = |n: u32| own.contains(&n);
        for (layer, chosen) in layers.iter().enumerate() {
            for (i, neighbour) in chosen.iter().enumerate() {
                let new = Scored::new(neighbour.distance, id);
                let rules = LinkRules {
                    evictable: &reachable_through_new,
                    force: must_link_back(layer, i),
                    or_last: true,
                };
                if let Ok(Some(update)) = backlinked_list(
                    &mut self.graph.view(&mut self.traversal),
                    neighbour.node,
                    layer,
                    new,
                    rules,
                    &mut self.scratch,
                ) {
                    self.graph.apply(neighbour.node, layer, update);
                }
            }
        }
        self.traversal.memo.set_owner(None);
        Some(id)
    }

    /// Adds the node with its own lists (no links back yet) and makes it the entry point if it
    /// is the highest; returns it with its lists per layer. An exact duplicate of a node among
    /// the nearest only adds its tid there (None).
    pub(super) fn add_node(
        &mut self,
        vector: &[u8],
        tid: HeapTid,
        level: u8,
        plan: Option<LinkPlan<u32>>,
    ) -> Option<(u32, Vec<Vec<Scored<u32>>>)> {
        let layers = match plan {
            None => Vec::new(),
            Some(plan) => {
                if add_to_duplicate(
                    &self.graph,
                    &mut self.extra_tids,
                    self.params.m,
                    vector,
                    &plan.nearest,
                    tid,
                ) {
                    return None;
                }
                plan.layers
            }
        };
        let id = self.graph.push(vector, level);
        for (layer, chosen) in layers.iter().enumerate() {
            self.graph.set_list(id, layer, chosen);
        }
        if self.graph.entry.is_none_or(|(_, top)| level > top) {
            self.graph.entry = Some((id, level));
        }
        self.tids.push(tid);
        Some((id, layers))
    }

    /// A builder that computes every distance afresh (tests: the memo must not change the graph).
    #[cfg(test)]
    pub(crate) fn without_memo(mut self) -> Self {
        self.traversal.memo = super::memo::QueryMemo::disabled();
        self
    }

    /// Number of elements (exact duplicates sharing an element count once).
    pub fn len(&self) -> usize {
        self.graph.len()
    }

    pub fn is_empty(&self) -> bool {
        self.graph.len() == 0
    }

    /// What the caller compares with maintenance_work_mem.
    pub fn memory_bytes(&self) -> usize {
        self.graph.memory_bytes()
            + self.traversal.memory_bytes()
            + self.tids.capacity() * core::mem::size_of::<HeapTid>()
            + self.extra_tids.len() * (64 + layout::MAX_TIDS * core::mem::size_of::<HeapTid>())
    }

    /// Writes metapage (block 0, must be the only page, created by init) + all elements to pages; returns the metric back.
    pub fn write_to(mut self, store: &mut impl PageStore) -> Result<M, Error> {
        validate_params(self.params)?;
        if self.vector_too_large {
            return Err(Error::VectorTooLarge);
        }
        if store.page_count() != 1 || read_meta(store)?.entry.is_some() {
            return Err(Error::StoreNotEmpty);
        }
        reconnect(
            &mut self.graph,
            &mut self.traversal,
            self.params.ef_construction as usize,
            &mut self.scratch,
        );
        let m = self.params.m as usize;
        let n = self.graph.len();
        let shapes: Vec<Shape> = (0..n as u32)
            .map(|i| Shape::new(m, self.graph.levels[i as usize], self.graph.vector(i).len()))
            .collect();
        // Every position must be known before any neighbour list can be written.
        let order = placement_order(&self.graph);
        let in_order: Vec<Shape> = order.iter().map(|&id| shapes[id as usize]).collect();
        let (placed, placed_continuations, last_page) = plan_positions(&in_order);
        let mut positions = alloc::vec![ElementId { block: 0, offset: 0 }; n];
        let mut continuations: Vec<BlockNumber> = alloc::vec![0; n];
        for (rank, &id) in order.iter().enumerate() {
            positions[id as usize] = placed[rank];
            continuations[id as usize] = placed_continuations[rank];
        }

        let mut page = AlignedBytes::new();
        page.resize(PAYLOAD_SIZE);
        let mut current: BlockNumber = 0;
        let mut lists: Vec<Vec<Link>> = Vec::new();
        let mut tids: Vec<HeapTid> = Vec::new();
        for &id in &order {
            let shape = &shapes[id as usize];
            let position = positions[id as usize];
            if position.block != current {
                if current != 0 {
                    flush(store, current, &page);
                }
                current = store.append();
                debug_assert_eq!(current, position.block);
                layout::init_element_page(page.as_mut_bytes());
                page.as_mut_bytes()[PAGE_HEADER_SIZE..].fill(0);
            }
            let vector = self.graph.vector(id);
            let placement = if shape.out_of_line {
                let first = write_continuation_chain(store, vector);
                debug_assert_eq!(first, continuations[id as usize]);
                VectorPlacement::Continuation(first)
            } else {
                VectorPlacement::Inline(vector)
            };
            lists.clear();
            for layer in 0..=shape.level as usize {
                lists.push(
                    self.graph
                        .links(id, layer)
                        .map(|(x, verdict)| (positions[x as usize], verdict))
                        .collect(),
                );
            }
            let list_refs: Vec<&[Link]> = lists.iter().map(|l| l.as_slice()).collect();
            tids.clear();
            tids.push(self.tids[id as usize]);
            if let Some(extra) = self.extra_tids.get(&id) {
                tids.extend_from_slice(extra);
            }
            let offset =
                layout::reserve_record(page.as_mut_bytes(), shape.size()).expect("planned to fit");
            debug_assert_eq!(offset, position.offset as usize);
            layout::write_record(
                page.as_mut_bytes(),
                offset,
                shape,
                &tids,
                &list_refs,
                placement,
            );
        }
        if current != 0 {
            flush(store, current, &page);
        }
        let meta = Meta {
            version: FORMAT_VERSION,
            m: self.params.m,
            ef_construction: self.params.ef_construction,
            entry: self
                .graph
                .entry
                .map(|(id, level)| (positions[id as usize], level)),
            element_count: n as u64,
            insert_page: last_page,
            value_encoding: self.params.value_encoding,
        };
        store.write(&[META_BLOCK], |pages| meta.encode(pages[0]));
        self.extra_tids.clear();
        Ok(self.graph.metric)
    }
}

/// The first link back from the nearest node is kept whatever the heuristic says, exactly as
/// on-page inserts do (there it is what makes the element reachable).
pub(super) fn must_link_back(layer: usize, rank: usize) -> bool {
    layer == 0 && rank == 0
}

/// If a node among `nearest` holds exactly these bytes and has room, adds `tid` to it.
fn add_to_duplicate<M: Metric>(
    graph: &MemoryGraph<M>,
    extra_tids: &mut BTreeMap<u32, Vec<HeapTid>>,
    m: u16,
    vector: &[u8],
    nearest: &[Scored<u32>],
    tid: HeapTid,
) -> bool {
    let self_distance = graph.metric.distance(vector, vector);
    for candidate in nearest {
        if candidate.distance.to_bits() != self_distance.to_bits()
            || graph.vector(candidate.node) != vector
        {
            continue;
        }
        let level = graph.levels[candidate.node as usize];
        let capacity = Shape::new(m as usize, level, vector.len()).tid_capacity();
        let extra = extra_tids.entry(candidate.node).or_default();
        if 1 + extra.len() < capacity {
            extra.push(tid);
            return true;
        }
    }
    false
}

/// Lays records out in the given order, filling element pages sequentially; an out-of-line
/// vector's continuation pages come right after the element page open at that moment.
/// Returns each record's id, each first continuation block (0 if inline), and the last element page.
pub(super) fn plan_positions(shapes: &[Shape]) -> (Vec<ElementId>, Vec<BlockNumber>, BlockNumber) {
    let mut positions = Vec::with_capacity(shapes.len());
    let mut continuations = Vec::with_capacity(shapes.len());
    let mut next_block: BlockNumber = 1;
    let mut page: BlockNumber = 0;
    let mut free = PAYLOAD_SIZE;
    for shape in shapes {
        let size = shape.size();
        if page == 0 || free + size > PAYLOAD_SIZE {
            page = next_block;
            next_block += 1;
            free = PAGE_HEADER_SIZE;
        }
        positions.push(ElementId {
            block: page,
            offset: free as u16,
        });
        free += size;
        if shape.out_of_line {
            continuations.push(next_block);
            next_block += shape.vector_len.div_ceil(CONTINUATION_CAPACITY) as BlockNumber;
        } else {
            continuations.push(0);
        }
    }
    (positions, continuations, page)
}

fn flush(store: &mut impl PageStore, block: BlockNumber, page: &AlignedBytes) {
    store.write(&[block], |pages| pages[0].copy_from_slice(page.as_bytes()));
}

/// Appends the pages of an out-of-line vector and fills them; returns the first block.
/// The pages are numbered consecutively, so each page's `next` is known before it is written.
pub(crate) fn write_continuation_chain(store: &mut impl PageStore, vector: &[u8]) -> BlockNumber {
    // Only vectors too large for a page go out of line, so there is at least one chunk.
    let chunks: Vec<&[u8]> = vector.chunks(CONTINUATION_CAPACITY).collect();
    let blocks: Vec<BlockNumber> = chunks.iter().map(|_| store.append()).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let next = blocks.get(i + 1).copied().unwrap_or(0);
        store.write(&[blocks[i]], |pages| {
            layout::write_continuation_page(pages[0], chunk, next)
        });
    }
    blocks[0]
}
