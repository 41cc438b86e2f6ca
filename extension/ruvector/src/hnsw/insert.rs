//! INSERT after the build: one element per heap tuple, linked into the on-page graph.
//!
//! Inserts into one index are serialized by a heavyweight lock (`INSERT_LOCK`), which vacuum's
//! graph repair takes too; scans take no such lock and read pages one at a time under buffer
//! share locks, so they run alongside. Rows of different tables, and the rest of each INSERT
//! (heap, other indexes), are not serialized.

use super::build::core_error;
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::hnsw;

/// The lock tag (a page lock on block 0 of the index, distinct from any buffer lock) that
/// serializes graph changes.
pub const INSERT_LOCK: pg_sys::BlockNumber = 0;

/// The operator class lookup, cached for the statement in `ii_AmCache` (a multi-row INSERT
/// would otherwise repeat its catalog lookups per row).
unsafe fn cached_kind(index: pg_sys::Relation, index_info: *mut pg_sys::IndexInfo) -> ValueKind {
    unsafe {
        if index_info.is_null() {
            return ValueKind::of_index(index);
        }
        if (*index_info).ii_AmCache.is_null() {
            let kind = ValueKind::of_index(index);
            let slot = pg_sys::MemoryContextAlloc((*index_info).ii_Context, core::mem::size_of::<ValueKind>())
                .cast::<ValueKind>();
            slot.write(kind);
            (*index_info).ii_AmCache = slot.cast();
        }
        *(*index_info).ii_AmCache.cast::<ValueKind>()
    }
}

#[pgrx::pg_guard]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C-unwind" fn aminsert(
    index: pg_sys::Relation,
    values: *mut pg_sys::Datum,
    isnull: *mut bool,
    heap_tid: pg_sys::ItemPointer,
    _heap: pg_sys::Relation,
    _check_unique: pg_sys::IndexUniqueCheck::Type,
    _index_unchanged: bool,
    index_info: *mut pg_sys::IndexInfo,
) -> bool {
    unsafe {
        if *isnull {
            return false;
        }
        let kind = cached_kind(index, index_info);
        let Some(vector) = kind.encode(*values) else { return false };
        let tid = from_item_pointer(&*heap_tid);
        let mut store = BufferPageStore::logged(index);
        pg_sys::LockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let result = hnsw::insert(&mut store, &kind, vector.as_slice(), tid);
        pg_sys::UnlockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        result.unwrap_or_else(|e| core_error(e));
        false
    }
}
