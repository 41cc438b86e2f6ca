//! Crash safety: an insert interrupted after any of its writes leaves a sound index.
use super::data::*;
use crate::hnsw;
use crate::pagestore::{BlockNumber, MemoryPageStore, PAYLOAD_SIZE, PageStore};
use alloc::vec;
use alloc::vec::Vec;

/// Applies the first `writes_left` writes, then "crashes": later writes reach copies that are
/// thrown away. Appends stay durable, as the trait promises.
struct CrashAfter {
    inner: MemoryPageStore,
    writes_left: usize,
}

impl PageStore for CrashAfter {
    fn page_count(&self) -> u32 {
        self.inner.page_count()
    }
    fn read<R>(&self, block: BlockNumber, f: impl FnOnce(&[u8]) -> R) -> R {
        self.inner.read(block, f)
    }
    fn write<R>(&mut self, blocks: &[BlockNumber], f: impl FnOnce(&mut [&mut [u8]]) -> R) -> R {
        if self.writes_left > 0 {
            self.writes_left -= 1;
            return self.inner.write(blocks, f);
        }
        let mut copies: Vec<Vec<u64>> = blocks
            .iter()
            .map(|&b| {
                let mut words = vec![0u64; PAYLOAD_SIZE / 8];
                self.inner.read(b, |p| {
                    for (w, chunk) in words.iter_mut().zip(p.chunks_exact(8)) {
                        *w = u64::from_le_bytes(chunk.try_into().unwrap());
                    }
                });
                words
            })
            .collect();
        let mut pages: Vec<&mut [u8]> = copies
            .iter_mut()
            // SAFETY: u64 words viewed as bytes; alignment and length carry over.
            .map(|w| unsafe {
                core::slice::from_raw_parts_mut(w.as_mut_ptr().cast::<u8>(), w.len() * 8)
            })
            .collect();
        f(&mut pages)
    }
    fn append(&mut self) -> BlockNumber {
        self.inner.append()
    }
}

#[test]
fn interrupted_inserts_leave_a_sound_index() {
    let mut source = Clustered::new(41, 16, 4);
    let data = source.take(260);
    let mut base = new_store();
    insert_rows(&mut base, &data, 0, 250);
    // Vectors large enough for continuation pages, too.
    let big: Vec<f32> = (0..4000).map(|i| (i % 7) as f32).collect();
    let mut crash_points = 0;
    for (extra, row_vector) in data.iter().enumerate().filter(|&(i, _)| i >= 250) {
        let vector = if extra % 3 == 0 {
            big.clone()
        } else {
            row_vector.clone()
        };
        for writes in 0.. {
            let mut store = CrashAfter {
                inner: base.clone(),
                writes_left: writes,
            };
            let _ = hnsw::insert(&mut store, &L2, &bytes(&vector), tid(extra));
            let finished = store.writes_left > 0;
            // The row is in the heap whether or not its index entry made it.
            assert_sound(&store.inner, &|i| i < 250 || i == extra);
            crash_points += 1;
            if finished {
                break;
            }
        }
    }
    assert!(crash_points > 50, "{crash_points} crash points");
}
