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
use super::HeapTid;
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::{Ordering, Reverse};

#[derive(Clone, Copy, Debug)]
struct Known {
    distance: f64,
    tid: HeapTid,
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

#[derive(Default)]
pub struct Reranker {
    /// Candidates not reranked yet, by lower bound, nearest first. A heap, not a sorted list:
    /// a query reranks a few dozen of the thousands of candidates a scan estimates, and
    /// sorting them all cost more than estimating them.
    pending: BinaryHeap<Reverse<Known>>,
    /// Reranked candidates not returned yet, nearest first.
    known: BinaryHeap<Reverse<Known>>,
    /// Distance of the last row returned: nothing nearer may follow it (unless relaxed).
    floor: Option<f64>,
    /// Return a row found nearer than one already returned instead of dropping it: the
    /// relaxed order of iterative scans, which prefer every row to strict order.
    pub relaxed: bool,
    /// Candidates reranked so far (a statistic for tests and tuning).
    pub reranked: u64,
    /// Candidates dropped because their exact distance was below a row already returned.
    pub dropped: u64,
}

impl Reranker {
    /// Adds candidates as (tid, lower bound of their exact distance).
    pub fn add(&mut self, candidates: impl IntoIterator<Item = (HeapTid, f64)>) {
        // NaN bounds (corrupt factors) order after every number in total order: reranked last.
        let more = candidates.into_iter().map(|(tid, lower)| Reverse(Known { distance: lower, tid }));
        if self.pending.is_empty() {
            let mut all: Vec<Reverse<Known>> = core::mem::take(&mut self.pending).into_vec();
            all.extend(more);
            self.pending = BinaryHeap::from(all); // heapify: linear time
        } else {
            self.pending.extend(more);
        }
    }

    /// Whether candidates remain (pending or reranked but not returned).
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.known.is_empty()
    }

    /// The next row in exact-distance order with its distance, or `None` when no candidate
    /// is left. `exact(tid)` gives a candidate's exact distance, or `None` for a row the scan
    /// must not return (not visible to it).
    pub fn next(&mut self, batch: usize, mut exact: impl FnMut(HeapTid) -> Option<f64>) -> Option<(HeapTid, f64)> {
        loop {
            if let Some(Reverse(top)) = self.known.peek() {
                let next_bound = self.pending.peek().map(|c| c.0.distance);
                if next_bound.is_none_or(|bound| top.distance <= bound) {
                    let Reverse(row) = self.known.pop().expect("peeked");
                    if !self.relaxed && self.floor.is_some_and(|floor| row.distance < floor) {
                        self.dropped += 1;
                        continue;
                    }
                    self.floor = Some(row.distance);
                    return Some((row.tid, row.distance));
                }
            }
            if self.pending.is_empty() {
                return None;
            }
            for _ in 0..batch.max(1) {
                let Some(Reverse(Known { tid, .. })) = self.pending.pop() else { break };
                self.reranked += 1;
                if let Some(distance) = exact(tid).filter(|d| !d.is_nan()) {
                    self.known.push(Reverse(Known { distance, tid }));
                }
            }
        }
    }
}
