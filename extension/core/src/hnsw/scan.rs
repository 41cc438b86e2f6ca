//! Index scans, resumable for iterative scans (pgvector 0.8's hnsw.iterative_scan): the first
//! batch is the normal HNSW search; each later batch restarts the layer-0 beam search from the
//! closest candidates discarded so far, with the visited set kept, so no element comes twice.
use super::aligned::AlignedBytes;
use super::graph::Scored;
use super::meta::read_meta;
use super::page_graph::{PageGraph, PageScratch};
use super::search::{Discarded, SearchScratch, descend, search_layer};
use super::{ElementId, Error, HeapTid, Metric};
use crate::hnsw::graph::Graph;
use crate::pagestore::PageStore;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// A scan over the on-page graph in (approximate) distance order, resumable for iterative scans.
pub struct Scan {
    query: AlignedBytes,
    ef_search: usize,
    started: bool,
    /// From the metapage; records cannot be parsed without it.
    m: usize,
    scratch: PageScratch,
    search: SearchScratch<ElementId>,
    discarded: Discarded<ElementId>,
    found: Vec<Scored<ElementId>>,
    seeds: Vec<Scored<ElementId>>,
}

impl Scan {
    pub fn new(query: &[u8], ef_search: usize) -> Self {
        let mut scratch = PageScratch::new();
        scratch.keep_tids = true;
        Scan {
            query: AlignedBytes::from_bytes(query),
            ef_search: ef_search.max(1),
            started: false,
            m: 0,
            scratch,
            search: SearchScratch::new(),
            discarded: Discarded::new(),
            found: Vec::new(),
            seeds: Vec::new(),
        }
    }

    /// The first call runs the normal HNSW search (greedy descent through upper layers, then
    /// ef_search-wide beam search on layer 0) and returns its results sorted by distance. Later
    /// calls continue the layer-0 search from the closest candidates discarded so far (ef_search
    /// at a time) keeping the visited set, and return the next batch, sorted within the batch.
    /// Returns an empty Vec when nothing is left. Deleted elements are traversed but never
    /// returned. Each element's heap tids are returned.
    pub fn next_batch(
        &mut self,
        store: &impl PageStore,
        metric: &impl Metric,
    ) -> Result<Vec<(f32, HeapTid)>, Error> {
        let mut out = Vec::new();
        // A batch of only deleted (or meanwhile vacuumed) elements yields nothing: go on
        // until something is returned or the graph is exhausted.
        while out.is_empty() {
            if !self.search_batch(store, metric)? {
                break;
            }
            let mut graph = PageGraph::new(store, metric, self.m, &mut self.scratch);
            for found in &self.found {
                if found.deleted {
                    continue;
                }
                let mut tids = Vec::new();
                graph.live_tids(found.node, &mut tids)?;
                out.extend(tids.into_iter().map(|tid| (found.distance, tid)));
            }
        }
        Ok(out)
    }

    /// Runs one round of searching into `self.found`; false when there was nothing left to search.
    fn search_batch(
        &mut self,
        store: &impl PageStore,
        metric: &impl Metric,
    ) -> Result<bool, Error> {
        let meta = read_meta(store)?;
        self.m = meta.m();
        let mut graph = PageGraph::new(store, metric, self.m, &mut self.scratch);
        let query = self.query.as_bytes();
        if !self.started {
            self.started = true;
            let Some(entry) = meta.entry else {
                return Ok(false);
            };
            let nearest = descend(
                &mut graph,
                query,
                entry,
                0,
                &mut self.search,
                &mut self.found,
            )?;
            graph.clear_visited();
            graph.mark_visited(nearest.node);
            self.seeds.clear();
            self.seeds.push(nearest);
        } else {
            self.seeds.clear();
            while self.seeds.len() < self.ef_search {
                let Some(Reverse(seed)) = self.discarded.pop() else {
                    break;
                };
                self.seeds.push(seed);
            }
            if self.seeds.is_empty() {
                return Ok(false);
            }
        }
        search_layer(
            &mut graph,
            query,
            &self.seeds,
            self.ef_search,
            0,
            &mut self.search,
            Some(&mut self.discarded),
            &mut self.found,
        )?;
        Ok(true)
    }

    /// Elements whose distance was computed (for hnsw.max_scan_tuples).
    pub fn tuples_visited(&self) -> u64 {
        self.scratch.evaluations
    }

    /// Approximate heap use (for hnsw.scan_mem_multiplier * work_mem).
    pub fn memory_bytes(&self) -> usize {
        let scored = core::mem::size_of::<Scored<ElementId>>();
        self.query.capacity_bytes()
            + self.scratch.memory_bytes()
            + self.search.memory_bytes()
            + (self.discarded.capacity() + self.found.capacity() + self.seeds.capacity()) * scored
    }
}
