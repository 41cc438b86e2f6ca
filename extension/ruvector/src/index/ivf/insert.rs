//! INSERT after the build: each row goes to the list of its nearest centroid, appended to that
//! list's last page (or a new page linked in by the same WAL record).
//!
//! Inserts into one index are serialized by the same heavyweight lock tag as hnsw's
//! (`INSERT_LOCK`, a page lock on block 0), which vacuum and `ruvector_index_check` take too;
//! scans take no such lock and read pages one at a time under buffer share locks.

use super::{Flavor, coordinates, core_error};
use crate::index::am::INSERT_LOCK;
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, HeapTid, Meta};

/// Adds rows of one index: how their payload is made, fixed by the access method.
pub struct Inserter {
    meta: Meta,
    kind: ValueKind,
    derive: fn(&Meta, &[f32], &[f32]) -> Option<Vec<u8>>,
    fail: fn(ivf::Error) -> !,
}

impl Inserter {
    pub fn new<F: Flavor>(meta: Meta, kind: ValueKind) -> Inserter {
        Inserter { meta, kind, derive: F::derived_payload, fail: core_error::<F> }
    }

    /// Inserts one encoded value; the caller holds whatever lock serializes inserts.
    pub fn insert(&self, store: &mut BufferPageStore, tid: HeapTid, encoded: &[u8]) {
        let point = coordinates(&self.kind, encoded, self.meta.dims as usize);
        let result = ivf::insert(store, tid, &point, |_, centroid| {
            (self.derive)(&self.meta, &point, centroid).unwrap_or_else(|| encoded.to_vec())
        });
        result.unwrap_or_else(|e| (self.fail)(e));
    }
}

/// `aminsert` of an IVF access method.
///
/// # Safety
/// Called by Postgres with its arguments.
pub unsafe fn insert<F: Flavor>(
    index: pg_sys::Relation,
    values: *mut pg_sys::Datum,
    isnull: *mut bool,
    heap_tid: pg_sys::ItemPointer,
    index_info: *mut pg_sys::IndexInfo,
) -> bool {
    unsafe {
        if *isnull {
            return false;
        }
        let kind = ValueKind::cached(index, index_info);
        let Some(vector) = kind.encode(*values) else { return false };
        let tid = from_item_pointer(&*heap_tid);
        let mut store = BufferPageStore::logged(index);
        pg_sys::LockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        // The metapage is read under the lock: it never changes after the build, but a
        // corrupt one must error before anything is written.
        let meta = super::build::meta_or_error::<F>(&store);
        Inserter::new::<F>(meta, kind).insert(&mut store, tid, vector.as_slice());
        pg_sys::UnlockPage(index, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        false
    }
}
