//! The order a build writes elements to pages in. A search reads the neighbours of the element
//! it expands; written in insertion order, those sit on as many pages as there are neighbours.
//! Written in breadth-first order of the layer-0 graph, an element's neighbours that were not
//! placed before it follow each other, so a search touches fewer distinct pages: fewer buffer
//! lookups, and fewer reads where the index is larger than shared_buffers.
use super::Metric;
use super::memory_graph::MemoryGraph;
use alloc::collections::VecDeque;
use alloc::vec;
use alloc::vec::Vec;

/// Every node once: breadth-first over layer 0 from the entry point, then from each node not
/// reached yet, in node order (a graph the build reconnected has none).
pub(crate) fn placement_order<M: Metric>(graph: &MemoryGraph<M>) -> Vec<u32> {
    let n = graph.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    let starts = graph.entry.map(|(e, _)| e).into_iter().chain(0..n as u32);
    for start in starts {
        if placed[start as usize] {
            continue;
        }
        placed[start as usize] = true;
        queue.push_back(start);
        while let Some(node) = queue.pop_front() {
            order.push(node);
            for &next in graph.list(node, 0) {
                if !placed[next as usize] {
                    placed[next as usize] = true;
                    queue.push_back(next);
                }
            }
        }
    }
    order
}
