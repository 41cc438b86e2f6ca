//! Storage of index pages, abstracted so the index algorithms run unchanged on Postgres
//! shared buffers (native and PGlite) and on plain memory in tests.
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Bytes of an 8 KB Postgres page left to an index after Postgres' 24-byte page header.
pub const PAYLOAD_SIZE: usize = 8192 - 24; // 8168, a multiple of 8
pub type BlockNumber = u32;

const PAYLOAD_WORDS: usize = PAYLOAD_SIZE / 8;

/// Where index pages live. Native/PGlite: shared buffers + GenericXLog; tests: memory.
/// Payload slices are exactly PAYLOAD_SIZE bytes and 8-byte aligned.
///
/// Callers never nest calls: no `read`/`write`/`append` from inside a `read`/`write`
/// closure, because the Postgres implementation holds buffer locks meanwhile.
pub trait PageStore {
    fn page_count(&self) -> u32;
    /// Calls f with a read-only view of the page (implementations hold a share lock meanwhile).
    fn read<R>(&self, block: BlockNumber, f: impl FnOnce(&[u8]) -> R) -> R;
    /// Changes up to 4 distinct pages atomically (one WAL record). Blocks must be distinct and < page_count().
    /// `f` gets the pages in the order of `blocks` (implementations hold exclusive locks meanwhile).
    /// Core validates pages inside `f` before it changes them and may return an `Err` from it;
    /// then nothing was changed, except in VACUUM's page-wide passes, where every record
    /// changed before the damaged one is consistent on its own. So implementations can always
    /// finish (log) what `f` did.
    fn write<R>(&mut self, blocks: &[BlockNumber], f: impl FnOnce(&mut [&mut [u8]]) -> R) -> R;
    /// Appends a new all-zero page (durably), returns its number.
    fn append(&mut self) -> BlockNumber;
    /// A hint that `read(block)` comes soon and will look at the `len` payload bytes from
    /// `offset`: a store in shared buffers can have the CPU fetch those bytes now, so that the
    /// cache misses of the several pages a search step reads overlap instead of following one
    /// another. Never required for correctness; `offset + len` may lie past
    /// the payload (the store clamps).
    fn prefetch(&self, block: BlockNumber, offset: usize, len: usize) {
        let _ = (block, offset, len);
    }
}

/// The store's page count, asked again only when a block past the last known end comes up
/// (concurrent inserts append pages): in Postgres `page_count` is an lseek(), far too slow to
/// make on every read of a search or a list walk. Pages are never truncated while in use.
#[derive(Default)]
pub struct BlockLimit(core::cell::Cell<u32>);

impl BlockLimit {
    /// Whether `block` exists.
    pub fn contains(&self, store: &impl PageStore, block: BlockNumber) -> bool {
        if block < self.0.get() {
            return true;
        }
        self.0.set(store.page_count());
        block < self.0.get()
    }

    /// Whether `block` exists as far as is already known (never asks the store).
    pub fn known(&self, block: BlockNumber) -> bool {
        block < self.0.get()
    }

    /// Whether a walk of `steps` pages can still be acyclic: no chain is longer than the store.
    pub fn within(&self, store: &impl PageStore, steps: u32) -> bool {
        if steps > self.0.get() {
            self.0.set(store.page_count());
        }
        steps <= self.0.get()
    }
}

/// An in-memory PageStore for tests and for anyone who wants one.
/// Pages are arrays of u64 so that their bytes are 8-aligned, as the trait promises.
#[derive(Clone, Default)]
pub struct MemoryPageStore {
    pages: Vec<Box<[u64; PAYLOAD_WORDS]>>,
}

impl MemoryPageStore {
    pub fn new() -> Self {
        MemoryPageStore { pages: Vec::new() }
    }

    /// Direct mutable access to one page, outside any atomic write: for tests that corrupt pages.
    pub fn page_mut(&mut self, block: BlockNumber) -> &mut [u8] {
        words_as_bytes_mut(&mut self.pages[block as usize][..])
    }

    /// The whole store as bytes, page after page: lets tests compare two indexes byte for byte.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.pages.len() * PAYLOAD_SIZE);
        for page in &self.pages {
            out.extend_from_slice(words_as_bytes(&page[..]));
        }
        out
    }
}

impl PageStore for MemoryPageStore {
    fn page_count(&self) -> u32 {
        self.pages.len() as u32
    }

    fn read<R>(&self, block: BlockNumber, f: impl FnOnce(&[u8]) -> R) -> R {
        f(words_as_bytes(&self.pages[block as usize][..]))
    }

    fn write<R>(&mut self, blocks: &[BlockNumber], f: impl FnOnce(&mut [&mut [u8]]) -> R) -> R {
        assert!(blocks.len() <= 4, "at most 4 pages per atomic write");
        // Hand out disjoint &mut slices without unsafe: visit the blocks in ascending
        // order, splitting the page list as we go, then put them back in caller order.
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&i| blocks[i]);
        let mut slots: Vec<Option<&mut [u8]>> = (0..blocks.len()).map(|_| None).collect();
        let mut rest: &mut [Box<[u64; PAYLOAD_WORDS]>] = &mut self.pages[..];
        let mut consumed = 0usize;
        for &i in &order {
            let block = blocks[i] as usize;
            assert!(block >= consumed, "blocks of one write must be distinct");
            let (_, tail) = core::mem::take(&mut rest).split_at_mut(block - consumed);
            let (page, tail) = tail.split_first_mut().expect("block beyond the store");
            slots[i] = Some(words_as_bytes_mut(&mut page[..]));
            rest = tail;
            consumed = block + 1;
        }
        let mut pages: Vec<&mut [u8]> = slots.into_iter().map(|p| p.unwrap()).collect();
        f(&mut pages)
    }

    fn append(&mut self) -> BlockNumber {
        self.pages.push(Box::new([0u64; PAYLOAD_WORDS]));
        (self.pages.len() - 1) as BlockNumber
    }
}

/// u64 words viewed as their bytes (pages and aligned buffers are kept as words for alignment).
#[inline]
pub(crate) fn words_as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY: u8 has no alignment or validity requirements and the length covers the same memory.
    unsafe { core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
}

#[inline]
pub(crate) fn words_as_bytes_mut(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: as above; the exclusive borrow is carried over to the result.
    unsafe { core::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_hands_out_pages_in_caller_order() {
        let mut store = MemoryPageStore::new();
        for _ in 0..6 {
            store.append();
        }
        store.write(&[4, 1, 3], |pages| {
            pages[0][0] = 40;
            pages[1][0] = 10;
            pages[2][0] = 30;
        });
        for (block, want) in [(0, 0), (1, 10), (2, 0), (3, 30), (4, 40), (5, 0)] {
            assert_eq!(store.read(block, |p| p[0]), want);
        }
        assert_eq!(store.read(2, |p| p.as_ptr() as usize % 8), 0);
        assert_eq!(store.read(2, |p| p.len()), PAYLOAD_SIZE);
    }
}
