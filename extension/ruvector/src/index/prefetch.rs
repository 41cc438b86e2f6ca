//! Pages a search is about to read, pinned a step ahead. A search step visits a dozen or so
//! elements on as many pages; reading them one after another makes each page's first cache miss
//! wait for the previous one (perf put a third of a native query in that first touch). So
//! `PageStore::prefetch` pins each page at once and asks the CPU for the bytes the visit will
//! read (the whole record: header, lists, vector); the `read` that follows finds the pin here
//! and only takes the share lock.
//!
//! Asking for the whole record rather than its header line: debian-minilm at ef_search 40,
//! 1,839 → 2,427 queries a second natively. (In the float4 days, before hnsw format 2, more
//! than the header measured no faster; bfloat16 records are half the lines.)
//!
//! PGlite does not pin ahead: pinning pages early measured slower there (debian-minilm at
//! ef_search 40: 1.33 ms a query against 1.19, pinning at most 6 pages ahead; 1.75 ms pinning up
//! to 64, past the 8 pins Postgres tracks without a hash table). It touches the records of
//! pages it has read before in their buffers instead, without pins (`recent_buffers`).

use super::buffer_ffi;
use core::cell::RefCell;
use pgrx::pg_sys;
use ruvector_core::pagestore::BlockNumber;

/// More pins than a search step needs (2m = 32 neighbours at m = 16, up to 200 at m = 100):
/// past this, pages are simply read when visited.
const MAX_PINS: usize = 64;

#[derive(Default)]
pub struct Prefetched {
    pins: RefCell<Vec<(BlockNumber, pg_sys::Buffer)>>,
}

impl Prefetched {
    /// Pins `block` (unless pinned already) and fetches `len` bytes at `payload_offset`.
    ///
    /// # Safety
    /// `read` must pin `block` of the store's relation and fork.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // PGlite does not pin ahead
    pub unsafe fn pin(&self, block: BlockNumber, payload_offset: usize, len: usize, read: impl FnOnce() -> pg_sys::Buffer) {
        let mut pins = self.pins.borrow_mut();
        let buffer = match pins.iter().find(|&&(b, _)| b == block) {
            // Another element of a page pinned for this step: its bytes are wanted too.
            Some(&(_, buffer)) => buffer,
            None if pins.len() >= MAX_PINS => return,
            None => {
                let buffer = read();
                pins.push((block, buffer));
                buffer
            }
        };
        unsafe {
            let page = super::buffer_ffi::BufferGetPage(buffer).cast::<u8>();
            let start = (super::page_store::PAGE_HEADER_SIZE + payload_offset).min(pg_sys::BLCKSZ as usize);
            let end = (start + len).min(pg_sys::BLCKSZ as usize);
            // The pinned page's bytes stay put until the pin is released.
            ruvector_core::prefetch::prefetch(core::slice::from_raw_parts(page.add(start), end - start));
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
