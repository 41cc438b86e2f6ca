//! Pages a search is about to read, pinned a step ahead. A search step visits a dozen or so
//! elements on as many pages; reading them one after another makes each page's first cache miss
//! wait for the previous one (perf put a third of a native query in that first touch). So
//! `PageStore::prefetch` pins each page at once and asks the CPU for the bytes the visit reads
//! first; the `read` that follows finds the pin here and only takes the share lock.
//!
//! PGlite does not prefetch (see `BufferPageStore::prefetch`): wasm has no prefetch instruction,
//! and pinning pages early measured slower there, also with loads standing in for prefetches
//! (debian-minilm at ef_search 40: 1.33 ms a query against 1.19, pinning at most 6 pages ahead;
//! 1.75 ms pinning up to 64, past the 8 pins Postgres tracks without a hash table). Loading the
//! records from the buffer each page was last found in, without a pin, measured no faster
//! either (0.96–1.07× the time in alternating rounds).

use super::buffer_ffi;
use core::cell::RefCell;
use pgrx::pg_sys;
use ruvector_core::pagestore::BlockNumber;

/// More pins than a search step needs (2m = 32 neighbours at m = 16, up to 200 at m = 100):
/// past this, pages are simply read when visited.
const MAX_PINS: usize = 64;

/// Bytes fetched from the record's start: the header line the visit reads first. More (the
/// lists, the vector's first lines) measured no faster: a dozen pages' worth of prefetches
/// already fill the CPU's miss buffers.
const FETCH_BYTES: usize = 64;

#[derive(Default)]
pub struct Prefetched {
    pins: RefCell<Vec<(BlockNumber, pg_sys::Buffer)>>,
}

impl Prefetched {
    /// Pins `block` (already pinned: nothing) and fetches `len` bytes at `payload_offset`.
    ///
    /// # Safety
    /// `read` must pin `block` of the store's relation and fork.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // PGlite does not prefetch
    pub unsafe fn pin(&self, block: BlockNumber, payload_offset: usize, read: impl FnOnce() -> pg_sys::Buffer) {
        let mut pins = self.pins.borrow_mut();
        if pins.len() >= MAX_PINS || pins.iter().any(|&(b, _)| b == block) {
            return;
        }
        let buffer = read();
        pins.push((block, buffer));
        unsafe {
            let page = super::buffer_ffi::BufferGetPage(buffer).cast::<u8>();
            let start = super::page_store::PAGE_HEADER_SIZE + payload_offset;
            let end = (start + FETCH_BYTES).min(pg_sys::BLCKSZ as usize);
            // The pinned page's bytes stay put until the pin is released.
            ruvector_core::prefetch::prefetch(core::slice::from_raw_parts(page.add(start), end.saturating_sub(start)));
        }
    }

    /// The pin taken on `block` ahead of this read, handed over to the caller (who releases it).
    pub fn take(&self, block: BlockNumber) -> Option<pg_sys::Buffer> {
        let mut pins = self.pins.borrow_mut();
        let at = pins.iter().position(|&(b, _)| b == block)?;
        Some(pins.swap_remove(at).1)
    }
}

impl Drop for Prefetched {
    /// Pins no read took (a search that stopped on an error): released, as Postgres would only
    /// do at the end of the transaction, with a leak warning.
    fn drop(&mut self) {
        for (_, buffer) in self.pins.get_mut().drain(..) {
            unsafe { buffer_ffi::ReleaseBuffer(buffer) };
        }
    }
}
