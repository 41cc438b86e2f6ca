//! What every ordered index scan of ours needs from Postgres, whatever the access method: a home
//! for its Rust state that survives between `amgettuple` calls and is freed even when the query
//! errors out, scan keys copied on rescan, the MVCC check, and the scan statistics.

use pgrx::pg_sys;

/// The scan's Rust state behind `scan->opaque`: a palloc'd slot in the scan's memory context
/// with a reset callback, so the state is dropped by `end` or, if the query errors out before
/// `amendscan` runs, when Postgres resets that context.
#[repr(C)]
struct StateSlot<T> {
    state: *mut T,
    callback: pg_sys::MemoryContextCallback,
}

unsafe extern "C-unwind" fn free_state<T>(arg: *mut core::ffi::c_void) {
    unsafe {
        let slot = &mut *arg.cast::<StateSlot<T>>();
        if !slot.state.is_null() {
            drop(Box::from_raw(slot.state));
            slot.state = core::ptr::null_mut();
        }
    }
}

/// `RelationGetIndexScan` with `state` installed as the scan's opaque.
///
/// # Safety
/// Called from `ambeginscan` with its arguments; `T` must be the type `state` and `end` use.
pub unsafe fn begin<T>(
    index: pg_sys::Relation,
    nkeys: core::ffi::c_int,
    norderbys: core::ffi::c_int,
    state: T,
) -> pg_sys::IndexScanDesc {
    unsafe {
        let scan = pg_sys::RelationGetIndexScan(index, nkeys, norderbys);
        let slot = pg_sys::palloc0(core::mem::size_of::<StateSlot<T>>()).cast::<StateSlot<T>>();
        (*slot).state = Box::into_raw(Box::new(state));
        (*slot).callback.func = Some(free_state::<T>);
        (*slot).callback.arg = slot.cast();
        pg_sys::MemoryContextRegisterResetCallback(pg_sys::CurrentMemoryContext, &mut (*slot).callback);
        (*scan).opaque = slot.cast();
        scan
    }
}

/// The state installed by [`begin`].
///
/// # Safety
/// `scan` must come from [`begin`] with the same `T`, and not be ended.
pub unsafe fn state<'a, T>(scan: pg_sys::IndexScanDesc) -> &'a mut T {
    unsafe { &mut *(*(*scan).opaque.cast::<StateSlot<T>>()).state }
}

/// Drops the state (`amendscan`).
///
/// # Safety
/// As for [`state`].
pub unsafe fn end<T>(scan: pg_sys::IndexScanDesc) {
    unsafe {
        let slot = (*scan).opaque.cast::<StateSlot<T>>();
        if !slot.is_null() {
            free_state::<T>(slot.cast());
        }
    }
}

/// `amrescan`'s part common to all: the new keys and order-by values.
///
/// # Safety
/// The arguments of `amrescan`.
pub unsafe fn copy_keys(
    scan: pg_sys::IndexScanDesc,
    keys: pg_sys::ScanKey,
    nkeys: core::ffi::c_int,
    orderbys: pg_sys::ScanKey,
    norderbys: core::ffi::c_int,
) {
    unsafe {
        if !keys.is_null() && nkeys > 0 {
            core::ptr::copy(keys, (*scan).keyData, nkeys as usize);
        }
        if !orderbys.is_null() && norderbys > 0 {
            core::ptr::copy(orderbys, (*scan).orderByData, norderbys as usize);
        }
    }
}

/// Our scans keep no buffer pin between calls, which only MVCC snapshots tolerate.
///
/// # Safety
/// `snapshot` must be valid.
pub unsafe fn is_mvcc(snapshot: pg_sys::Snapshot) -> bool {
    unsafe {
        let kind = (*snapshot).snapshot_type;
        kind == pg_sys::SnapshotType::SNAPSHOT_MVCC || kind == pg_sys::SnapshotType::SNAPSHOT_HISTORIC_MVCC
    }
}

/// `pgstat_count_index_scan` (a macro in C) and, on PostgreSQL 18, EXPLAIN's "Index Searches".
///
/// # Safety
/// `scan` must be a live scan.
pub unsafe fn count_scan(scan: pg_sys::IndexScanDesc) {
    unsafe {
        let index = (*scan).indexRelation;
        let stats = (*index).pgstat_info;
        if !stats.is_null() {
            #[cfg(feature = "pg18")]
            {
                (*stats).counts.numscans += 1;
                if !(*scan).instrument.is_null() {
                    (*(*scan).instrument).nsearches += 1;
                }
            }
            #[cfg(any(feature = "pg16", feature = "pg17"))]
            {
                (*stats).counts.numscans += 1;
            }
            #[cfg(not(any(feature = "pg16", feature = "pg17", feature = "pg18")))]
            {
                (*stats).t_counts.t_numscans += 1;
            }
        }
    }
}
