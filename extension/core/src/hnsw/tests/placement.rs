//! The order elements are written in: every element once, the entry point first, and an
//! element's layer-0 neighbours on fewer distinct pages than insertion order puts them.
use super::data::*;
use crate::hnsw::Builder;
use crate::hnsw::builder::plan_positions;
use crate::hnsw::layout::Shape;
use crate::hnsw::placement::placement_order;
use alloc::vec::Vec;
use std::collections::HashSet;

/// Mean number of distinct pages an element's layer-0 neighbours sit on, with `order`.
fn neighbour_pages(builder: &Builder<L2>, order: &[u32]) -> f64 {
    let g = &builder.graph;
    let shapes: Vec<Shape> = order
        .iter()
        .map(|&id| Shape::new(16, g.levels[id as usize], g.vector(id).len()))
        .collect();
    let (placed, _, _) = plan_positions(&shapes);
    let mut block_of = alloc::vec![0u32; g.len()];
    for (rank, &id) in order.iter().enumerate() {
        block_of[id as usize] = placed[rank].block;
    }
    let total: usize = (0..g.len() as u32)
        .map(|id| g.list(id, 0).iter().map(|&n| block_of[n as usize]).collect::<HashSet<_>>().len())
        .sum();
    total as f64 / g.len() as f64
}

#[test]
fn breadth_first_placement_puts_neighbours_on_fewer_pages() {
    let data = Clustered::new(11, 128, 40).take(4000);
    let mut builder = Builder::new(PARAMS, L2);
    for (i, v) in data.iter().enumerate() {
        builder.insert(&bytes(v), tid(i));
    }
    let order = placement_order(&builder.graph);
    assert_eq!(order.len(), builder.len());
    assert_eq!(order.iter().copied().collect::<HashSet<_>>().len(), builder.len());
    assert_eq!(Some(order[0]), builder.graph.entry.map(|(e, _)| e));
    let insertion: Vec<u32> = (0..builder.len() as u32).collect();
    let (bfs, ins) = (neighbour_pages(&builder, &order), neighbour_pages(&builder, &insertion));
    std::eprintln!("distinct pages per neighbour list: {bfs:.2} breadth-first, {ins:.2} insertion order");
    assert!(bfs < 0.8 * ins, "{bfs} vs {ins}");
    // What is written is what the order says, and sound.
    let mut store = new_store();
    builder.write_to(&mut store).unwrap();
    assert_sound(&store, &|i| i < data.len());
}
