//! Visited sets for graph traversals.
use alloc::vec;
use alloc::vec::Vec;

/// An open-addressing set of u64 keys (linear probing), for element ids on pages, where
/// keys are sparse. Key + 1 is stored so that 0 marks an empty slot.
#[derive(Clone)]
pub(crate) struct U64Set {
    slots: Vec<u64>,
    len: usize,
}

impl U64Set {
    /// Starts at 2048 slots (16 KB): a typical search visits several hundred elements, and
    /// growing by rehashing from a tiny table cost more than the search's distances.
    pub(crate) fn new() -> Self {
        U64Set {
            slots: vec![0; 2048],
            len: 0,
        }
    }

    #[inline]
    fn slot_of(key: u64, mask: usize) -> usize {
        // Fibonacci hashing: the element keys are (block << 16 | offset), far from uniform.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
    }

    /// Adds the key; true if it was not there before.
    pub(crate) fn insert(&mut self, key: u64) -> bool {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let stored = key.wrapping_add(1);
        let mask = self.slots.len() - 1;
        let mut i = Self::slot_of(key, mask);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = stored;
                    self.len += 1;
                    return true;
                }
                s if s == stored => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    pub(crate) fn contains(&self, key: u64) -> bool {
        let stored = key.wrapping_add(1);
        let mask = self.slots.len() - 1;
        let mut i = Self::slot_of(key, mask);
        loop {
            match self.slots[i] {
                0 => return false,
                s if s == stored => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let doubled = vec![0; self.slots.len() * 2];
        let old = core::mem::replace(&mut self.slots, doubled);
        self.len = 0;
        for s in old {
            if s != 0 {
                self.insert(s.wrapping_sub(1));
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.slots.fill(0);
            self.len = 0;
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.slots.capacity() * 8
    }
}

/// A visited set over dense element numbers: one stamp per element, and clearing is a
/// generation bump instead of a memset, so each search starts in O(1).
pub(crate) struct StampSet {
    stamps: Vec<u32>,
    generation: u32,
}

impl StampSet {
    pub(crate) fn new() -> Self {
        StampSet {
            stamps: Vec::new(),
            generation: 1,
        }
    }

    /// Makes room for element numbers below `n`.
    pub(crate) fn reserve_ids(&mut self, n: usize) {
        if self.stamps.len() < n {
            self.stamps.resize(n.max(self.stamps.len() * 2), 0);
        }
    }

    #[inline]
    pub(crate) fn insert(&mut self, id: u32) -> bool {
        let slot = &mut self.stamps[id as usize];
        if *slot == self.generation {
            return false;
        }
        *slot = self.generation;
        true
    }

    pub(crate) fn clear(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Wrapped: old stamps could collide with new generations.
            self.stamps.fill(0);
            self.generation = 1;
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.stamps.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u64_set_behaves_like_a_set() {
        let mut set = U64Set::new();
        for k in 0..10_000u64 {
            assert!(set.insert(k * 65536 + 8));
        }
        assert!(!set.insert(8));
        assert!(set.contains(9_999 * 65536 + 8));
        assert!(!set.contains(7));
        assert!(set.insert(u64::MAX - 1));
        assert_eq!(set.len(), 10_001);
        set.clear();
        assert!(!set.contains(8));
        assert!(set.insert(0));
    }

    #[test]
    fn stamp_set_clears_by_generation() {
        let mut set = StampSet::new();
        set.reserve_ids(10);
        assert!(set.insert(3));
        assert!(!set.insert(3));
        set.clear();
        assert!(set.insert(3));
    }
}
