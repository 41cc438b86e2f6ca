//! Natively, the buffer each index page was last found in, remembered per backend: Postgres'
//! `ReadRecentBuffer` pins that buffer after checking its tag, which skips the lookup in the
//! shared buffer-mapping hash table — about an eighth of a native hnsw query in perf (a cache
//! miss in a table far larger than the CPU's caches, on every element visited). A hint that went
//! stale (the page was evicted, the index rewritten) fails the tag check and the page is read as
//! usual. Measured on 1,000 debian-minilm queries at ef_search 40 natively: 23% less time per
//! query. (Such hits are not counted in pg_statio's idx_blks_hit, as with every
//! `ReadRecentBuffer` caller.) PGlite's module does not export `ReadRecentBuffer`; being one
//! process, it can read a remembered page without a pin instead (`resident_page`).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use core::cell::RefCell;
    use pgrx::pg_sys::{self, BlockNumber, Buffer, ForkNumber, Oid, Relation};

    /// Pages of an index that get hints (4 bytes each per backend): 256 MB of index pages.
    const MAX_HINTED_BLOCKS: usize = 32_768;

    thread_local! {
        /// Per index (by oid; few per backend): the last buffer of each block, 0 when unknown.
        static HINTS: RefCell<Vec<(Oid, Vec<Buffer>)>> = const { RefCell::new(Vec::new()) };
    }

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
        if fork != ForkNumber::MAIN_FORKNUM || block as usize >= MAX_HINTED_BLOCKS {
            return read();
        }
        unsafe {
            let oid = (*index).rd_id;
            let hint = HINTS.with_borrow(|hints| {
                hints.iter().find(|(o, _)| *o == oid).and_then(|(_, blocks)| blocks.get(block as usize).copied())
            });
            #[cfg(feature = "pg15")]
            let locator = (*index).rd_node;
            #[cfg(not(feature = "pg15"))]
            let locator = (*index).rd_locator;
            if let Some(recent) = hint.filter(|&b| b != 0)
                && ReadRecentBuffer(locator, fork, block, recent)
            {
                return recent;
            }
            let buffer = read();
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
            buffer
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::pin;

/// PGlite: pins as usual; pages are found again through [`resident_page`] instead.
///
/// # Safety
/// As natively.
#[cfg(target_arch = "wasm32")]
pub unsafe fn pin(
    _index: pgrx::pg_sys::Relation,
    _fork: pgrx::pg_sys::ForkNumber::Type,
    _block: pgrx::pg_sys::BlockNumber,
    read: impl FnOnce() -> pgrx::pg_sys::Buffer,
) -> pgrx::pg_sys::Buffer {
    read()
}

#[cfg(target_arch = "wasm32")]
pub use single_process::{remember, resident_page};

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
    use core::cell::RefCell;
    use pgrx::pg_sys::{self, BlockNumber, Buffer, ForkNumber, Oid, Relation};

    /// Pages of an index that get hints (4 bytes each): 256 MB of index pages.
    const MAX_HINTED_BLOCKS: usize = 32_768;
    /// `BM_VALID` and `BM_IO_IN_PROGRESS` of buf_internals.h (the same in PostgreSQL 15–18).
    const BM_VALID: u32 = 1 << 24;
    const BM_IO_IN_PROGRESS: u32 = 1 << 26;

    thread_local! {
        /// Per index (by oid): the shared buffer each block was last read from, 0 when unknown.
        static HINTS: RefCell<Vec<(Oid, Vec<Buffer>)>> = const { RefCell::new(Vec::new()) };
    }

    /// Remembers that `block` of `index`'s main fork was read from `buffer`.
    ///
    /// # Safety
    /// `index` must be open.
    pub unsafe fn remember(index: Relation, fork: ForkNumber::Type, block: BlockNumber, buffer: Buffer) {
        // Local buffers (temporary tables) are negative and not worth it: only shared ones.
        if fork != ForkNumber::MAIN_FORKNUM || buffer <= 0 || block as usize >= MAX_HINTED_BLOCKS {
            return;
        }
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

    /// The page of `block` if the buffer it was last read from still holds it, valid.
    /// Only for reads that finish before anything else calls into Postgres (see the module).
    ///
    /// # Safety
    /// `index` must be open.
    // Not inlined: `PageStore::read` is generic, and each of its many copies would carry this.
    #[inline(never)]
    pub unsafe fn resident_page(index: Relation, fork: ForkNumber::Type, block: BlockNumber) -> Option<pg_sys::Page> {
        if fork != ForkNumber::MAIN_FORKNUM {
            return None;
        }
        unsafe {
            let oid = (*index).rd_id;
            let buffer = HINTS.with_borrow(|hints| {
                hints.iter().find(|(o, _)| *o == oid).and_then(|(_, blocks)| blocks.get(block as usize).copied())
            })?;
            if buffer <= 0 || buffer > pg_sys::NBuffers {
                return None;
            }
            let desc = &(*pg_sys::BufferDescriptors.add(buffer as usize - 1)).bufferdesc;
            let tag = &desc.tag;
            let locator = (*index).rd_locator;
            let state = desc.state.value;
            let holds_it = tag.blockNum == block
                && tag.relNumber == locator.relNumber
                && tag.dbOid == locator.dbOid
                && tag.spcOid == locator.spcOid
                && tag.forkNum == fork
                && state & (BM_VALID | BM_IO_IN_PROGRESS) == BM_VALID;
            holds_it.then(|| super::super::buffer_ffi::BufferGetPage(buffer))
        }
    }
}
