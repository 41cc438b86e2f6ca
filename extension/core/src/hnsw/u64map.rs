//! A small open-addressing hash map from u64 keys to u32 values (linear probing), for element
//! ids on pages: `alloc` has no HashMap, and BTreeMap lookups were a third of on-page insert time.
use alloc::vec;
use alloc::vec::Vec;

#[derive(Clone)]
pub(crate) struct U64Map {
    /// Key + 1, so that 0 marks an empty slot.
    keys: Vec<u64>,
    values: Vec<u32>,
    len: usize,
}

impl U64Map {
    pub(crate) fn new() -> Self {
        U64Map {
            keys: vec![0; 256],
            values: vec![0; 256],
            len: 0,
        }
    }

    #[inline]
    fn slot_of(key: u64, mask: usize) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
    }

    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<u32> {
        let stored = key.wrapping_add(1);
        let mask = self.keys.len() - 1;
        let mut i = Self::slot_of(key, mask);
        loop {
            match self.keys[i] {
                0 => return None,
                k if k == stored => return Some(self.values[i]),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Inserts or overwrites.
    pub(crate) fn insert(&mut self, key: u64, value: u32) {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let stored = key.wrapping_add(1);
        let mask = self.keys.len() - 1;
        let mut i = Self::slot_of(key, mask);
        loop {
            match self.keys[i] {
                0 => {
                    self.keys[i] = stored;
                    self.values[i] = value;
                    self.len += 1;
                    return;
                }
                k if k == stored => {
                    self.values[i] = value;
                    return;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let size = self.keys.len() * 2;
        let keys = core::mem::replace(&mut self.keys, vec![0; size]);
        let values = core::mem::replace(&mut self.values, vec![0; size]);
        self.len = 0;
        for (k, v) in keys.into_iter().zip(values) {
            if k != 0 {
                self.insert(k.wrapping_sub(1), v);
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        if self.len > 0 {
            self.keys.fill(0);
            self.len = 0;
        }
    }

    pub(crate) fn memory_bytes(&self) -> usize {
        self.keys.capacity() * 8 + self.values.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_map() {
        let mut map = U64Map::new();
        for k in 0..5000u64 {
            map.insert(k << 16 | 8, k as u32);
        }
        assert_eq!(map.get(4999 << 16 | 8), Some(4999));
        assert_eq!(map.get(3), None);
        map.insert(8, 77);
        assert_eq!(map.get(8), Some(77));
        map.clear();
        assert_eq!(map.get(8), None);
    }
}
