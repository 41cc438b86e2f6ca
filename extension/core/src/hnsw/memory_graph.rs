//! The builder's in-memory graph: vectors in one aligned arena, neighbour lists in flat
//! arrays of u32 node numbers (a count, then the slots), so that the build touches few cache lines.
use super::aligned::AlignedArena;
use super::graph::{Graph, ListWanted, Scored, Visit};
use super::layout::layer_capacity;
use super::link::ListUpdate;
use super::memo::QueryMemo;
use super::visited::StampSet;
use super::{Error, Metric};
use alloc::vec::Vec;

/// How much of a vector to prefetch. On x86_64 the first lines: the hardware prefetcher
/// follows a sequential scan from there (prefetching whole 384-dim vectors measured no
/// faster). wasm32 prefetches by loads (see `crate::prefetch`), and there every line pays.
#[cfg(target_arch = "x86_64")]
const PREFETCH_BYTES: usize = 256;
#[cfg(not(target_arch = "x86_64"))]
const PREFETCH_BYTES: usize = usize::MAX;

pub(crate) struct MemoryGraph<M> {
    pub metric: M,
    m: usize,
    /// The vectors, each at an 8-aligned offset.
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
    /// Each slot's distance to the list's owner, at the same index as the slot: re-selecting
    /// a full list then needs no distances from its owner recomputed.
    layer0_distances: Vec<f32>,
    upper_distances: Vec<f32>,
    /// Each slot's `Scored::closer` verdict (0 unknown, 1 kept as closer, 2 filled in).
    layer0_verdicts: Vec<u8>,
    upper_verdicts: Vec<u8>,
    /// How many lists (any layer) each node is in: tells whether dropping one link orphans it.
    in_degree: Vec<u32>,
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
            layer0_distances: Vec::new(),
            upper_distances: Vec::new(),
            layer0_verdicts: Vec::new(),
            upper_verdicts: Vec::new(),
            in_degree: Vec::new(),
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
        self.in_degree.push(0);
        self.layer0.resize(self.layer0.len() + 2 * self.m + 1, 0);
        self.layer0_distances.resize(self.layer0.len(), 0.0);
        self.layer0_verdicts.resize(self.layer0.len(), 0);
        self.upper_start.push(self.upper.len() as u32);
        self.upper
            .resize(self.upper.len() + level as usize * (self.m + 1), 0);
        self.upper_distances.resize(self.upper.len(), 0.0);
        self.upper_verdicts.resize(self.upper.len(), 0);
        id
    }

    #[inline]
    pub(crate) fn vector(&self, id: u32) -> &[u8] {
        self.arena.get(
            self.vector_start[id as usize] as usize,
            self.vector_len[id as usize] as usize,
        )
    }

    #[inline]
    fn list_range(&self, id: u32, layer: usize) -> (usize, usize) {
        if layer == 0 {
            (id as usize * (2 * self.m + 1), 2 * self.m)
        } else {
            (
                self.upper_start[id as usize] as usize + (layer - 1) * (self.m + 1),
                self.m,
            )
        }
    }

    #[inline]
    fn lists(&self, layer: usize) -> &Vec<u32> {
        if layer == 0 {
            &self.layer0
        } else {
            &self.upper
        }
    }

    /// The node's neighbour list on `layer`, borrowed.
    #[inline]
    pub(crate) fn list(&self, id: u32, layer: usize) -> &[u32] {
        let (at, _) = self.list_range(id, layer);
        let lists = self.lists(layer);
        &lists[at + 1..at + 1 + lists[at] as usize]
    }

    /// The node's list on `layer` with the heuristic's verdicts (`Scored::closer`).
    pub(crate) fn links(
        &self,
        id: u32,
        layer: usize,
    ) -> impl Iterator<Item = (u32, Option<bool>)> + '_ {
        let (at, _) = self.list_range(id, layer);
        let verdicts = if layer == 0 {
            &self.layer0_verdicts
        } else {
            &self.upper_verdicts
        };
        self.list(id, layer).iter().enumerate().map(move |(i, &n)| {
            let verdict = match verdicts[at + 1 + i] {
                1 => Some(true),
                2 => Some(false),
                _ => None,
            };
            (n, verdict)
        })
    }

    /// Replaces a list with nodes scored by their distance to `id`.
    pub(crate) fn set_list(&mut self, id: u32, layer: usize, list: &[Scored<u32>]) {
        let (at, cap) = self.list_range(id, layer);
        debug_assert!(list.len() <= cap && cap == layer_capacity(self.m, layer));
        let (lists, distances, verdicts) = if layer == 0 {
            (
                &mut self.layer0,
                &mut self.layer0_distances,
                &mut self.layer0_verdicts,
            )
        } else {
            (
                &mut self.upper,
                &mut self.upper_distances,
                &mut self.upper_verdicts,
            )
        };
        for &old in &lists[at + 1..at + 1 + lists[at] as usize] {
            self.in_degree[old as usize] -= 1;
        }
        lists[at] = list.len() as u32;
        for (i, s) in list.iter().enumerate() {
            lists[at + 1 + i] = s.node;
            distances[at + 1 + i] = s.distance;
            verdicts[at + 1 + i] = match s.closer {
                None => 0,
                Some(true) => 1,
                Some(false) => 2,
            };
            self.in_degree[s.node as usize] += 1;
        }
    }

    pub(crate) fn apply(&mut self, id: u32, layer: usize, update: ListUpdate<u32>) {
        match update {
            ListUpdate::Replace(list) => self.set_list(id, layer, &list),
            ListUpdate::Append(new) => {
                let (at, cap) = self.list_range(id, layer);
                let (lists, distances, verdicts) = if layer == 0 {
                    (
                        &mut self.layer0,
                        &mut self.layer0_distances,
                        &mut self.layer0_verdicts,
                    )
                } else {
                    (
                        &mut self.upper,
                        &mut self.upper_distances,
                        &mut self.upper_verdicts,
                    )
                };
                let count = lists[at] as usize;
                if count < cap {
                    lists[at + 1 + count] = new.node;
                    distances[at + 1 + count] = new.distance;
                    verdicts[at + 1 + count] = 0;
                    lists[at] += 1;
                    self.in_degree[new.node as usize] += 1;
                }
            }
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.arena.capacity_bytes()
            + (self.vector_start.capacity()
                + self.vector_len.capacity()
                + self.upper_start.capacity())
                * 4
            + self.levels.capacity()
            + self.in_degree.capacity() * 4
            + (self.layer0.capacity() + self.upper.capacity()) * 4
            + (self.layer0_distances.capacity() + self.upper_distances.capacity()) * 4
            + self.layer0_verdicts.capacity()
            + self.upper_verdicts.capacity()

    }
}

impl<M: Metric> MemoryGraph<M> {
    #[inline]
    fn visit_node(&self, node: u32, query: &[u8]) -> Visit {
        Visit {
            distance: self.metric.distance(query, self.vector(node)),
            deleted: false,
        }
    }

    pub(crate) fn scored_list(&self, node: u32, layer: usize, list: &[u32], out: &mut Vec<Scored<u32>>) {
        let (at, _) = self.list_range(node, layer);
        let (distances, verdicts) = if layer == 0 {
            (&self.layer0_distances, &self.layer0_verdicts)
        } else {
            (&self.upper_distances, &self.upper_verdicts)
        };
        out.clear();
        for (i, &n) in list.iter().enumerate() {
            let closer = match verdicts[at + 1 + i] {
                1 => Some(true),
                2 => Some(false),
                _ => None,
            };
            out.push(Scored {
                closer,
                ..Scored::new(distances[at + 1 + i], n)
            });
        }
    }

    #[inline]
    fn prefetch_vector(&self, node: u32) {
        let vector = self.vector(node);
        crate::prefetch::prefetch(&vector[..vector.len().min(PREFETCH_BYTES)]);
    }

    /// The graph as searches see it, with the traversal state of one searcher: several views
    /// of one graph can search at once, on different threads (see `parallel.rs`).
    pub(crate) fn view<'a>(&'a self, traversal: &'a mut Traversal) -> View<'a, M> {
        traversal.reserve_ids(self.len());
        View {
            graph: self,
            traversal,
        }
    }
}

/// What one searcher keeps between visits: the visited set, and the distances it computed
/// from the node being inserted (serial builds; see memo.rs).
pub(crate) struct Traversal {
    visited: StampSet,
    pub memo: QueryMemo,
}

impl Default for Traversal {
    fn default() -> Self {
        Traversal {
            visited: StampSet::new(),
            memo: QueryMemo::default(),
        }
    }
}

impl Traversal {
    fn reserve_ids(&mut self, n: usize) {
        self.visited.reserve_ids(n);
        self.memo.reserve_ids(n);
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.visited.memory_bytes() + self.memo.memory_bytes()
    }
}

/// The graph read by one searcher.
pub(crate) struct View<'a, M> {
    graph: &'a MemoryGraph<M>,
    traversal: &'a mut Traversal,
}

impl<M: Metric> Graph for View<'_, M> {
    type Node = u32;

    fn m(&self) -> usize {
        self.graph.m
    }

    #[inline]
    fn visit(&mut self, node: u32, query: &[u8], _: ListWanted) -> Result<Option<Visit>, Error> {
        let visit = self.graph.visit_node(node, query);
        self.traversal.memo.record(node, visit.distance);
        Ok(Some(visit))
    }

    #[inline]
    fn distance_between(&mut self, a: u32, b: u32) -> Result<f32, Error> {
        if let Some(distance) = self.traversal.memo.between(a, b) {
            return Ok(distance);
        }
        let g = self.graph;
        Ok(g.metric.distance(g.vector(a), g.vector(b)))
    }

    #[inline]
    fn neighbours(&mut self, node: u32, layer: usize, out: &mut Vec<u32>) -> Result<(), Error> {
        out.clear();
        out.extend_from_slice(self.graph.list(node, layer));
        Ok(())
    }

    fn scored_neighbours(
        &mut self,
        node: u32,
        layer: usize,
        list: &[u32],
        out: &mut Vec<Scored<u32>>,
    ) -> Result<(), Error> {
        self.graph.scored_list(node, layer, list, out);
        Ok(())
    }

    fn has_other_in_link(&mut self, node: u32, _except: u32) -> Result<bool, Error> {
        // `_except` links to it, so more than one in-link means another one.
        Ok(self.graph.in_degree[node as usize] >= 2)
    }

    #[inline]
    fn prefetch(&self, node: u32) {
        self.graph.prefetch_vector(node);
    }

    #[inline]
    fn prefetch_list(&self, node: u32, layer: usize) {
        // The whole slot, count and capacity: reading the count to size the list would wait
        // for the very line being prefetched.
        let (at, capacity) = self.graph.list_range(node, layer);
        if let Some(slot) = self.graph.lists(layer).get(at..at + 1 + capacity) {
            crate::prefetch::prefetch(super::aligned::u32s_as_bytes(slot));
        }
    }

    #[inline]
    fn mark_visited(&mut self, node: u32) -> bool {
        self.traversal.visited.insert(node)
    }

    fn clear_visited(&mut self) {
        self.traversal.visited.clear();
    }
}
