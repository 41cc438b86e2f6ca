//! Heap tuple identifiers between Postgres and the core, and the "does this heap tuple still
//! exist" question `ruvector_index_check` asks after VACUUM.

use pgrx::pg_sys;
use ruvector_core::hnsw::HeapTid;

pub fn from_item_pointer(tid: &pg_sys::ItemPointerData) -> HeapTid {
    let block = ((tid.ip_blkid.bi_hi as u32) << 16) | tid.ip_blkid.bi_lo as u32;
    HeapTid { block, offset: tid.ip_posid }
}

pub fn to_item_pointer(tid: HeapTid) -> pg_sys::ItemPointerData {
    pg_sys::ItemPointerData {
        ip_blkid: pg_sys::BlockIdData { bi_hi: (tid.block >> 16) as u16, bi_lo: tid.block as u16 },
        ip_posid: tid.offset,
    }
}

/// Answers whether heap tids point at line pointers that are in use, one heap page at a time.
/// An index entry may legitimately point at a dead or redirected line pointer until VACUUM
/// reaches it; only an unused slot (or a block/offset past the end) means VACUUM lost track.
pub struct HeapLiveness {
    heap: pg_sys::Relation,
    blocks: u32,
}

impl HeapLiveness {
    /// # Safety
    /// `heap` must be open and locked for the checker's lifetime.
    pub unsafe fn new(heap: pg_sys::Relation) -> Self {
        let blocks = unsafe {
            pg_sys::RelationGetNumberOfBlocksInFork(heap, pg_sys::ForkNumber::MAIN_FORKNUM)
        };
        HeapLiveness { heap, blocks }
    }

    pub fn exists(&self, tid: HeapTid) -> bool {
        if tid.block >= self.blocks || tid.offset == 0 {
            return false;
        }
        unsafe {
            let buffer = pg_sys::ReadBufferExtended(
                self.heap,
                pg_sys::ForkNumber::MAIN_FORKNUM,
                tid.block,
                pg_sys::ReadBufferMode::RBM_NORMAL,
                core::ptr::null_mut(),
            );
            pg_sys::LockBuffer(buffer, pg_sys::BUFFER_LOCK_SHARE as i32);
            let page = pg_sys::BufferGetPage(buffer);
            let used = tid.offset <= pg_sys::PageGetMaxOffsetNumber(page) && {
                let item = pg_sys::PageGetItemId(page, tid.offset);
                (*item).lp_flags() != pg_sys::LP_UNUSED
            };
            pg_sys::UnlockReleaseBuffer(buffer);
            used
        }
    }
}
