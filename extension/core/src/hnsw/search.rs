//! HNSW layer search (the paper's Algorithm 2) and the greedy descent through upper layers.
use super::Error;
use super::graph::{Graph, ListWanted, Scored};
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// Heaps and buffers reused across searches, so a search allocates nothing in steady state.
pub(crate) struct SearchScratch<N> {
    candidates: BinaryHeap<Reverse<Scored<N>>>,
    results: BinaryHeap<Scored<N>>,
    neighbours: Vec<N>,
    unvisited: Vec<N>,
}

impl<N: Ord + Copy> SearchScratch<N> {
    pub(crate) fn new() -> Self {
        SearchScratch {
            candidates: BinaryHeap::new(),
            results: BinaryHeap::new(),
            neighbours: Vec::new(),
            unvisited: Vec::new(),
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        let scored = core::mem::size_of::<Scored<N>>();
        (self.candidates.capacity() + self.results.capacity()) * scored
            + self.neighbours.capacity() * core::mem::size_of::<N>()
    }
}

/// Nodes evaluated but not kept among the `ef` best: iterative scans resume from the closest.
pub(crate) type Discarded<N> = BinaryHeap<Reverse<Scored<N>>>;

/// Beam search of width `ef` on one layer from `entries` (already marked visited).
/// Leaves the (up to) `ef` closest nodes found in `out`, sorted by distance. Every other
/// node evaluated goes to `discarded` when given.
#[allow(clippy::too_many_arguments)] // all of them are the search's state; a struct would only rename them
pub(crate) fn search_layer<G: Graph>(
    g: &mut G,
    query: &[u8],
    entries: &[Scored<G::Node>],
    ef: usize,
    layer: usize,
    scratch: &mut SearchScratch<G::Node>,
    mut discarded: Option<&mut Discarded<G::Node>>,
    out: &mut Vec<Scored<G::Node>>,
) -> Result<(), Error> {
    let ef = ef.max(1);
    g.start_layer_search();
    let SearchScratch {
        candidates,
        results,
        neighbours,
        unvisited,
    } = scratch;
    candidates.clear();
    results.clear();
    for &e in entries {
        candidates.push(Reverse(e));
        results.push(e);
        if results.len() > ef {
            let dropped = results.pop().unwrap();
            if let Some(d) = discarded.as_deref_mut() {
                d.push(Reverse(dropped));
            }
        }
    }
    while let Some(Reverse(current)) = candidates.pop() {
        let furthest = results.peek().map_or(f32::INFINITY, |r| r.distance);
        if results.len() >= ef && current.distance > furthest {
            break;
        }
        // The next candidate's list is read next: have it on its way while this step works.
        if let Some(Reverse(next)) = candidates.peek() {
            g.prefetch_list(next.node, layer);
        }
        g.neighbours(current.node, layer, neighbours)?;
        // Vectors are where the memory stalls are: ask for all of them before the first distance.
        unvisited.clear();
        for &n in neighbours.iter() {
            if g.mark_visited(n) {
                g.prefetch(n);
                unvisited.push(n);
            }
        }
        for &n in unvisited.iter() {
            let if_below = if results.len() < ef {
                f32::INFINITY
            } else {
                results.peek().map_or(f32::INFINITY, |r| r.distance)
            };
            let Some(visit) = g.visit(n, query, ListWanted { layer, if_below })? else {
                continue;
            };
            let scored = Scored {
                distance: visit.distance,
                node: n,
                deleted: visit.deleted,
                closer: None,
            };
            let furthest = results.peek().map_or(f32::INFINITY, |r| r.distance);
            if results.len() < ef || visit.distance < furthest {
                candidates.push(Reverse(scored));
                results.push(scored);
                if results.len() > ef {
                    let dropped = results.pop().unwrap();
                    if let Some(d) = discarded.as_deref_mut() {
                        d.push(Reverse(dropped));
                    }
                }
            } else if let Some(d) = discarded.as_deref_mut() {
                d.push(Reverse(scored));
            }
        }
    }
    out.clear();
    out.extend(results.drain());
    out.sort_unstable();
    Ok(())
}

/// Visits the entry point and descends greedily (ef = 1) through the layers above `layer`.
/// Returns the closest node found, the entry for the search on `layer`.
pub(crate) fn descend<G: Graph>(
    g: &mut G,
    query: &[u8],
    entry: (G::Node, u8),
    layer: usize,
    scratch: &mut SearchScratch<G::Node>,
    out: &mut Vec<Scored<G::Node>>,
) -> Result<Scored<G::Node>, Error> {
    let (node, top) = entry;
    g.clear_visited();
    g.mark_visited(node);
    let wanted = ListWanted {
        layer: top as usize,
        if_below: f32::INFINITY,
    };
    let visit = g
        .visit(node, query, wanted)?
        .ok_or(Error::Corrupt("entry point is dead", 0))?;
    let mut best = Scored {
        distance: visit.distance,
        node,
        deleted: visit.deleted,
        closer: None,
    };
    for l in (layer + 1..=top as usize).rev() {
        g.clear_visited();
        g.mark_visited(best.node);
        search_layer(g, query, &[best], 1, l, scratch, None, out)?;
        best = out[0];
    }
    Ok(best)
}
