//! INSERT after the build: each row goes to the list of its nearest centroid, appended to that
//! list's last page (or a new page linked in by the same WAL record).
//!
//! Inserts into one index are serialized by the same heavyweight lock tag as hnsw's
//! (`INSERT_LOCK`, a page lock on block 0), which vacuum and `ruvector_index_check` take too;
//! scans take no such lock and read pages one at a time under buffer share locks.

use super::build::core_error;
use super::coordinates;
use crate::index::am::INSERT_LOCK;
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::ivf;


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
        let kind = ValueKind::cached(index, index_info);
        let Some(vector) = kind.encode(*values) else { return false };
        let bytes = vector.as_slice();
        let point = coordinates(&kind, bytes, kind.typmod.max(1) as usize);
        let tid = from_item_pointer(&*heap_tid);
        let mut store = BufferPageStore::logged(index);
        pg_sys::LockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let result = ivf::insert(&mut store, tid, &point, |_, _| bytes.to_vec());
        pg_sys::UnlockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        result.unwrap_or_else(|e| core_error(e));
        false
    }
}
