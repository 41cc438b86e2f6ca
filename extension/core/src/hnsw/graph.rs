//! The one interface the HNSW algorithms (search, selection, linking) are written against,
//! implemented by the in-memory builder graph and by the on-page graph.
use super::Error;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// What a visit to a node found out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Visit {
    pub distance: f32,
    /// Deleted nodes (no heap tids) are traversed but never returned or linked to.
    pub deleted: bool,
}

/// The neighbour list a search will want of a visited node: the one on `layer`, if the node's
/// distance is below `if_below` (so that it becomes a candidate to expand).
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListWanted {
    pub layer: usize,
    pub if_below: f32,
}

pub(crate) trait Graph {
    type Node: Copy + Ord + core::fmt::Debug;

    /// m: neighbour lists hold 2m on layer 0, m above.
    fn m(&self) -> usize;

    /// Distance from `query` to the node's vector; None when the node must not be traversed (dead).
    /// `wanted` says which neighbour list the search will ask for next if the distance is small
    /// enough: graphs where each access costs a page read copy it out in the same read.
    fn visit(
        &mut self,
        node: Self::Node,
        query: &[u8],
        wanted: ListWanted,
    ) -> Result<Option<Visit>, Error>;

    /// Called when a layer search starts: lists kept by `visit` for an earlier search may go.
    fn start_layer_search(&mut self) {}

    /// Distance between two nodes' vectors (used by neighbour selection).
    fn distance_between(&mut self, a: Self::Node, b: Self::Node) -> Result<f32, Error>;

    /// Replaces `out` with the node's neighbour list on `layer`.
    fn neighbours(
        &mut self,
        node: Self::Node,
        layer: usize,
        out: &mut Vec<Self::Node>,
    ) -> Result<(), Error>;

    /// `out` = the members of `list` (the node's neighbours on `layer`) with their distances to
    /// the node. Graphs that store those distances override this to skip the computation.
    fn scored_neighbours(
        &mut self,
        node: Self::Node,
        layer: usize,
        list: &[Self::Node],
        out: &mut Vec<Scored<Self::Node>>,
    ) -> Result<(), Error> {
        let _ = layer;
        out.clear();
        for &n in list {
            out.push(Scored::new(self.distance_between(node, n)?, n));
        }
        Ok(())
    }

    /// Whether some node other than `except` links to `node` (on any layer): then `except` may
    /// drop its link without leaving `node` unreachable. May answer false when unsure.
    fn has_other_in_link(&mut self, node: Self::Node, except: Self::Node) -> Result<bool, Error>;

    /// A hint that the node's vector will be needed soon (graphs in memory prefetch it).
    #[inline]
    fn prefetch(&self, node: Self::Node) {
        let _ = node;
    }

    /// A hint that the node's neighbour list on `layer` will be read soon.
    #[inline]
    fn prefetch_list(&self, node: Self::Node, layer: usize) {
        let _ = (node, layer);
    }

    /// Marks the node visited in the current traversal; true if it was not before.
    fn mark_visited(&mut self, node: Self::Node) -> bool;

    /// Starts a new traversal.
    fn clear_visited(&mut self);
}

/// A node with its distance to whatever the current search is about.
/// Ordered by distance (total order, so NaN cannot break heaps), then node, so ties are deterministic.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scored<N> {
    pub distance: f32,
    pub node: N,
    pub deleted: bool,
    /// In a neighbour list: whether the heuristic kept this member for being closer to the
    /// list's owner than to every closer member (None: not known). Lets a re-selection skip
    /// most pairwise distances, as pgvector does.
    pub closer: Option<bool>,
}

impl<N> Scored<N> {
    #[inline]
    pub(crate) fn new(distance: f32, node: N) -> Self {
        Scored {
            distance,
            node,
            deleted: false,
            closer: None,
        }
    }
}

impl<N: Ord> PartialEq for Scored<N> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<N: Ord> Eq for Scored<N> {}
impl<N: Ord> PartialOrd for Scored<N> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<N: Ord> Ord for Scored<N> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then_with(|| self.node.cmp(&other.node))
    }
}
