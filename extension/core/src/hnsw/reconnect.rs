//! Making sure every element of the in-memory graph is reachable from the entry point before
//! it is written. Heuristic pruning can leave a node with no in-links (rare in L2, common
//! with inner product, where a few large-norm hubs attract links): `check` would report it and
//! scans could never return it.
use super::Metric;
use super::aligned::AlignedBytes;
use super::graph::Graph;
use super::link::{LinkScratch, evicted_by, keep_evicted_reachable, link_orphan};
use super::memory_graph::{MemoryGraph, Traversal};
use super::search::{descend, search_layer};
use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

/// Links every unreachable node in from one of its nearest reachable nodes (see `link_orphan`
/// and `keep_evicted_reachable`). Each repair grows the reachable set, so rounds converge;
/// they repeat because a later repair can make an earlier check stale.
pub(crate) fn reconnect<M: Metric>(
    graph: &mut MemoryGraph<M>,
    traversal: &mut Traversal,
    ef_construction: usize,
    scratch: &mut LinkScratch<u32>,
) {
    let Some(entry) = graph.entry else { return };
    let mut found = Vec::new();
    let mut query = AlignedBytes::new();
    for _ in 0..16 {
        let mut reached = vec![false; graph.len()];
        let mut in_degree = vec![0u32; graph.len()];
        mark_reachable(graph, entry.0, &mut reached, &mut in_degree);
        let mut linked = 0;
        for id in 0..graph.len() as u32 {
            if reached[id as usize] {
                continue;
            }
            linked += 1;
            query.set(graph.vector(id));
            let query = query.as_bytes();
            let mut view = graph.view(traversal);
            let Ok(start) = descend(&mut view, query, entry, 0, &mut scratch.search, &mut found)
            else {
                return;
            };
            view.clear_visited();
            view.mark_visited(start.node);
            if search_layer(
                &mut view,
                query,
                &[start],
                ef_construction,
                0,
                &mut scratch.search,
                None,
                &mut found,
            )
            .is_err()
            {
                return;
            }
            let own = graph.list(id, 0).to_vec();
            let evictable = |n: u32| own.contains(&n) || in_degree[n as usize] >= 2;
            if let Ok(Some((target, update))) =
                link_orphan(&mut graph.view(traversal), id, &found, &evictable, scratch)
            {
                let after = update.nodes_after(graph.list(target, 0));
                for &old in graph.list(target, 0) {
                    in_degree[old as usize] = in_degree[old as usize].saturating_sub(1);
                }
                for n in after {
                    in_degree[n as usize] += 1;
                }
                let evicted = evicted_by(graph.list(target, 0), &update);
                graph.apply(target, 0, update);
                if let Some(evicted) = evicted
                    && let Ok(Some(own_update)) =
                        keep_evicted_reachable(&mut graph.view(traversal), id, evicted, scratch)
                {
                    graph.apply(id, 0, own_update);
                }
            }
            mark_reachable(graph, id, &mut reached, &mut in_degree);
        }
        if linked == 0 {
            return;
        }
    }
}

/// Breadth-first over all layers from `start`; counts the in-links of nodes it expands.
fn mark_reachable<M: Metric>(
    graph: &MemoryGraph<M>,
    start: u32,
    reached: &mut [bool],
    in_degree: &mut [u32],
) {
    if reached[start as usize] {
        return;
    }
    reached[start as usize] = true;
    let mut queue = VecDeque::from([start]);
    while let Some(id) = queue.pop_front() {
        for layer in 0..=graph.levels[id as usize] as usize {
            for &n in graph.list(id, layer) {
                in_degree[n as usize] += 1;
                if !reached[n as usize] {
                    reached[n as usize] = true;
                    queue.push_back(n);
                }
            }
        }
    }
}
