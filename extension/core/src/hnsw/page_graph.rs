//! The graph as stored in pages. Every access is one short `read` of one page: distances
//! are computed inside the read (no copy for inline vectors), and nothing is held across reads,
//! so concurrent inserts only ever make more of the graph visible.
use super::aligned::{AlignedArena, AlignedBytes};
use super::graph::{Graph, ListWanted, Scored, Visit};
use super::layout::Link;
use super::layout::{self, Record, STATE_DEAD, STATE_DELETED};
use super::link::ListUpdate;
use super::u64map::U64Map;
use super::visited::U64Set;
use super::{ElementId, Error, HeapTid, Metric};
use crate::pagestore::{BlockLimit, BlockNumber, PageStore};
use alloc::vec::Vec;

/// Per-operation state of on-page traversals, kept between calls (scans resume with it).
pub(crate) struct PageScratch {
    pub visited: U64Set,
    /// Vectors copied out of pages for neighbour selection, which compares them pairwise:
    /// element key -> index into `spans` (arena start word, length).
    cached: U64Map,
    spans: Vec<(usize, usize)>,
    arena: AlignedArena,
    /// An out-of-line vector being read.
    spill: AlignedBytes,
    /// Distances computed to a query: what hnsw.max_scan_tuples limits.
    pub evaluations: u64,
    pub limit: BlockLimit,
    /// Neighbour lists copied during visits, for the expansion that usually follows.
    lists: KeptLists,
    /// Also copy the heap tids of layer-0 candidates during visits (scans return them).
    pub keep_tids: bool,
    /// How many bytes of a record a visit reads: the size of the last layer-0 record with an
    /// inline vector (nearly every element is one, and an index's vectors are all one length).
    /// What `prefetch` asks for: the header alone left the vector's lines to miss one by one.
    record_bytes: usize,
}

/// What `prefetch` asks for before any record was seen: its header line.
const FIRST_PREFETCH_BYTES: usize = 64;

/// Heap tids are kept like a neighbour list, under a layer number no list has.
const TIDS_SLOT: usize = 31;

/// A HeapTid has the same shape as an ElementId: (u32, u16).
fn tid_as_id(tid: HeapTid) -> ElementId {
    ElementId {
        block: tid.block,
        offset: tid.offset,
    }
}

fn id_as_tid(id: ElementId) -> HeapTid {
    HeapTid {
        block: id.block,
        offset: id.offset,
    }
}

/// Neighbour lists copied out of pages, by (element, layer), for the current layer search.
#[derive(Default)]
struct KeptLists {
    index: Option<U64Map>,
    /// (start, length) in `members`.
    spans: Vec<(u32, u32)>,
    members: Vec<ElementId>,
}

impl KeptLists {
    #[inline]
    fn key(id: ElementId, layer: usize) -> u64 {
        // Element keys use 48 bits; the layer (< 17) goes above them.
        id.key() | (layer as u64) << 48
    }

    fn keep(&mut self, id: ElementId, layer: usize, members: impl Iterator<Item = ElementId>) {
        let start = self.members.len();
        self.members.extend(members);
        let span = (start as u32, (self.members.len() - start) as u32);
        self.index
            .get_or_insert_with(U64Map::new)
            .insert(Self::key(id, layer), self.spans.len() as u32);
        self.spans.push(span);
    }

    /// Copies a kept list into `out`; false if there is none.
    fn take(&mut self, id: ElementId, layer: usize, out: &mut Vec<ElementId>) -> bool {
        let Some(index) = &self.index else {
            return false;
        };
        let Some(i) = index.get(Self::key(id, layer)) else {
            return false;
        };
        let (start, len) = self.spans[i as usize];
        out.extend_from_slice(&self.members[start as usize..(start + len) as usize]);
        true
    }

    fn clear(&mut self) {
        if let Some(index) = &mut self.index {
            index.clear();
        }
        self.spans.clear();
        self.members.clear();
    }

    fn memory_bytes(&self) -> usize {
        self.index.as_ref().map_or(0, |i| i.memory_bytes())
            + self.spans.capacity() * 8
            + self.members.capacity() * core::mem::size_of::<ElementId>()
    }
}

impl PageScratch {
    pub(crate) fn new() -> Self {
        PageScratch {
            visited: U64Set::new(),
            cached: U64Map::new(),
            spans: Vec::new(),
            arena: AlignedArena::default(),
            spill: AlignedBytes::new(),
            evaluations: 0,
            limit: BlockLimit::default(),
            lists: KeptLists::default(),
            keep_tids: false,
            record_bytes: FIRST_PREFETCH_BYTES,
        }
    }

    /// Forgets copied vectors and lists (they may be stale once pages have been written).
    pub(crate) fn clear_cache(&mut self) {
        self.lists.clear();
        self.cached.clear();
        self.spans.clear();
        self.arena.clear();
    }

    /// Makes a vector known under an id before it is on a page (the element being inserted).
    pub(crate) fn preload(&mut self, id: ElementId, vector: &[u8]) {
        let start = self.arena.push(vector);
        self.remember(id, (start, vector.len()));
    }

    fn remember(&mut self, id: ElementId, span: (usize, usize)) {
        self.cached.insert(id.key(), self.spans.len() as u32);
        self.spans.push(span);
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.visited.memory_bytes()
            + self.arena.capacity_bytes()
            + self.spill.capacity_bytes()
            + self.cached.memory_bytes()
            + self.lists.memory_bytes()
            + self.spans.capacity() * 16
    }
}

pub(crate) struct PageGraph<'a, S: PageStore, M: Metric> {
    pub store: &'a S,
    pub metric: &'a M,
    pub m: usize,
    pub scratch: &'a mut PageScratch,
}

/// What a read of a record needs to hand back when its vector is not inline.
struct OutOfLine {
    first: BlockNumber,
    len: usize,
    deleted: bool,
}

impl<'a, S: PageStore, M: Metric> PageGraph<'a, S, M> {
    pub(crate) fn new(store: &'a S, metric: &'a M, m: usize, scratch: &'a mut PageScratch) -> Self {
        PageGraph {
            store,
            metric,
            m,
            scratch,
        }
    }

    /// Calls `f` with the parsed record (inside the page's read).
    pub(crate) fn with_record<R>(
        &self,
        id: ElementId,
        f: impl FnOnce(&Record<'_>) -> R,
    ) -> Result<R, Error> {
        with_record(self.store, &self.scratch.limit, self.m, id, f)
    }

    /// Copies an out-of-line vector into `spill`, following its continuation chain. Each page
    /// must contribute at least one byte and no more than is missing, so a corrupt chain
    /// (even a cycle) ends in an error after at most `len` bytes.
    fn read_chain(&mut self, first: BlockNumber, len: usize) -> Result<(), Error> {
        self.scratch.spill.resize(len);
        let mut copied = 0;
        let mut block = first;
        while copied < len {
            check_block(&self.scratch.limit, self.store, block)?;
            let spill = &mut self.scratch.spill;
            let (used, next) = self.store.read(block, |page| {
                let (used, next) = layout::continuation_header(page, block)?;
                if used > len - copied {
                    return Err(Error::Corrupt(
                        "continuation chain longer than its vector",
                        block,
                    ));
                }
                let data = &page[layout::PAGE_HEADER_SIZE..layout::PAGE_HEADER_SIZE + used];
                spill.as_mut_bytes()[copied..copied + used].copy_from_slice(data);
                Ok((used, next))
            })?;
            copied += used;
            if copied < len && next == 0 {
                return Err(Error::Corrupt(
                    "continuation chain shorter than its vector",
                    block,
                ));
            }
            block = next;
        }
        Ok(())
    }

    /// The vector of `id` copied into the cache: (arena start, length).
    fn cached_vector(&mut self, id: ElementId) -> Result<(usize, usize), Error> {
        if let Some(i) = self.scratch.cached.get(id.key()) {
            return Ok(self.scratch.spans[i as usize]);
        }
        let arena = &mut self.scratch.arena;
        let inline = with_record(self.store, &self.scratch.limit, self.m, id, |rec| match rec
            .inline_vector()
        {
            Some(v) => Ok((arena.push(v), v.len())),
            None => Err((rec.continuation(), rec.shape.vector_len)),
        })?;
        let at = match inline {
            Ok(at) => at,
            Err((first, len)) => {
                self.read_chain(first, len)?;
                (self.scratch.arena.push(self.scratch.spill.as_bytes()), len)
            }
        };
        self.scratch.remember(id, at);
        Ok(at)
    }

    /// Copies the element's vector into `out`.
    pub(crate) fn load_vector(
        &mut self,
        id: ElementId,
        out: &mut AlignedBytes,
    ) -> Result<(), Error> {
        let (start, len) = self.cached_vector(id)?;
        out.set(self.scratch.arena.get(start, len));
        Ok(())
    }

    /// True when the element's vector is byte-identical to `vector`.
    pub(crate) fn vector_equals(&mut self, id: ElementId, vector: &[u8]) -> Result<bool, Error> {
        let (start, len) = self.cached_vector(id)?;
        Ok(self.scratch.arena.get(start, len) == vector)
    }

    /// Appends the heap tids of a live element to `out`; false if it is deleted or dead.
    /// Uses the tids copied during the visit when there are some (see `PageScratch::keep_tids`).
    pub(crate) fn live_tids(
        &mut self,
        id: ElementId,
        out: &mut Vec<HeapTid>,
    ) -> Result<bool, Error> {
        let mut kept = Vec::new();
        if self.scratch.lists.take(id, TIDS_SLOT, &mut kept) {
            out.extend(kept.into_iter().map(id_as_tid));
            return Ok(true);
        }
        self.with_record(id, |rec| {
            if rec.state != layout::STATE_LIVE {
                return false;
            }
            out.extend(rec.tids());
            true
        })
    }
}

impl<S: PageStore, M: Metric> Graph for PageGraph<'_, S, M> {
    type Node = ElementId;

    fn m(&self) -> usize {
        self.m
    }

    fn visit(
        &mut self,
        node: ElementId,
        query: &[u8],
        wanted: ListWanted,
    ) -> Result<Option<Visit>, Error> {
        self.scratch.evaluations += 1;
        let metric = self.metric;
        let lists = &mut self.scratch.lists;
        let keep_tids = self.scratch.keep_tids;
        let record_bytes = &mut self.scratch.record_bytes;
        let found = with_record(self.store, &self.scratch.limit, self.m, node, |rec| {
            if rec.state == STATE_DEAD {
                return Ok(None);
            }
            let deleted = rec.state == STATE_DELETED;
            match rec.inline_vector() {
                Some(v) => {
                    if rec.level() == 0 {
                        *record_bytes = rec.shape.size();
                    }
                    let distance = metric.distance(query, v);
                    if distance < wanted.if_below && wanted.layer <= rec.level() as usize {
                        // Copied now, the list spares the search a second read of this page
                        // when it expands the node. (A corrupt list is reported then.)
                        if let Ok(members) = rec.neighbours(wanted.layer, node.block) {
                            lists.keep(node, wanted.layer, members);
                        }
                        // Scans return the tids of layer-0 candidates: same reasoning.
                        if keep_tids && wanted.layer == 0 && rec.state == layout::STATE_LIVE {
                            lists.keep(node, TIDS_SLOT, rec.tids().map(tid_as_id));
                        }
                    }
                    Ok(Some(Visit { distance, deleted }))
                }
                None => Err(OutOfLine {
                    first: rec.continuation(),
                    len: rec.shape.vector_len,
                    deleted,
                }),
            }
        })?;
        match found {
            Ok(visit) => Ok(visit),
            Err(OutOfLine {
                first,
                len,
                deleted,
            }) => {
                self.read_chain(first, len)?;
                let distance = metric.distance(query, self.scratch.spill.as_bytes());
                Ok(Some(Visit { distance, deleted }))
            }
        }
    }

    fn distance_between(&mut self, a: ElementId, b: ElementId) -> Result<f32, Error> {
        let (sa, la) = self.cached_vector(a)?;
        let (sb, lb) = self.cached_vector(b)?;
        let arena = &self.scratch.arena;
        Ok(self.metric.distance(arena.get(sa, la), arena.get(sb, lb)))
    }

    fn start_layer_search(&mut self) {
        self.scratch.lists.clear();
    }

    fn neighbours(
        &mut self,
        node: ElementId,
        layer: usize,
        out: &mut Vec<ElementId>,
    ) -> Result<(), Error> {
        out.clear();
        if self.scratch.lists.take(node, layer, out) {
            return Ok(());
        }
        with_record(self.store, &self.scratch.limit, self.m, node, |rec| {
            if layer > rec.level() as usize {
                return Err(Error::Corrupt(
                    "neighbour on a layer above its level",
                    node.block,
                ));
            }
            out.extend(rec.neighbours(layer, node.block)?);
            Ok(())
        })?
    }

    /// Links are mostly mutual, so `node`'s own neighbours are where another in-link is found
    /// (usually in the first read or two).
    fn has_other_in_link(&mut self, node: ElementId, except: ElementId) -> Result<bool, Error> {
        let mut candidates = Vec::new();
        self.with_record(node, |rec| -> Result<(), Error> {
            for layer in 0..=rec.level() as usize {
                candidates.extend(rec.neighbours(layer, node.block)?);
            }
            Ok(())
        })??;
        for y in candidates {
            if y == except {
                continue;
            }
            let links = self.with_record(y, |rec| -> Result<bool, Error> {
                if rec.state == STATE_DEAD {
                    return Ok(false);
                }
                for layer in 0..=rec.level() as usize {
                    if rec.neighbours(layer, y.block)?.any(|n| n == node) {
                        return Ok(true);
                    }
                }
                Ok(false)
            })??;
            if links {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Verdicts come from the slots' spare offset bits; distances from the cached vectors.
    fn scored_neighbours(
        &mut self,
        node: ElementId,
        layer: usize,
        _list: &[ElementId],
        out: &mut Vec<Scored<ElementId>>,
    ) -> Result<(), Error> {
        let mut links: Vec<Link> = Vec::new();
        self.with_record(node, |rec| -> Result<(), Error> {
            links.extend(rec.links(layer, node.block)?);
            Ok(())
        })??;
        out.clear();
        for (n, closer) in links {
            out.push(Scored {
                closer,
                ..Scored::new(self.distance_between(node, n)?, n)
            });
        }
        Ok(())
    }

    #[inline]
    fn prefetch(&self, node: ElementId) {
        // A damaged list may name a block that does not exist: the visit reports that; a
        // prefetch must not read it.
        if self.scratch.limit.known(node.block) {
            self.store.prefetch(node.block, node.offset as usize, self.scratch.record_bytes);
        }
    }

    fn mark_visited(&mut self, node: ElementId) -> bool {
        self.scratch.visited.insert(node.key())
    }

    fn clear_visited(&mut self) {
        self.scratch.visited.clear();
    }
}

/// Checks that `block` is an element page number that exists (see [`BlockLimit`]).
pub(crate) fn check_block(limit: &BlockLimit, store: &impl PageStore, block: BlockNumber) -> Result<(), Error> {
    if block == 0 || !limit.contains(store, block) {
        return Err(Error::Corrupt("element id points past the end of the index", block));
    }
    Ok(())
}

/// Reads the page of `id` and calls `f` with its validated record.
pub(crate) fn with_record<R>(
    store: &impl PageStore,
    limit: &BlockLimit,
    m: usize,
    id: ElementId,
    f: impl FnOnce(&Record<'_>) -> R,
) -> Result<R, Error> {
    check_block(limit, store, id.block)?;
    store.read(id.block, |page| {
        let record = Record::parse(page, id.offset as usize, m, id.block)?;
        Ok(f(&record))
    })
}

/// Checks that `write_update` will succeed, without changing anything.
pub(crate) fn check_update(
    page: &[u8],
    target: ElementId,
    m: usize,
    layer: usize,
    update: &ListUpdate<ElementId>,
) -> Result<(), Error> {
    let rec = Record::parse(page, target.offset as usize, m, target.block)?;
    if layer > rec.level() as usize {
        return Err(Error::Corrupt(
            "neighbour list above the element's level",
            target.block,
        ));
    }
    let count = rec.links(layer, target.block)?.count();
    if matches!(update, ListUpdate::Append(_)) && count >= layout::layer_capacity(m, layer) {
        return Err(Error::Corrupt(
            "neighbour list filled up under a serialized insert",
            target.block,
        ));
    }
    Ok(())
}

/// Writes a neighbour list change into the page holding `target` (inside a `write`); validates
/// the record before changing anything.
pub(crate) fn write_update(
    page: &mut [u8],
    target: ElementId,
    m: usize,
    layer: usize,
    update: &ListUpdate<ElementId>,
) -> Result<(), Error> {
    let offset = target.offset as usize;
    match update {
        ListUpdate::Append(new) => {
            layout::append_neighbour(page, offset, m, target.block, layer, new.node)
        }
        ListUpdate::Replace(list) => {
            let links: Vec<Link> = list.iter().map(|s| (s.node, s.closer)).collect();
            layout::set_neighbours(page, offset, m, target.block, layer, &links)
        }
    }
}
