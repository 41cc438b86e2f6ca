//! Linking a new element into the graph (the paper's Algorithm 1), shared by the builder,
//! on-page inserts and vacuum's repairs: finding its neighbours layer by layer, and
//! working out the updated neighbour list of each neighbour that links back.
use super::Error;
use super::graph::{Graph, Scored};
use super::layout::layer_capacity;
use super::search::{SearchScratch, descend, search_layer};
use super::select::select_neighbours;
use alloc::vec::Vec;

/// Buffers reused across inserts.
pub(crate) struct LinkScratch<N> {
    pub search: SearchScratch<N>,
    found: Vec<Scored<N>>,
    candidates: Vec<Scored<N>>,
    pruned: Vec<Scored<N>>,
    list: Vec<N>,
}

impl<N: Ord + Copy> LinkScratch<N> {
    pub(crate) fn new() -> Self {
        LinkScratch {
            search: SearchScratch::new(),
            found: Vec::new(),
            candidates: Vec::new(),
            pruned: Vec::new(),
            list: Vec::new(),
        }
    }
}

/// The neighbours chosen for a new element.
pub(crate) struct LinkPlan<N> {
    /// Per layer 0..=min(level, entry level): the selected neighbours with their distances.
    pub layers: Vec<Vec<Scored<N>>>,
    /// Per layer, what the selection chose from: the closest nodes found, sorted, deleted ones
    /// and `exclude` left out. A parallel build re-selects from these plus rows of its batch.
    pub candidates: Vec<Vec<Scored<N>>>,
    /// The closest nodes found on layer 0 (deleted ones included), sorted: duplicate detection looks here.
    pub nearest: Vec<Scored<N>>,
}

/// Searches the graph for the neighbours of `vector` on every layer from min(level, entry
/// level) down to 0; `exclude` (the element itself, when repairing) is never chosen.
pub(crate) fn plan_links<G: Graph>(
    g: &mut G,
    vector: &[u8],
    level: u8,
    entry: (G::Node, u8),
    ef_construction: usize,
    exclude: Option<G::Node>,
    scratch: &mut LinkScratch<G::Node>,
) -> Result<LinkPlan<G::Node>, Error> {
    let top = level.min(entry.1) as usize;
    let LinkScratch {
        search,
        found,
        candidates,
        pruned,
        ..
    } = scratch;
    let first = descend(g, vector, entry, top, search, found)?;
    let mut entries: Vec<Scored<G::Node>> = alloc::vec![first];
    let mut layers: Vec<Vec<Scored<G::Node>>> = (0..=top).map(|_| Vec::new()).collect();
    let mut chosen_from: Vec<Vec<Scored<G::Node>>> = (0..=top).map(|_| Vec::new()).collect();
    for layer in (0..=top).rev() {
        g.clear_visited();
        for e in &entries {
            g.mark_visited(e.node);
        }
        search_layer(
            g,
            vector,
            &entries,
            ef_construction,
            layer,
            search,
            None,
            found,
        )?;
        candidates.clear();
        candidates.extend(
            found
                .iter()
                .filter(|c| !c.deleted && Some(c.node) != exclude),
        );
        let mut kept = Vec::new();
        select_neighbours(
            g,
            candidates,
            layer_capacity(g.m(), layer),
            &mut kept,
            pruned,
        )?;
        layers[layer] = kept;
        chosen_from[layer].extend_from_slice(candidates);
        entries.clear();
        entries.extend_from_slice(found);
    }
    Ok(LinkPlan {
        layers,
        candidates: chosen_from,
        nearest: entries,
    })
}

/// What a back-link may change in a full list. The heuristic alone would sometimes drop a
/// member whose only in-link this was, leaving it unreachable; so a member is only ever dropped
/// when it stays reachable: `evictable` says so (the new node links to it), or the graph knows
/// another in-link (`Graph::has_other_in_link`).
#[derive(Clone, Copy)]
pub(crate) struct LinkRules<'a, N> {
    pub evictable: &'a dyn Fn(N) -> bool,
    /// Keep the new node even where the heuristic would drop it (the one link that makes a node
    /// reachable): it then replaces the last evictable member.
    pub force: bool,
    /// With `force` and no evictable member: replace the last member anyway (true), or give up
    /// (false, so the caller can try another node).
    pub or_last: bool,
}

/// How a neighbour list changes when a new node links back.
pub(crate) enum ListUpdate<N> {
    /// The list had room and `new` goes at its end.
    Append(Scored<N>),
    /// The list was full and has been re-selected: members with their distances to its owner.
    Replace(Vec<Scored<N>>),
}

impl<N: Copy> ListUpdate<N> {
    /// The list's members after the update, given those before.
    pub(crate) fn nodes_after(&self, current: &[N]) -> Vec<N> {
        match self {
            ListUpdate::Append(new) => current.iter().copied().chain([new.node]).collect(),
            ListUpdate::Replace(list) => list.iter().map(|s| s.node).collect(),
        }
    }
}

/// How the neighbour list of `target` on `layer` changes once `new` (scored by its distance to
/// `target`) links to it, or None when it stays as it is. A full list is re-selected over its
/// members plus `new`.
///
/// See [`LinkRules`] for which members may go.
pub(crate) fn backlinked_list<G: Graph>(
    g: &mut G,
    target: G::Node,
    layer: usize,
    new: Scored<G::Node>,
    rules: LinkRules<'_, G::Node>,
    scratch: &mut LinkScratch<G::Node>,
) -> Result<Option<ListUpdate<G::Node>>, Error> {
    let cap = layer_capacity(g.m(), layer);
    let LinkScratch {
        candidates,
        pruned,
        list,
        ..
    } = scratch;
    g.neighbours(target, layer, list)?;
    if list.contains(&new.node) {
        return Ok(None);
    }
    if list.len() < cap {
        return Ok(Some(ListUpdate::Append(new)));
    }
    g.scored_neighbours(target, layer, list, candidates)?;
    // Lists are stored sorted by distance, so this is usually one insertion, not a sort.
    if !candidates.is_sorted() {
        candidates.sort_unstable();
    }
    let at = candidates.partition_point(|c| *c < new);
    candidates.insert(at, new);
    let mut kept = Vec::with_capacity(cap);
    select_neighbours(g, candidates, cap, &mut kept, pruned)?;
    if kept.iter().any(|k| k.node == new.node) {
        // Exactly one member was dropped (lists stay full): fine only if it stays reachable.
        let dropped = candidates
            .iter()
            .find(|c| !kept.iter().any(|k| k.node == c.node))
            .copied();
        let stays_reachable = match dropped {
            None => true,
            Some(d) => (rules.evictable)(d.node) || g.has_other_in_link(d.node, target)?,
        };
        if !stays_reachable {
            if !rules.force {
                return Ok(None);
            }
            let victim = match kept
                .iter()
                .rposition(|k| k.node != new.node && (rules.evictable)(k.node))
            {
                Some(victim) => victim,
                None if rules.or_last => return Ok(Some(ListUpdate::Replace(kept))),
                None => return Ok(None),
            };
            // Put the dropped member back in place of an evictable one.
            kept[victim] = Scored {
                closer: None,
                ..dropped.unwrap()
            };
        }
    } else {
        if !rules.force {
            return Ok(None);
        }
        let victim = match kept.iter().rposition(|k| (rules.evictable)(k.node)) {
            Some(victim) => victim,
            None if rules.or_last => kept.len() - 1,
            None => return Ok(None),
        };
        kept[victim] = Scored {
            closer: None,
            ..new
        };
    }
    kept.sort_unstable();
    Ok(Some(ListUpdate::Replace(kept)))
}

/// The node chosen to link to an orphan, and how its list changes.
pub(crate) type OrphanLink<N> = (N, ListUpdate<N>);

/// Chooses who links to the unreachable node `orphan` and that node's new layer-0 list, from
/// `found` (the closest reachable nodes, sorted, deleted ones flagged). The closest node that
/// can take the link without evicting a member that would then be unreachable wins; failing
/// that, the closest node evicts its last member (a later round deals with that one).
pub(crate) fn link_orphan<G: Graph>(
    g: &mut G,
    orphan: G::Node,
    found: &[Scored<G::Node>],
    evictable: &dyn Fn(G::Node) -> bool,
    scratch: &mut LinkScratch<G::Node>,
) -> Result<Option<OrphanLink<G::Node>>, Error> {
    let mut candidates = found.iter().filter(|f| !f.deleted && f.node != orphan);
    let Some(&nearest) = candidates.clone().next() else {
        return Ok(None);
    };
    for &c in candidates.by_ref() {
        let new = Scored::new(c.distance, orphan);
        let rules = LinkRules {
            evictable,
            force: true,
            or_last: false,
        };
        if let Some(list) = backlinked_list(g, c.node, 0, new, rules, scratch)? {
            return Ok(Some((c.node, list)));
        }
    }
    let new = Scored::new(nearest.distance, orphan);
    let rules = LinkRules {
        evictable,
        force: true,
        or_last: true,
    };
    Ok(backlinked_list(g, nearest.node, 0, new, rules, scratch)?.map(|list| (nearest.node, list)))
}

/// After `orphan` was linked in by evicting `evicted` from a full list (the last resort of
/// `link_orphan`), the orphan links to the evicted node itself, so that node stays reachable
/// through it. Whatever the orphan's list loses for it was reachable only through the orphan
/// before (the orphan was unreachable), so every such repair grows the reachable set: repair
/// rounds cannot ping-pong. Returns the orphan's list change on layer 0, if any.
pub(crate) fn keep_evicted_reachable<G: Graph>(
    g: &mut G,
    orphan: G::Node,
    evicted: G::Node,
    scratch: &mut LinkScratch<G::Node>,
) -> Result<Option<ListUpdate<G::Node>>, Error> {
    let cap = layer_capacity(g.m(), 0);
    let LinkScratch {
        candidates, list, ..
    } = scratch;
    g.neighbours(orphan, 0, list)?;
    if evicted == orphan || list.contains(&evicted) {
        return Ok(None);
    }
    let new = Scored::new(g.distance_between(orphan, evicted)?, evicted);
    if list.len() < cap {
        return Ok(Some(ListUpdate::Append(new)));
    }
    g.scored_neighbours(orphan, 0, list, candidates)?;
    candidates.sort_unstable();
    *candidates.last_mut().unwrap() = new;
    candidates.sort_unstable();
    Ok(Some(ListUpdate::Replace(candidates.clone())))
}

/// The member of `before` that `update` removes, if any.
pub(crate) fn evicted_by<N: Copy + PartialEq>(before: &[N], update: &ListUpdate<N>) -> Option<N> {
    match update {
        ListUpdate::Append(_) => None,
        ListUpdate::Replace(after) => before
            .iter()
            .copied()
            .find(|b| !after.iter().any(|a| a.node == *b)),
    }
}
