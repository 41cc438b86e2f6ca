//! Parallel builds. Rows are taken in batches, and each batch goes in three steps:
//! 1. every row is searched for against the graph as it stood before the batch (the search is
//!    most of an insert's work and only reads the graph), concurrently;
//! 2. the rows become nodes with their own neighbour lists, one at a time in row order;
//! 3. the links back are worked out per neighbour list, concurrently (each list that gains
//!    links is re-selected by one task, over the newcomers in row order), and written.
//!
//! Rows of one batch cannot find each other in step 1, so each row's distances to the rows
//! before it in the batch are computed there too, and step 2 re-selects a layer's neighbours
//! when an earlier row of the batch is closer than what the search found. Batches are small
//! while the graph is small, where that matters most. Step 3 judges whether a member may be
//! dropped from a list by the in-links as they were before the batch; the reachability repair
//! every build ends with (`reconnect.rs`) links in anything that leaves unreachable.
//!
//! The graph depends on the batch boundaries only, never on the number of threads or on which
//! thread ran which task: a parallel build is as reproducible as a serial one.
use super::aligned::AlignedBytes;
use super::builder::{Builder, must_link_back};
use super::graph::{Graph, ListWanted, Scored, Visit};
use super::layout::{MAX_VECTOR_BYTES, layer_capacity};
use super::level::level_for;
use super::link::{LinkPlan, LinkRules, LinkScratch, ListUpdate, backlinked_list, plan_links};
use super::select::select_neighbours;
use super::memory_graph::Traversal;
use super::{Error, HeapTid, Metric};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// The most rows in a batch: enough to keep threads busy between the serial linking steps.
const MAX_BATCH: usize = 128;

/// Rows waiting to be searched for together.
#[derive(Default)]
pub struct Batch {
    rows: Vec<AlignedBytes>,
    tids: Vec<HeapTid>,
    len: usize,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a row, reusing the buffers of the batch before.
    pub fn push(&mut self, vector: &[u8], tid: HeapTid) {
        if self.len == self.rows.len() {
            self.rows.push(AlignedBytes::new());
            self.tids.push(tid);
        }
        self.rows[self.len].set(vector);
        self.tids[self.len] = tid;
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    fn row(&self, i: usize) -> &[u8] {
        self.rows[i].as_bytes()
    }
}

/// Runs the tasks of a batch step on however many threads there are.
pub trait Workers {
    /// `task(i, planner)` for every i in 0..n, each on some thread with that thread's
    /// planner; the results in order of i.
    fn run<T: Send>(&mut self, n: usize, task: &(dyn Fn(usize, &mut Planner) -> T + Sync)) -> Vec<T>;
}

/// One thread's buffers for searching; keep it from batch to batch. Aligned to two cache lines
/// so that planners kept side by side in a Vec do not share a line: every heap push updates a
/// length field in here, and threads writing the same line slow each other down.
#[repr(align(128))]
pub struct Planner {
    scratch: LinkScratch<u32>,
    traversal: Traversal,
}

impl Planner {
    pub fn new() -> Planner {
        Planner {
            scratch: LinkScratch::new(),
            traversal: Traversal::default(),
        }
    }
}

impl Default for Planner {
    fn default() -> Self {
        Planner::new()
    }
}

/// A row of a batch, searched for and waiting to be linked.
struct Planned {
    level: u8,
    too_large: bool,
    /// None when the graph was empty.
    plan: Option<LinkPlan<u32>>,
    /// Distance to each earlier row of the batch.
    to_earlier_rows: Vec<f32>,
}

impl<M: Metric> Builder<M> {
    /// How many rows the next batch should hold: few while the graph is small, so that the rows
    /// of a batch, which cannot find each other by search, are few beside those they can find.
    pub fn batch_capacity(&self) -> usize {
        (self.len() / 16).clamp(1, MAX_BATCH)
    }

    /// Searches for row `row`'s neighbours in the graph as it stood before the batch. Takes
    /// `&self`: threads call it at once, each with its own planner.
    fn plan_row(&self, planner: &mut Planner, batch: &Batch, row: usize) -> Planned {
        if batch.row(row).len() > MAX_VECTOR_BYTES {
            return Planned {
                level: 0,
                too_large: true,
                plan: None,
                to_earlier_rows: Vec::new(),
            };
        }
        let vector = batch.row(row);
        let level = level_for(batch.tids[row], self.params.m as usize);
        let plan = self.graph.entry.map(|entry| {
            let mut view = self.graph.view(&mut planner.traversal);
            match plan_links(
                &mut view,
                vector,
                level,
                entry,
                self.params.ef_construction as usize,
                None,
                &mut planner.scratch,
            ) {
                Ok(plan) => plan,
                Err(_) => unreachable!("the in-memory graph has no failure modes"),
            }
        });
        let to_earlier_rows = (0..row)
            .map(|j| self.graph.metric.distance(vector, batch.row(j)))
            .collect();
        Planned {
            level,
            too_large: false,
            plan,
            to_earlier_rows,
        }
    }

    /// Inserts the rows of a batch (see the file's comment for the steps).
    pub fn insert_batch(&mut self, batch: &Batch, workers: &mut impl Workers)
    where
        M: Sync,
    {
        let this = &*self;
        let plans = workers.run(batch.len(), &|row, planner| this.plan_row(planner, batch, row));
        let backlinks = self.add_rows(batch, plans);
        let this = &*self;
        let lists = workers.run(backlinks.groups.len(), &|i, planner| {
            this.backlinked_group(planner, &backlinks.groups[i], &backlinks.own)
        });
        for (group, list) in backlinks.groups.iter().zip(lists) {
            if let Some(list) = list {
                self.graph.set_list(group.target, group.layer, &list);
            }
        }
    }

    /// Step 2: the rows become nodes with their own lists, in order; returns the links back
    /// they ask for, grouped by list.
    fn add_rows(&mut self, batch: &Batch, plans: Vec<Planned>) -> Backlinks {
        debug_assert_eq!(plans.len(), batch.len());
        // Each earlier row's node and level (None: too large, or a duplicate of another node).
        let mut nodes: Vec<Option<(u32, u8)>> = Vec::with_capacity(plans.len());
        let mut groups: BTreeMap<(u32, usize), Vec<Newcomer>> = BTreeMap::new();
        let mut own = Vec::new();
        for (row, planned) in plans.into_iter().enumerate() {
            if planned.too_large {
                self.vector_too_large = true;
                nodes.push(None);
                continue;
            }
            let vector = batch.row(row);
            let plan = match planned.plan {
                Some(plan) => Some(self.with_earlier_rows(
                    plan,
                    planned.level,
                    &nodes,
                    &planned.to_earlier_rows,
                )),
                // The graph was empty when the batch was searched; it may not be any more.
                None => self.plan_now(vector, planned.level),
            };
            let Some((id, layers)) = self.add_node(vector, batch.tids[row], planned.level, plan)
            else {
                nodes.push(None);
                continue;
            };
            nodes.push(Some((id, planned.level)));
            for (layer, chosen) in layers.iter().enumerate() {
                for (rank, neighbour) in chosen.iter().enumerate() {
                    groups
                        .entry((neighbour.node, layer))
                        .or_default()
                        .push(Newcomer {
                            scored: Scored::new(neighbour.distance, id),
                            force: must_link_back(layer, rank),
                            own: own.len(),
                        });
                }
            }
            let mut members: Vec<u32> = layers.iter().flatten().map(|c| c.node).collect();
            members.sort_unstable();
            own.push(members);
        }
        Backlinks {
            groups: groups
                .into_iter()
                .map(|((target, layer), newcomers)| Group {
                    target,
                    layer,
                    newcomers,
                })
                .collect(),
            own,
        }
    }

    /// Step 3 for one list: the newcomers link back in row order, each as a serial insert
    /// would, against a private copy of the list. None when the list stays as it is.
    fn backlinked_group(
        &self,
        planner: &mut Planner,
        group: &Group,
        own: &[Vec<u32>],
    ) -> Option<Vec<Scored<u32>>> {
        let mut list = Vec::new();
        let members = self.graph.list(group.target, group.layer);
        self.graph.scored_list(group.target, group.layer, members, &mut list);
        let mut overlay = Overlay {
            inner: self.graph.view(&mut planner.traversal),
            target: group.target,
            layer: group.layer,
            list: Vec::new(),
            members: Vec::new(),
        };
        overlay.set(list);
        let mut changed = false;
        for newcomer in &group.newcomers {
            let own = &own[newcomer.own];
            let reachable_through_new = |n: u32| own.binary_search(&n).is_ok();
            let rules = LinkRules {
                evictable: &reachable_through_new,
                force: newcomer.force,
                or_last: true,
            };
            if let Ok(Some(update)) = backlinked_list(
                &mut overlay,
                group.target,
                group.layer,
                newcomer.scored,
                rules,
                &mut planner.scratch,
            ) {
                overlay.apply(update);
                changed = true;
            }
        }
        changed.then_some(overlay.list)
    }

    /// Re-selects each layer's neighbours where earlier rows of the batch (now nodes) are
    /// closer than the furthest candidate the search kept; layers without such rows keep the
    /// search's choice.
    fn with_earlier_rows(
        &mut self,
        mut plan: LinkPlan<u32>,
        level: u8,
        nodes: &[Option<(u32, u8)>],
        distances: &[f32],
    ) -> LinkPlan<u32> {
        let ef = self.params.ef_construction as usize;
        let m = self.params.m as usize;
        let mut kept = Vec::new();
        let mut pruned = Vec::new();
        for layer in 0..=level as usize {
            if plan.candidates.len() <= layer {
                plan.candidates.resize_with(layer + 1, Vec::new);
                plan.layers.resize_with(layer + 1, Vec::new);
            }
            let found = &plan.candidates[layer];
            let furthest = if found.len() >= ef {
                found[ef - 1].distance
            } else {
                f32::INFINITY
            };
            let closer: Vec<Scored<u32>> = nodes
                .iter()
                .zip(distances)
                .filter_map(|(node, &d)| match node {
                    Some((id, l)) if *l as usize >= layer && d < furthest => {
                        Some(Scored::new(d, *id))
                    }
                    _ => None,
                })
                .collect();
            if closer.is_empty() {
                continue;
            }
            let mut merged: Vec<Scored<u32>> = found.iter().chain(&closer).copied().collect();
            merged.sort_unstable();
            merged.truncate(ef);
            if select_neighbours(
                &mut self.graph.view(&mut self.traversal),
                &merged,
                layer_capacity(m, layer),
                &mut kept,
                &mut pruned,
            )
            .is_err()
            {
                unreachable!("the in-memory graph has no failure modes");
            }
            plan.layers[layer] = core::mem::take(&mut kept);
            if layer == 0 {
                // Duplicate detection looks at `nearest`: a row equal to an earlier one is here.
                plan.nearest.extend_from_slice(&closer);
                plan.nearest.sort_unstable();
            }
            plan.candidates[layer] = merged;
        }
        plan
    }
}

/// A new node that links back to a list's owner.
struct Newcomer {
    /// The new node, with its distance to the owner.
    scored: Scored<u32>,
    force: bool,
    /// Its own neighbours, in `Backlinks::own`.
    own: usize,
}

/// The newcomers of one neighbour list, in row order.
struct Group {
    target: u32,
    layer: usize,
    newcomers: Vec<Newcomer>,
}

struct Backlinks {
    groups: Vec<Group>,
    /// Each new node's neighbours on all its layers, sorted: whom it keeps reachable.
    own: Vec<Vec<u32>>,
}

/// The graph as it stood, but for one neighbour list, which is the task's private copy.
struct Overlay<G> {
    inner: G,
    target: u32,
    layer: usize,
    list: Vec<Scored<u32>>,
    members: Vec<u32>,
}

impl<G> Overlay<G> {
    fn set(&mut self, list: Vec<Scored<u32>>) {
        self.members.clear();
        self.members.extend(list.iter().map(|s| s.node));
        self.list = list;
    }

    fn apply(&mut self, update: ListUpdate<u32>) {
        match update {
            ListUpdate::Append(new) => {
                let mut list = core::mem::take(&mut self.list);
                list.push(new);
                self.set(list);
            }
            ListUpdate::Replace(list) => self.set(list),
        }
    }

    fn is_private(&self, node: u32, layer: usize) -> bool {
        node == self.target && layer == self.layer
    }
}

impl<G: Graph<Node = u32>> Graph for Overlay<G> {
    type Node = u32;

    fn m(&self) -> usize {
        self.inner.m()
    }

    fn visit(&mut self, node: u32, query: &[u8], wanted: ListWanted) -> Result<Option<Visit>, Error> {
        self.inner.visit(node, query, wanted)
    }

    fn distance_between(&mut self, a: u32, b: u32) -> Result<f32, Error> {
        self.inner.distance_between(a, b)
    }

    fn neighbours(&mut self, node: u32, layer: usize, out: &mut Vec<u32>) -> Result<(), Error> {
        if self.is_private(node, layer) {
            out.clear();
            out.extend_from_slice(&self.members);
            return Ok(());
        }
        self.inner.neighbours(node, layer, out)
    }

    fn scored_neighbours(
        &mut self,
        node: u32,
        layer: usize,
        list: &[u32],
        out: &mut Vec<Scored<u32>>,
    ) -> Result<(), Error> {
        if self.is_private(node, layer) {
            debug_assert_eq!(list, &self.members[..]);
            out.clear();
            out.extend_from_slice(&self.list);
            return Ok(());
        }
        self.inner.scored_neighbours(node, layer, list, out)
    }

    fn has_other_in_link(&mut self, node: u32, except: u32) -> Result<bool, Error> {
        self.inner.has_other_in_link(node, except)
    }

    fn mark_visited(&mut self, node: u32) -> bool {
        self.inner.mark_visited(node)
    }

    fn clear_visited(&mut self) {
        self.inner.clear_visited()
    }
}
