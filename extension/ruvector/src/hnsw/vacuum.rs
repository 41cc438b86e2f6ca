//! VACUUM: heap tids of dead rows are removed from their elements; elements left without any
//! are repaired around (every neighbour list that pointed at them is rebuilt and no live element
//! is left unreachable) and then retired. Runs under the insert lock so the graph does not
//! change underneath the repair; scans keep running.

use super::build::core_error;
use crate::index::am::INSERT_LOCK;
use crate::index::heap::to_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::am;
use pgrx::pg_sys;
use ruvector_core::hnsw;
use ruvector_core::pagestore::PageStore;

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambulkdelete(
    info: *mut pg_sys::IndexVacuumInfo,
    stats: *mut pg_sys::IndexBulkDeleteResult,
    callback: pg_sys::IndexBulkDeleteCallback,
    callback_state: *mut core::ffi::c_void,
) -> *mut pg_sys::IndexBulkDeleteResult {
    unsafe {
        let stats = am::bulk_delete_result(stats);
        let index = (*info).index;
        let kind = super::stored_kind::of_index(index);
        let callback = callback.expect("VACUUM passes a dead-tuple callback");
        let mut store = BufferPageStore::logged(index);

        pg_sys::LockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let removed = hnsw::vacuum_remove(&mut store, |tid| {
            let mut pointer = to_item_pointer(tid);
            callback(&mut pointer, callback_state)
        });
        let removed = removed.unwrap_or_else(|e| core_error(e));
        if removed.elements_deleted > 0 {
            hnsw::vacuum_repair(&mut store, &kind).unwrap_or_else(|e| core_error(e));
        }
        pg_sys::UnlockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);

        (*stats).tuples_removed += removed.tuples_removed as f64;
        (*stats).num_index_tuples = removed.tuples_remaining as f64;
        (*stats).num_pages = store.page_count();
        stats
    }
}
