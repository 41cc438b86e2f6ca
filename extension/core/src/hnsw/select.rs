//! Neighbour selection: the HNSW heuristic (Malkov & Yashunin, Algorithm 4) with
//! keepPrunedConnections, as hnswlib and pgvector do.
use super::Error;
use super::graph::{Graph, Scored};
use alloc::vec::Vec;

/// Picks up to `cap` neighbours from `candidates` (sorted by distance to the base node).
/// A candidate is kept when it is closer to the base than to every neighbour kept so far, which
/// spreads links over directions instead of piling them into one cluster; then the list is
/// filled up with the closest pruned candidates, because full lists keep the graph well connected.
pub(crate) fn select_neighbours<G: Graph>(
    g: &mut G,
    candidates: &[Scored<G::Node>],
    cap: usize,
    kept: &mut Vec<Scored<G::Node>>,
    pruned: &mut Vec<Scored<G::Node>>,
) -> Result<(), Error> {
    kept.clear();
    pruned.clear();
    for &c in candidates {
        if kept.len() >= cap {
            break;
        }
        let mut diverse = true;
        for k in kept.iter() {
            // `<=` rather than hnswlib's `<`: the same for distinct vectors, but exact duplicates
            // (distance 0 to each other and to a duplicate base) then count as one direction,
            // so a base among many copies still links out of the copies.
            if g.distance_between(c.node, k.node)? <= c.distance {
                diverse = false;
                break;
            }
        }
        if diverse { kept.push(c) } else { pruned.push(c) }
    }
    for &p in pruned.iter() {
        if kept.len() >= cap {
            break;
        }
        kept.push(p);
    }
    Ok(())
}
