//! The builder's in-memory graph: vectors in one aligned arena, neighbour lists in flat
//! arrays of u32 node numbers (a count, then the slots), so that the build touches few cache lines.
use super::aligned::AlignedArena;
use super::graph::{Graph, Visit};
use super::layout::layer_capacity;
use super::visited::StampSet;
use super::{Error, Metric};
use alloc::vec::Vec;

pub(crate) struct MemoryGraph<M> {
    pub metric: M,
    m: usize,
    arena: AlignedArena,
    /// Per node: start word in the arena, vector length in bytes, level.
    vector_start: Vec<u32>,
    vector_len: Vec<u32>,
    pub levels: Vec<u8>,
    /// Layer 0 lists: node i owns layer0[i * (2m + 1)..], a count then 2m slots.
    layer0: Vec<u32>,
    /// Layers 1..=level: node i owns `level × (m + 1)` words from upper_start[i].
    upper_start: Vec<u32>,
    upper: Vec<u32>,
    visited: StampSet,
    pub entry: Option<(u32, u8)>,
}

impl<M: Metric> MemoryGraph<M> {
    pub(crate) fn new(m: usize, metric: M) -> Self {
        MemoryGraph {
            metric,
            m,
            arena: AlignedArena::default(),
            vector_start: Vec::new(),
            vector_len: Vec::new(),
            levels: Vec::new(),
            layer0: Vec::new(),
            upper_start: Vec::new(),
            upper: Vec::new(),
            visited: StampSet::new(),
            entry: None,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.levels.len()
    }

    /// Adds an unlinked node, returns its number.
    pub(crate) fn push(&mut self, vector: &[u8], level: u8) -> u32 {
        let id = self.levels.len() as u32;
        self.vector_start.push(self.arena.push(vector) as u32);
        self.vector_len.push(vector.len() as u32);
        self.levels.push(level);
        self.layer0.resize(self.layer0.len() + 2 * self.m + 1, 0);
        self.upper_start.push(self.upper.len() as u32);
        self.upper.resize(self.upper.len() + level as usize * (self.m + 1), 0);
        self.visited.reserve_ids(id as usize + 1);
        id
    }

    /// Removes the node pushed last (it turned out to be a duplicate).
    pub(crate) fn pop(&mut self) {
        let id = self.levels.len() - 1;
        self.arena.truncate(self.vector_start[id] as usize);
        self.layer0.truncate(id * (2 * self.m + 1));
        self.upper.truncate(self.upper_start[id] as usize);
        self.vector_start.pop();
        self.vector_len.pop();
        self.levels.pop();
        self.upper_start.pop();
    }

    #[inline]
    pub(crate) fn vector(&self, id: u32) -> &[u8] {
        self.arena.get(self.vector_start[id as usize] as usize, self.vector_len[id as usize] as usize)
    }

    #[inline]
    fn list_range(&self, id: u32, layer: usize) -> (usize, usize) {
        if layer == 0 {
            (id as usize * (2 * self.m + 1), 2 * self.m)
        } else {
            (self.upper_start[id as usize] as usize + (layer - 1) * (self.m + 1), self.m)
        }
    }

    #[inline]
    fn lists(&self, layer: usize) -> &Vec<u32> {
        if layer == 0 { &self.layer0 } else { &self.upper }
    }

    /// The node's neighbour list on `layer`, borrowed.
    #[inline]
    pub(crate) fn list(&self, id: u32, layer: usize) -> &[u32] {
        let (at, _) = self.list_range(id, layer);
        let lists = self.lists(layer);
        &lists[at + 1..at + 1 + lists[at] as usize]
    }

    pub(crate) fn set_list(&mut self, id: u32, layer: usize, list: &[u32]) {
        let (at, cap) = self.list_range(id, layer);
        debug_assert!(list.len() <= cap && cap == layer_capacity(self.m, layer));
        let lists = if layer == 0 { &mut self.layer0 } else { &mut self.upper };
        lists[at] = list.len() as u32;
        lists[at + 1..at + 1 + list.len()].copy_from_slice(list);
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.arena.capacity_bytes()
            + (self.vector_start.capacity() + self.vector_len.capacity() + self.upper_start.capacity()) * 4
            + self.levels.capacity()
            + (self.layer0.capacity() + self.upper.capacity()) * 4
            + self.visited.memory_bytes()
    }
}

impl<M: Metric> Graph for MemoryGraph<M> {
    type Node = u32;

    fn m(&self) -> usize {
        self.m
    }

    #[inline]
    fn visit(&mut self, node: u32, query: &[u8]) -> Result<Option<Visit>, Error> {
        Ok(Some(Visit { distance: self.metric.distance(query, self.vector(node)), deleted: false }))
    }

    #[inline]
    fn distance_between(&mut self, a: u32, b: u32) -> Result<f32, Error> {
        Ok(self.metric.distance(self.vector(a), self.vector(b)))
    }

    #[inline]
    fn neighbours(&mut self, node: u32, layer: usize, out: &mut Vec<u32>) -> Result<(), Error> {
        out.clear();
        out.extend_from_slice(self.list(node, layer));
        Ok(())
    }

    #[inline]
    fn mark_visited(&mut self, node: u32) -> bool {
        self.visited.insert(node)
    }

    fn clear_visited(&mut self) {
        self.visited.clear();
    }
}
