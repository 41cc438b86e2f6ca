//! Neighbour selection: the HNSW heuristic (Malkov & Yashunin, Algorithm 4) with
//! keepPrunedConnections, as hnswlib and pgvector do.
use super::Error;
use super::graph::{Graph, Scored};
use alloc::vec::Vec;

/// Picks up to `cap` neighbours from `candidates` (sorted by distance to the base node).
/// A candidate is kept when it is closer to the base than to every neighbour kept so far, which
/// spreads links over directions instead of piling them into one cluster; then the list is
/// filled up with the closest pruned candidates, because full lists keep the graph well connected.
///
/// Candidates that carry a `closer` verdict from an earlier selection over the same list (a
/// full list being re-selected with one newcomer) are not recomputed from scratch: a member
/// kept before only needs comparing with the members kept for the first time this round, and a
/// member pruned before stays pruned unless some earlier member lost its place (pgvector's
/// trick). This cuts the pairwise distances of a re-selection from ~cap²/2 to ~2·cap.
/// The kept candidates come back with their verdicts set, sorted by distance.
pub(crate) fn select_neighbours<G: Graph>(
    g: &mut G,
    candidates: &[Scored<G::Node>],
    cap: usize,
    kept: &mut Vec<Scored<G::Node>>,
    pruned: &mut Vec<Scored<G::Node>>,
) -> Result<(), Error> {
    kept.clear();
    pruned.clear();
    // Members kept for the first time this round (their verdict was unknown).
    let mut first_kept: usize = 0;
    let mut first_kept_at = [0usize; 4];
    let mut recompute_pruned = false;
    for &c in candidates {
        if kept.len() >= cap {
            break;
        }
        let closer = match c.closer {
            None => is_closer(g, c, kept.iter())?,
            Some(_) if first_kept > first_kept_at.len() => is_closer(g, c, kept.iter())?,
            Some(true) => {
                let newly = first_kept_at[..first_kept].iter().map(|&i| &kept[i]);
                let still = is_closer(g, c, newly)?;
                recompute_pruned |= !still;
                still
            }
            Some(false) if recompute_pruned => is_closer(g, c, kept.iter())?,
            Some(false) => false,
        };
        if closer {
            if c.closer != Some(true) {
                if first_kept < first_kept_at.len() {
                    first_kept_at[first_kept] = kept.len();
                }
                // Past the small fixed buffer every verdict is recomputed (see the match).
                first_kept += 1;
            }
            kept.push(Scored {
                closer: Some(true),
                ..c
            });
        } else {
            pruned.push(Scored {
                closer: Some(false),
                ..c
            });
        }
    }
    let fill = pruned.len().min(cap - kept.len());
    merge_sorted(kept, &pruned[..fill]);
    Ok(())
}

/// Whether `c` is closer to the base than to every one of `kept`. `<=` rather than hnswlib's
/// `<` (pgvector uses `<=` too): the same for distinct vectors, but exact duplicates (distance 0
/// to each other and to a duplicate base) then count as one direction, so a base among many
/// copies still links out of the copies.
#[inline]
fn is_closer<'k, G: Graph>(
    g: &mut G,
    c: Scored<G::Node>,
    kept: impl Iterator<Item = &'k Scored<G::Node>>,
) -> Result<bool, Error>
where
    G::Node: 'k,
{
    for k in kept {
        if k.closer == Some(true) && g.distance_between(c.node, k.node)? <= c.distance {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Merges the sorted `extra` into the sorted `into`, from the back, in place: no allocation
/// (the standard stable sort allocates scratch space, which showed in build profiles).
fn merge_sorted<T: Ord + Copy>(into: &mut Vec<T>, extra: &[T]) {
    let Some(&filler) = extra.first() else { return };
    let (mut i, mut j) = (into.len(), extra.len());
    into.resize(i + j, filler);
    let mut k = i + j;
    while j > 0 {
        k -= 1;
        if i > 0 && into[i - 1] > extra[j - 1] {
            into[k] = into[i - 1];
            i -= 1;
        } else {
            into[k] = extra[j - 1];
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::merge_sorted;

    #[test]
    fn merges_two_sorted_runs() {
        let mut v = alloc::vec![1, 4, 6, 9];
        merge_sorted(&mut v, &[0, 2, 6, 10]);
        assert_eq!(v, [0, 1, 2, 4, 6, 6, 9, 10]);
        let mut v: alloc::vec::Vec<i32> = alloc::vec![];
        merge_sorted(&mut v, &[3]);
        assert_eq!(v, [3]);
        merge_sorted(&mut v, &[]);
        assert_eq!(v, [3]);
    }
}
