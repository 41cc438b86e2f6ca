//! Turning RaBitQ estimates into rows in exact-distance order.
//!
//! The access method never sees the LIMIT, and an estimate's bound is only probabilistic, so
//! the scan cannot hand Postgres estimated distances or lower bounds to recheck (a wrong one
//! makes the executor fail with "index returned tuples in wrong order"). Instead it reranks
//! here: candidates are taken by nearest lower bound, `batch` at a time, their exact distances
//! computed by the caller (from the heap row, in f64 as Postgres' distance operators return
//! them, so the order is the one the executor sees), and the nearest exactly-known row is returned
//! once no remaining candidate's lower bound is below it. Rows therefore come out in
//! non-decreasing exact distance, always: a candidate whose bound was wrong and that turns
//! out nearer than a row already returned is dropped (a recall miss, never an order error).
//!
//! On an index with extra bits, candidates arrive with a one-bit lower bound and a place to
//! refine it ([`RefineAt`]): when such a candidate is the nearest pending, it is refined
//! (a few hundred popcounts, no heap access) and goes back with its tighter bound, so only
//! the candidates whose refined bound still reaches the top are fetched exactly.
use super::HeapTid;
use super::scan::RefineAt;
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::{Ordering, Reverse};

#[derive(Clone, Copy, Debug)]
struct Known {
    distance: f64,
    tid: HeapTid,
    /// Where to refine a one-bit bound; `None` once refined (or with nothing to refine).
    refine: Option<RefineAt>,
}

impl PartialEq for Known {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Known {}
impl PartialOrd for Known {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Known {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance.total_cmp(&other.distance).then(self.tid.cmp(&other.tid))
    }
}

/// Candidates moved into the heap at a time: a query reranks a few dozen of the thousands a
/// scan estimates, so only about this many nearest ever need ordering.
const STAGE: usize = 256;

#[derive(Default)]
pub struct Reranker {
    /// Candidates not reranked yet, by lower bound, nearest first: the nearest of them all, so
    /// every one orders at or before `split`.
    pending: BinaryHeap<Reverse<Known>>,
    /// The other candidates not reranked yet, unordered, every one after `split`. Heaping all
    /// the thousands of candidates a scan estimates cost more than estimating them; splitting
    /// off the nearest few hundred costs one comparison each.
    deferred: Vec<Known>,
    /// Divides `pending` from `deferred`; `None` while `deferred` is empty.
    split: Option<Known>,
    /// Reranked candidates not returned yet, nearest first.
    known: BinaryHeap<Reverse<Known>>,
    /// Distance of the last row returned: nothing nearer may follow it (unless relaxed).
    floor: Option<f64>,
    /// Return a row found nearer than one already returned instead of dropping it: the
    /// relaxed order of iterative scans, which prefer every row to strict order.
    pub relaxed: bool,
    /// Candidates reranked so far (a statistic for tests and tuning).
    pub reranked: u64,
    /// Candidates refined so far.
    pub refined: u64,
    /// Candidates dropped because their exact distance was below a row already returned.
    pub dropped: u64,
}

impl Reranker {
    /// Adds candidates as (tid, lower bound of their exact distance).
    pub fn add(&mut self, candidates: impl IntoIterator<Item = (HeapTid, f64)>) {
        self.add_refinable(candidates.into_iter().map(|(tid, lower)| (tid, lower, None)));
    }

    /// Adds candidates as (tid, lower bound, where to refine the bound before reranking).
    pub fn add_refinable(&mut self, candidates: impl IntoIterator<Item = (HeapTid, f64, Option<RefineAt>)>) {
        // NaN bounds (corrupt factors) order after every number in total order: reranked last.
        let more = candidates.into_iter().map(|(tid, lower, refine)| Known { distance: lower, tid, refine });
        self.add_known(more);
    }

    fn add_known(&mut self, more: impl Iterator<Item = Known>) {
        match self.split {
            Some(split) => {
                for c in more {
                    if c <= split {
                        self.pending.push(Reverse(c));
                    } else {
                        self.deferred.push(c);
                    }
                }
            }
            None if self.pending.is_empty() => self.stage(more.collect()),
            None => self.pending.extend(more.map(Reverse)),
        }
    }

    /// Fills the empty `pending` from `all` (and `deferred` is empty): all of them when they are
    /// few, else those at or before a split chosen to let about [`STAGE`] through.
    fn stage(&mut self, mut all: Vec<Known>) {
        debug_assert!(self.pending.is_empty() && self.deferred.is_empty());
        if all.len() <= 4 * STAGE {
            self.split = None;
            self.pending = BinaryHeap::from(all.into_iter().map(Reverse).collect::<Vec<_>>());
            return;
        }
        // The split is a quantile of an evenly spaced sample. Whatever the sample, the split
        // itself goes to `pending`, so every refill makes progress.
        let step = all.len() / (4 * STAGE);
        let mut sample: Vec<Known> = all.iter().step_by(step).copied().collect();
        let rank = (sample.len() * STAGE / all.len()).min(sample.len() - 1);
        let split = *sample.select_nth_unstable(rank).1;
        let mut near = Vec::with_capacity(2 * STAGE);
        all.retain(|c| {
            let is_near = *c <= split;
            if is_near {
                near.push(Reverse(*c));
            }
            !is_near
        });
        self.pending = BinaryHeap::from(near);
        self.split = if all.is_empty() { None } else { Some(split) };
        self.deferred = all;
    }

    /// The nearest candidate not reranked yet, refilling `pending` when it ran out.
    fn nearest_pending(&mut self) -> Option<&Known> {
        if self.pending.is_empty() && !self.deferred.is_empty() {
            let all = core::mem::take(&mut self.deferred);
            self.stage(all);
        }
        self.pending.peek().map(|c| &c.0)
    }

    /// Whether candidates remain (pending or reranked but not returned).
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.deferred.is_empty() && self.known.is_empty()
    }

    /// The next row in exact-distance order with its distance, or `None` when no candidate
    /// is left. `exact(tid)` gives a candidate's exact distance, or `None` for a row the scan
    /// must not return (not visible to it).
    pub fn next(&mut self, batch: usize, exact: impl FnMut(HeapTid) -> Option<f64>) -> Option<(HeapTid, f64)> {
        self.next_refined(batch, |_, _| None, exact)
    }

    /// As [`next`](Self::next); `refine(tid, at)` gives a refinable candidate's refined lower
    /// bound, or `None` to keep its one-bit bound (its entry was not found).
    pub fn next_refined(
        &mut self,
        batch: usize,
        mut refine: impl FnMut(HeapTid, RefineAt) -> Option<f64>,
        mut exact: impl FnMut(HeapTid) -> Option<f64>,
    ) -> Option<(HeapTid, f64)> {
        loop {
            let next_bound = self.nearest_pending().map(|c| c.distance);
            if let Some(Reverse(top)) = self.known.peek()
                && next_bound.is_none_or(|bound| top.distance <= bound)
            {
                let Reverse(row) = self.known.pop().expect("peeked");
                if !self.relaxed && self.floor.is_some_and(|floor| row.distance < floor) {
                    self.dropped += 1;
                    continue;
                }
                self.floor = Some(row.distance);
                return Some((row.tid, row.distance));
            }
            next_bound?;
            let mut taken = 0;
            while taken < batch.max(1) {
                let Some(&Known { tid, refine: at, .. }) = self.nearest_pending() else { break };
                let Reverse(candidate) = self.pending.pop().expect("peeked");
                if let Some(at) = at {
                    // Back in with its refined bound (or its one-bit one), to be taken again
                    // only if that is still the nearest; the emission check comes first.
                    self.refined += 1;
                    let distance = refine(tid, at).unwrap_or(candidate.distance);
                    self.add_known(core::iter::once(Known { distance, tid, refine: None }));
                    if taken == 0 {
                        break;
                    }
                    continue;
                }
                taken += 1;
                self.reranked += 1;
                if let Some(distance) = exact(tid).filter(|d| !d.is_nan()) {
                    self.known.push(Reverse(Known { distance, tid, refine: None }));
                }
            }
        }
    }
}
