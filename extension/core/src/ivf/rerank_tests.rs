//! The staged [`Reranker`] (a heap of the nearest few hundred candidates, the rest unordered)
//! against the plain one it replaced (every candidate in one heap): the same rows in the same
//! order with the same counts, whatever the candidates, batches and later additions.
use super::HeapTid;
use super::rerank::Reranker;
use crate::testutil::Rng;
use alloc::collections::BinaryHeap;
use alloc::vec::Vec;
use core::cmp::Reverse;

/// The previous implementation, kept as the reference: (lower bound or exact distance, tid)
/// ordered by `f64::total_cmp`, then tid.
#[derive(Default)]
struct PlainReranker {
    pending: BinaryHeap<Reverse<(Total, HeapTid)>>,
    known: BinaryHeap<Reverse<(Total, HeapTid)>>,
    floor: Option<f64>,
    relaxed: bool,
    reranked: u64,
    dropped: u64,
}

#[derive(Clone, Copy, PartialEq)]
struct Total(f64);
impl Eq for Total {}
impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Total {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl PlainReranker {
    fn add(&mut self, candidates: &[(HeapTid, f64)]) {
        self.pending.extend(candidates.iter().map(|&(tid, lower)| Reverse((Total(lower), tid))));
    }

    fn next(&mut self, batch: usize, mut exact: impl FnMut(HeapTid) -> Option<f64>) -> Option<(HeapTid, f64)> {
        loop {
            if let Some(Reverse((top, _))) = self.known.peek() {
                let next_bound = self.pending.peek().map(|c| (c.0).0);
                if next_bound.is_none_or(|bound| top.0 <= bound.0) {
                    let Reverse((Total(distance), tid)) = self.known.pop().unwrap();
                    if !self.relaxed && self.floor.is_some_and(|floor| distance < floor) {
                        self.dropped += 1;
                        continue;
                    }
                    self.floor = Some(distance);
                    return Some((tid, distance));
                }
            }
            if self.pending.is_empty() {
                return None;
            }
            for _ in 0..batch.max(1) {
                let Some(Reverse((_, tid))) = self.pending.pop() else { break };
                self.reranked += 1;
                if let Some(distance) = exact(tid).filter(|d| !d.is_nan()) {
                    self.known.push(Reverse((Total(distance), tid)));
                }
            }
        }
    }
}

/// Candidates with bounds drawn from few distinct values (ties), a spread of values, NaN and
/// negative bounds; tids unique within a run.
fn candidates(rng: &mut Rng, count: usize, first_tid: u32) -> Vec<(HeapTid, f64)> {
    (0..count as u32)
        .map(|i| {
            let bound = match rng.below(20) {
                0 => f64::NAN,
                1 => -1.0,
                2..=5 => rng.below(4) as f64 * 0.25,
                _ => rng.unit().abs() as f64 * 3.0,
            };
            (HeapTid { block: first_tid + i, offset: 1 + rng.below(3) as u16 }, bound)
        })
        .collect()
}

#[test]
fn staged_reranker_returns_what_the_plain_heap_returned() {
    let mut rng = Rng::new(17);
    for round in 0..60 {
        let size = [0, 1, 100, 1023, 1025, 5000, 20000][round % 7];
        let batch = [1, 8, 20, 100][round % 4];
        let relaxed = round % 3 == 0;
        // Exact distances: the bound plus noise, sometimes below the bound (a failed bound),
        // sometimes invisible (None) or NaN; deterministic per tid so both see the same.
        let exact = |tid: HeapTid| -> Option<f64> {
            let h = (tid.block as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            match h % 25 {
                0 => None,
                1 => Some(f64::NAN),
                k => Some((tid.block % 997) as f64 * 0.003 + k as f64 * 0.01 - 0.05),
            }
        };
        let (mut staged, mut plain) = (Reranker::default(), PlainReranker::default());
        (staged.relaxed, plain.relaxed) = (relaxed, relaxed);
        let first = candidates(&mut rng, size, 0);
        staged.add(first.iter().copied());
        plain.add(&first);
        let mut rows = 0;
        // Take rows; now and then add a later batch (an iterative scan's next lists).
        for step in 0.. {
            let (a, b) = (staged.next(batch, exact), plain.next(batch, exact));
            assert_eq!(a.map(|(t, d)| (t, d.to_bits())), b.map(|(t, d)| (t, d.to_bits())), "round {round} step {step}");
            if a.is_some() {
                rows += 1;
            } else if step >= 600 {
                break;
            }
            if step % 97 == 50 && step < 600 {
                let more = candidates(&mut rng, [10, 3000][step % 2], 1_000_000 + step as u32 * 10_000);
                staged.add(more.iter().copied());
                plain.add(&more);
            }
        }
        assert_eq!((staged.reranked, staged.dropped), (plain.reranked, plain.dropped), "round {round}");
        assert!(staged.is_empty(), "round {round}");
        assert!(size < 100 || rows > 0, "round {round}: no rows");
    }
}
