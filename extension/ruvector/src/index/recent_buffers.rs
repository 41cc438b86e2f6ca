//! The shared buffer each index page was last found in, remembered per backend, and what the
//! page store does with it:
//!
//! - **Natively**, Postgres' `ReadRecentBuffer` pins that buffer after checking its tag, which
//!   skips the lookup in the shared buffer-mapping hash table — about an eighth of a native hnsw
//!   query in perf (a cache miss in a table far larger than the CPU's caches, on every element
//!   visited). A hint that went stale (the page was evicted, the index rewritten) fails the tag
//!   check and the page is read as usual. Measured on 1,000 debian-minilm queries at
//!   ef_search 40 natively: 23% less time per query. (Such hits are not counted in pg_statio's
//!   idx_blks_hit, as with every `ReadRecentBuffer` caller.)
//! - **In PGlite**, whose module does not export `ReadRecentBuffer`, a remembered page is read
//!   straight from its buffer once the buffer's descriptor shows the same tag
//!   ([`resident_page`]): being one process, it needs no pin there.
//! - **On both**, [`prefetch`] asks the CPU for a page's bytes (and its descriptor's, which the
//!   read will check) through the hint, without pinning anything.

use core::cell::RefCell;
use pgrx::pg_sys::{self, BlockNumber, Buffer, ForkNumber, Oid, Relation};

/// Pages of an index that get hints (4 bytes each per backend): 256 MB of index pages.
const MAX_HINTED_BLOCKS: usize = 32_768;

thread_local! {
    /// Per index (by oid; few per backend): the shared buffer of each block, 0 when unknown.
    static HINTS: RefCell<Vec<(Oid, Vec<Buffer>)>> = const { RefCell::new(Vec::new()) };
}

/// The buffer `block` of `index`'s main fork was last found in, if any: only a hint, whose
/// buffer may hold another page by now. Always a valid shared buffer number.
#[inline]
fn hint(index: Relation, fork: ForkNumber::Type, block: BlockNumber) -> Option<Buffer> {
    if fork != ForkNumber::MAIN_FORKNUM {
        return None;
    }
    // SAFETY: callers hold `index` open.
    let oid = unsafe { (*index).rd_id };
    let buffer = HINTS.with_borrow(|hints| {
        hints.iter().find(|(o, _)| *o == oid).and_then(|(_, blocks)| blocks.get(block as usize).copied())
    })?;
    // SAFETY: NBuffers is set once at startup.
    (buffer > 0 && buffer <= unsafe { pg_sys::NBuffers }).then_some(buffer)
}

/// Remembers that `block` of `index` was found in `buffer`.
fn remember(index: Relation, fork: ForkNumber::Type, block: BlockNumber, buffer: Buffer) {
    // Local buffers (temporary tables) are negative and not worth it: only shared ones.
    if fork != ForkNumber::MAIN_FORKNUM || buffer <= 0 || block as usize >= MAX_HINTED_BLOCKS {
        return;
    }
    // SAFETY: callers hold `index` open.
    let oid = unsafe { (*index).rd_id };
    HINTS.with_borrow_mut(|hints| {
        let at = match hints.iter().position(|(o, _)| *o == oid) {
            Some(at) => at,
            None => {
                hints.push((oid, Vec::new()));
                hints.len() - 1
            }
        };
        let blocks = &mut hints[at].1;
        if blocks.len() <= block as usize {
            blocks.resize(block as usize + 1, 0);
        }
        blocks[block as usize] = buffer;
    });
}

/// The descriptor of shared buffer `buffer` (1-based), computed as the C macro does: pgrx
/// binds `GetBufferDescriptor` to a C shim behind a guarded call (see buffer_ffi's
/// `BufferGetPage`).
///
/// # Safety
/// `buffer` must be in 1..=NBuffers.
#[inline]
unsafe fn descriptor(buffer: Buffer) -> *const pg_sys::BufferDesc {
    unsafe { &raw const (*pg_sys::BufferDescriptors.add(buffer as usize - 1)).bufferdesc }
}

/// Asks the CPU for `len` payload bytes from `offset` of `block`, for the page's first line
/// (its kind and free space, which a read checks first) and for its buffer's descriptor (which
/// the read's tag check or pin looks at), through the block's hint. Nothing is pinned: the
/// addresses lie in the buffer pool, which stays mapped, and a prefetch of a buffer that holds
/// another page by now only wastes the fetch (a prefetch never faults natively; in PGlite it is
/// a load inside linear memory). Without a hint (the page's first read in this backend) it
/// does nothing.
///
/// Why no pin: pinning each page a step ahead cost a `ReadRecentBuffer` per neighbour, each
/// an atomic operation on a descriptor that was not in cache, one after another (13% of a
/// native query in perf, `LockBufHdr` 5% more).
///
/// # Safety
/// `index` must be open.
pub unsafe fn prefetch(index: Relation, fork: ForkNumber::Type, block: BlockNumber, offset: usize, len: usize) {
    let Some(buffer) = hint(index, fork, block) else { return };
    let block_size = pg_sys::BLCKSZ as usize;
    unsafe {
        let desc = descriptor(buffer).cast::<u8>();
        ruvector_core::prefetch::prefetch(core::slice::from_raw_parts(desc, 1));
        // Only the address (no pin: nothing here reads what the page holds).
        let page = super::buffer_ffi::BufferGetPage(buffer).cast::<u8>();
        let start = (super::page_store::PAGE_HEADER_SIZE + offset).min(block_size);
        let end = (start + len).min(block_size);
        ruvector_core::prefetch::prefetch(core::slice::from_raw_parts(page, 1));
        ruvector_core::prefetch::prefetch(core::slice::from_raw_parts(page.add(start), end - start));
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use pgrx::pg_sys::{self, BlockNumber, Buffer, ForkNumber, Relation};

    #[cfg(feature = "pg15")]
    unsafe extern "C" {
        /// Bound unguarded as the other hot-path buffer calls are (see buffer_ffi): it raises
        /// no ERROR of its own.
        fn ReadRecentBuffer(node: pg_sys::RelFileNode, fork: ForkNumber::Type, block: BlockNumber, recent: Buffer) -> bool;
    }
    #[cfg(not(feature = "pg15"))]
    unsafe extern "C" {
        fn ReadRecentBuffer(locator: pg_sys::RelFileLocator, fork: ForkNumber::Type, block: BlockNumber, recent: Buffer) -> bool;
    }

    /// Pins `block` through its remembered buffer, or by `read` (which must pin it) and
    /// remembers where it was found.
    ///
    /// # Safety
    /// `index` must be open; `read` must pin `block` of `index`'s `fork`.
    pub unsafe fn pin(index: Relation, fork: ForkNumber::Type, block: BlockNumber, read: impl FnOnce() -> Buffer) -> Buffer {
        unsafe {
            #[cfg(feature = "pg15")]
            let locator = (*index).rd_node;
            #[cfg(not(feature = "pg15"))]
            let locator = (*index).rd_locator;
            if let Some(recent) = super::hint(index, fork, block)
                && ReadRecentBuffer(locator, fork, block, recent)
            {
                return recent;
            }
            let buffer = read();
            super::remember(index, fork, block, buffer);
            buffer
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::pin;

/// PGlite: pins by `read` and remembers where the page was found, for [`resident_page`].
///
/// # Safety
/// As natively.
#[cfg(target_arch = "wasm32")]
pub unsafe fn pin(index: Relation, fork: ForkNumber::Type, block: BlockNumber, read: impl FnOnce() -> Buffer) -> Buffer {
    let buffer = read();
    remember(index, fork, block, buffer);
    buffer
}

#[cfg(target_arch = "wasm32")]
pub use single_process::resident_page;

/// PGlite, where `ReadRecentBuffer` is not exported: a page found before is read straight from
/// the buffer it was found in, without a pin or a content lock, once the buffer's descriptor
/// says it still holds that page.
///
/// Why this is sound there and only there: PGlite is one backend in single-user mode
/// (`--single`, `io_method=sync`, no worker processes) on one thread. Pins and content locks
/// keep *other* processes from evicting or changing a page while it is read; there are none.
/// Between the descriptor check and the end of the caller's closure (core code that only reads
/// the page and never calls into Postgres) nothing else runs in this process, so the buffer can
/// neither be evicted nor written. A check that fails (evicted, reindexed, another relation
/// now in that buffer, I/O not finished) falls back to the normal read.
///
/// What it saves: the buffer-mapping hash lookup, the pin and the share lock with their
/// releases, 12% of a debian-minilm query at ef_search 40 in a V8 profile.
/// What it costs: such reads neither bump the buffer's usage count nor count in pg_statio
/// (as natively with `ReadRecentBuffer`), so under pressure on shared_buffers a hot index
/// page ages like an unread one; it is then read normally again and found anew.
#[cfg(target_arch = "wasm32")]
mod single_process {
    use pgrx::pg_sys::{self, BlockNumber, ForkNumber, Relation};

    /// `BM_VALID` and `BM_IO_IN_PROGRESS` of buf_internals.h (PostgreSQL 18, PGlite's).
    const BM_VALID: u32 = 1 << 24;
    const BM_IO_IN_PROGRESS: u32 = 1 << 26;

    /// The page of `block` if the buffer it was last read from still holds it, valid.
    /// Only for reads that finish before anything else calls into Postgres (see the module).
    ///
    /// # Safety
    /// `index` must be open.
    // Not inlined: `PageStore::read` is generic, and each of its many copies would carry this.
    #[inline(never)]
    pub unsafe fn resident_page(index: Relation, fork: ForkNumber::Type, block: BlockNumber) -> Option<pg_sys::Page> {
        let buffer = super::hint(index, fork, block)?;
        unsafe {
            let desc = &*super::descriptor(buffer);
            let tag = &desc.tag;
            let locator = (*index).rd_locator;
            let state = desc.state.value;
            let holds_it = tag.blockNum == block
                && tag.relNumber == locator.relNumber
                && tag.dbOid == locator.dbOid
                && tag.spcOid == locator.spcOid
                && tag.forkNum == fork
                && state & (BM_VALID | BM_IO_IN_PROGRESS) == BM_VALID;
            holds_it.then(|| crate::index::buffer_ffi::BufferGetPage(buffer))
        }
    }
}
