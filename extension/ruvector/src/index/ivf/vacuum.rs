//! VACUUM for both IVF access methods: entries of dead heap rows are flagged deleted, list page by list page; scans skip
//! them. Their space is not reused (inserts append to each list's last page) until REINDEX.
//! Runs under the insert lock so `ruvector_index_check` never sees half a pass.

use crate::index::am::INSERT_LOCK;
use crate::index::heap::to_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::am;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf;
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
        let callback = callback.expect("VACUUM passes a dead-tuple callback");
        let mut store = BufferPageStore::logged(index);

        pg_sys::LockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let removed = ivf::vacuum_remove(&mut store, |tid| {
            let mut pointer = to_item_pointer(tid);
            callback(&mut pointer, callback_state)
        });
        pg_sys::UnlockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let removed = removed.unwrap_or_else(|e| raise(ERRCODE_INTERNAL_ERROR, e.message()));

        (*stats).tuples_removed += removed as f64;
        (*stats).num_pages = store.page_count();
        stats
    }
}
