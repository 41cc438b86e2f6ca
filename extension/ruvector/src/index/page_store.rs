//! The core's `PageStore` over Postgres shared buffers, for every index access method.
//!
//! Each index page is a standard Postgres page whose whole content is the "special space"
//! (`PageInit(page, BLCKSZ, PAYLOAD_SIZE)`): pd_lower = pd_upper = pd_special = 24, so page
//! checksums, `pageinspect` and GenericXLog's hole compression all see a valid, hole-free page,
//! and the core gets the 8,168 bytes after the header.
//!
//! Changes are WAL-logged through GenericXLog (one record per `write`, up to 4 pages, so the
//! core can make multi-page changes atomic), which makes crash recovery and streaming replicas
//! work without a resource manager of our own. Index builds write without WAL and log every page
//! once at the end with `log_newpage_range`, as Postgres' own AMs do.

use super::buffer_ffi;
use super::recent_buffers;
use pgrx::pg_sys;
use ruvector_core::pagestore::{BlockNumber, PAYLOAD_SIZE, PageStore};

pub(super) const PAGE_HEADER_SIZE: usize = pg_sys::BLCKSZ as usize - PAYLOAD_SIZE;
const _: () = assert!(PAGE_HEADER_SIZE == 24);
/// Most pages one GenericXLog record can hold (MAX_GENERIC_XLOG_PAGES).
const MAX_PAGES_PER_WRITE: usize = 4;

pub struct BufferPageStore {
    index: pg_sys::Relation,
    fork: pg_sys::ForkNumber::Type,
    wal: bool,
}

impl BufferPageStore {
    /// A store whose writes are WAL-logged as they happen (inserts, vacuum).
    ///
    /// # Safety
    /// `index` must stay open and suitably locked for the store's lifetime.
    pub unsafe fn logged(index: pg_sys::Relation) -> Self {
        BufferPageStore { index, fork: pg_sys::ForkNumber::MAIN_FORKNUM, wal: true }
    }

    /// A store for a build: no WAL per write; call [`log_all`](Self::log_all) when done.
    ///
    /// # Safety
    /// As for [`logged`](Self::logged); nobody else may see the relation yet (CREATE INDEX).
    pub unsafe fn unlogged_build(index: pg_sys::Relation, fork: pg_sys::ForkNumber::Type) -> Self {
        BufferPageStore { index, fork, wal: false }
    }

    /// WAL-logs every page of the fork (full images) if the relation needs WAL; the end of a build.
    pub fn log_all(&self) {
        unsafe {
            let needs_wal = (*(*self.index).rd_rel).relpersistence
                == pg_sys::RELPERSISTENCE_PERMANENT as core::ffi::c_char;
            if needs_wal || self.fork == pg_sys::ForkNumber::INIT_FORKNUM {
                pg_sys::log_newpage_range(self.index, self.fork, 0, self.page_count(), true);
            }
        }
    }

    fn read_buffer(&self, block: BlockNumber) -> pg_sys::Buffer {
        unsafe {
            pg_sys::ReadBufferExtended(
                self.index,
                self.fork,
                block,
                pg_sys::ReadBufferMode::RBM_NORMAL,
                core::ptr::null_mut(),
            )
        }
    }
}

/// The payload of a page; a never-initialised (all-zero) page reads as all-zero payload, which
/// the core treats as an unused page (a crash can leave one after a relation extension).
unsafe fn payload<'a>(page: pg_sys::Page) -> &'a mut [u8] {
    unsafe { core::slice::from_raw_parts_mut(page.cast::<u8>().add(PAGE_HEADER_SIZE), PAYLOAD_SIZE) }
}

unsafe fn init_if_new(page: pg_sys::Page) {
    unsafe {
        let header = page.cast::<pg_sys::PageHeaderData>();
        if (*header).pd_upper == 0 {
            pg_sys::PageInit(page, pg_sys::BLCKSZ as usize, PAYLOAD_SIZE);
        }
    }
}

impl BufferPageStore {
    /// Pins the page without a lock, by unguarded calls (see buffer_ffi), through the buffer
    /// it was last found in when there is one (see recent_buffers).
    unsafe fn pin(&self, block: BlockNumber) -> pg_sys::Buffer {
        unsafe {
            recent_buffers::pin(self.index, self.fork, block, || {
                buffer_ffi::ReadBufferExtended(
                    self.index,
                    self.fork,
                    block,
                    pg_sys::ReadBufferMode::RBM_NORMAL,
                    core::ptr::null_mut(),
                )
            })
        }
    }
}

/// The buffers (and GenericXLog state) a `write` holds while the core changes their pages.
struct HeldForWrite {
    state: *mut pg_sys::GenericXLogState,
    buffers: [pg_sys::Buffer; MAX_PAGES_PER_WRITE],
    count: usize,
}

/// `write`'s Postgres calls, kept out of the generic `write`: each of its callers would
/// otherwise get its own copy of them (guarded calls, a few hundred bytes each in the wasm
/// module: 18 copies came to 320 KB).
impl BufferPageStore {
    /// Locks `blocks` exclusively, registers them with GenericXLog when logging, and pushes
    /// their payloads onto `pages`.
    #[inline(never)]
    unsafe fn lock_for_write<'p>(&self, blocks: &[BlockNumber], pages: &mut Vec<&'p mut [u8]>) -> HeldForWrite {
        assert!(blocks.len() <= MAX_PAGES_PER_WRITE, "one index write changes at most 4 pages");
        unsafe {
            let state = if self.wal { pg_sys::GenericXLogStart(self.index) } else { core::ptr::null_mut() };
            let mut buffers = [0 as pg_sys::Buffer; MAX_PAGES_PER_WRITE];
            for (i, &block) in blocks.iter().enumerate() {
                let buffer = self.read_buffer(block);
                pg_sys::LockBuffer(buffer, pg_sys::BUFFER_LOCK_EXCLUSIVE as i32);
                buffers[i] = buffer;
                let page = if self.wal {
                    pg_sys::GenericXLogRegisterBuffer(state, buffer, 0)
                } else {
                    pg_sys::BufferGetPage(buffer)
                };
                init_if_new(page);
                pages.push(payload(page));
            }
            HeldForWrite { state, buffers, count: blocks.len() }
        }
    }

    /// WAL-logs (or marks dirty) and releases what `lock_for_write` took.
    #[inline(never)]
    unsafe fn finish_write(&self, held: HeldForWrite) {
        unsafe {
            if self.wal {
                pg_sys::GenericXLogFinish(held.state);
            }
            for &buffer in &held.buffers[..held.count] {
                if !self.wal {
                    pg_sys::MarkBufferDirty(buffer);
                }
                pg_sys::UnlockReleaseBuffer(buffer);
            }
        }
    }
}

impl PageStore for BufferPageStore {
    fn page_count(&self) -> u32 {
        // A system call natively: the core asks rarely (see ruvector_core::pagestore::BlockLimit).
        unsafe { pg_sys::RelationGetNumberOfBlocksInFork(self.index, self.fork) }
    }

    fn read<R>(&self, block: BlockNumber, f: impl FnOnce(&[u8]) -> R) -> R {
        // The hot path of every search: unguarded calls (see buffer_ffi).
        unsafe {
            // PGlite: a page read before, still in its buffer, needs no pin (see recent_buffers).
            #[cfg(target_arch = "wasm32")]
            if let Some(page) = recent_buffers::resident_page(self.index, self.fork, block) {
                return f(payload(page));
            }
            let buffer = self.pin(block);
            buffer_ffi::LockBuffer(buffer, pg_sys::BUFFER_LOCK_SHARE as i32);
            let result = f(payload(buffer_ffi::BufferGetPage(buffer)));
            buffer_ffi::UnlockReleaseBuffer(buffer);
            result
        }
    }

    /// Through the page's remembered buffer, without a pin (see recent_buffers::prefetch).
    fn prefetch(&self, block: BlockNumber, offset: usize, len: usize) {
        unsafe { recent_buffers::prefetch(self.index, self.fork, block, offset, len) }
    }

    fn write<R>(&mut self, blocks: &[BlockNumber], f: impl FnOnce(&mut [&mut [u8]]) -> R) -> R {
        let mut pages: Vec<&mut [u8]> = Vec::with_capacity(blocks.len());
        unsafe {
            let held = self.lock_for_write(blocks, &mut pages);
            let result = f(&mut pages);
            drop(pages);
            self.finish_write(held);
            result
        }
    }

    fn append(&mut self) -> BlockNumber {
        unsafe {
            // The extension lock keeps two backends from getting the same new block.
            pg_sys::LockRelationForExtension(self.index, pg_sys::ExclusiveLock as i32);
            let buffer = self.read_buffer(pg_sys::InvalidBlockNumber); // P_NEW
            pg_sys::LockBuffer(buffer, pg_sys::BUFFER_LOCK_EXCLUSIVE as i32);
            pg_sys::UnlockRelationForExtension(self.index, pg_sys::ExclusiveLock as i32);
            if self.wal {
                let state = pg_sys::GenericXLogStart(self.index);
                let page = pg_sys::GenericXLogRegisterBuffer(
                    state,
                    buffer,
                    pg_sys::GENERIC_XLOG_FULL_IMAGE as i32,
                );
                pg_sys::PageInit(page, pg_sys::BLCKSZ as usize, PAYLOAD_SIZE);
                pg_sys::GenericXLogFinish(state);
            } else {
                pg_sys::PageInit(pg_sys::BufferGetPage(buffer), pg_sys::BLCKSZ as usize, PAYLOAD_SIZE);
                pg_sys::MarkBufferDirty(buffer);
            }
            let block = pg_sys::BufferGetBlockNumber(buffer);
            pg_sys::UnlockReleaseBuffer(buffer);
            block
        }
    }
}
