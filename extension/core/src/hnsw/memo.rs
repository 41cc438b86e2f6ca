//! Distances from the node being inserted, remembered from its search. When the new node links
//! back to a neighbour and that neighbour's full list is re-selected, the heuristic compares the
//! list's members with the new node — and the search has almost always computed exactly those
//! distances already, because it expanded the neighbour and visited its members. About a third
//! of a build's distance computations are such repeats. Distances are symmetric bit for bit
//! (products and squared differences commute), so a remembered value is the value a fresh
//! computation would give, and the graph is unchanged.
use alloc::vec::Vec;

#[derive(Default)]
pub(crate) struct QueryMemo {
    /// Per node: the generation its distance was recorded in (0: never).
    stamps: Vec<u32>,
    distances: Vec<f32>,
    generation: u32,
    /// The node whose search the recorded distances are from, once it is in the graph.
    owner: Option<u32>,
}

impl QueryMemo {
    /// A memo that never remembers: tests compare graphs built with and without one.
    #[cfg(test)]
    pub(crate) fn disabled() -> QueryMemo {
        QueryMemo { generation: u32::MAX, ..QueryMemo::default() }
    }

    /// Forgets every distance: a new search starts (its node has no number yet).
    pub(crate) fn start(&mut self) {
        self.owner = None;
        #[cfg(test)]
        if self.generation == u32::MAX {
            return;
        }
        self.generation = self.generation.wrapping_add(1);
        // 0 means "never recorded" and u32::MAX is the disabled memo of tests: skip both.
        if self.generation == 0 || self.generation == u32::MAX {
            self.stamps.fill(0);
            self.generation = 1;
        }
    }

    /// Makes room for node numbers below `n`.
    pub(crate) fn reserve_ids(&mut self, n: usize) {
        if self.stamps.len() < n {
            let len = n.max(self.stamps.len() * 2);
            self.stamps.resize(len, 0);
            self.distances.resize(len, 0.0);
        }
    }

    #[inline]
    pub(crate) fn record(&mut self, node: u32, distance: f32) {
        if self.generation != 0 && self.generation != u32::MAX {
            self.stamps[node as usize] = self.generation;
            self.distances[node as usize] = distance;
        }
    }

    /// The searched-for node became `owner`; None: the distances are no longer anyone's.
    pub(crate) fn set_owner(&mut self, owner: Option<u32>) {
        self.owner = owner;
    }

    /// The distance between `a` and `b` if one of them is the owner and the other was visited.
    #[inline]
    pub(crate) fn between(&self, a: u32, b: u32) -> Option<f32> {
        let owner = self.owner?;
        let other = if a == owner {
            b
        } else if b == owner {
            a
        } else {
            return None;
        };
        let at = other as usize;
        let recorded = self.generation != 0 && self.generation != u32::MAX;
        (recorded && self.stamps.get(at) == Some(&self.generation)).then(|| self.distances[at])
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.stamps.capacity() * 4 + self.distances.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::QueryMemo;

    #[test]
    fn answers_only_for_the_owner_and_this_search() {
        let mut memo = QueryMemo::default();
        memo.reserve_ids(8);
        memo.start();
        memo.record(3, 1.5);
        assert_eq!(memo.between(7, 3), None, "no owner yet");
        memo.set_owner(Some(7));
        assert_eq!(memo.between(7, 3), Some(1.5));
        assert_eq!(memo.between(3, 7), Some(1.5));
        assert_eq!(memo.between(7, 4), None, "not visited");
        assert_eq!(memo.between(3, 4), None, "owner not involved");
        memo.start();
        memo.set_owner(Some(7));
        assert_eq!(memo.between(7, 3), None, "an earlier search");
    }
}
