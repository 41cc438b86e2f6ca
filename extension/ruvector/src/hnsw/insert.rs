//! INSERT after the build: one element per heap tuple, linked into the on-page graph.
//!
//! Inserts into one index are serialized by a heavyweight lock (`INSERT_LOCK`), which vacuum's
//! graph repair takes too; scans take no such lock and read pages one at a time under buffer
//! share locks, so they run alongside. Rows of different tables, and the rest of each INSERT
//! (heap, other indexes), are not serialized.

use super::build::core_error;
use crate::index::am::INSERT_LOCK;
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use pgrx::pg_sys;
use ruvector_core::hnsw;


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
    _index_info: *mut pg_sys::IndexInfo,
) -> bool {
    unsafe {
        if *isnull {
            return false;
        }
        // Kept in the relcache entry: a multi-row INSERT finds it there for every row.
        let kind = super::stored_kind::of_index(index);
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
