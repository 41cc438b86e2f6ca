//! Pieces of the access-method contract every index of ours shares: the capabilities Postgres
//! reads from the routine (ordered by a distance operator, one column, no uniqueness, no bitmap
//! scans), recognising our indexes by access method name, the lock that serializes changes to
//! one index, and VACUUM's result struct.

use pgrx::pg_sys;

/// The lock tag (a page lock on block 0 of the index, distinct from any buffer lock) that
/// serializes inserts, VACUUM's repairs and `ruvector_index_check` on one index.
pub const INSERT_LOCK: pg_sys::BlockNumber = 0;

/// A palloc'd routine with the capabilities all our access methods share; the caller sets the
/// access method's own callbacks. Callbacks left unset stay NULL (palloc0): no bitmap scans,
/// no index-only scans, no mark/restore, no parallel scans. `amsupport` is the highest support function number of its operator classes.
///
/// # Safety
/// Called from an index AM handler (palloc in the current context).
pub unsafe fn new_routine(amsupport: u16, uses_maintenance_work_mem: bool) -> &'static mut pg_sys::IndexAmRoutine {
    unsafe {
        let routine = pg_sys::palloc0(core::mem::size_of::<pg_sys::IndexAmRoutine>())
            .cast::<pg_sys::IndexAmRoutine>();
        let am = &mut *routine;
        am.type_ = pg_sys::NodeTag::T_IndexAmRoutine;
        am.amstrategies = 0;
        am.amsupport = amsupport;
        am.amoptsprocnum = 0;
        am.amcanorder = false;
        am.amcanorderbyop = true;
        am.amcanbackward = false;
        am.amcanunique = false;
        am.amcanmulticol = false;
        am.amoptionalkey = true;
        am.amsearcharray = false;
        am.amsearchnulls = false;
        am.amstorage = false;
        am.amclusterable = false;
        am.ampredlocks = false;
        am.amcanparallel = false;
        am.amcaninclude = false;
        am.amusemaintenanceworkmem = uses_maintenance_work_mem;
        am.amparallelvacuumoptions = pg_sys::VACUUM_OPTION_PARALLEL_BULKDEL as u8;
        am.amkeytype = pg_sys::InvalidOid;
        am.amvalidate = Some(amvalidate);
        am
    }
}

/// Operator classes are checked by their own CREATE statements; like pgvector, nothing more.
#[pgrx::pg_guard]
unsafe extern "C-unwind" fn amvalidate(_opclass: pg_sys::Oid) -> bool {
    true
}

/// Whether an open relation's access method is `name`. By name: comparing callback addresses
/// is unreliable across codegen units.
///
/// # Safety
/// `index` must be an open relation.
pub unsafe fn access_method_is(index: pg_sys::Relation, name: &core::ffi::CStr) -> bool {
    unsafe {
        let am = pg_sys::get_am_name((*(*index).rd_rel).relam);
        !am.is_null() && core::ffi::CStr::from_ptr(am) == name
    }
}

/// VACUUM's statistics struct: the one given, or a new one when this is the first pass.
///
/// # Safety
/// `stats` is null or a valid result struct.
pub unsafe fn bulk_delete_result(stats: *mut pg_sys::IndexBulkDeleteResult) -> *mut pg_sys::IndexBulkDeleteResult {
    if stats.is_null() {
        unsafe { pg_sys::palloc0(core::mem::size_of::<pg_sys::IndexBulkDeleteResult>()).cast() }
    } else {
        stats
    }
}

/// `amvacuumcleanup` of every access method of ours: their bulk deletes do all the work, so
/// this reports the size, and the heap's tuple estimate when no bulk delete ran (as other AMs
/// do when they skip a full pass).
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amvacuumcleanup(
    info: *mut pg_sys::IndexVacuumInfo,
    stats: *mut pg_sys::IndexBulkDeleteResult,
) -> *mut pg_sys::IndexBulkDeleteResult {
    unsafe {
        if (*info).analyze_only {
            return stats;
        }
        let stats = bulk_delete_result(stats);
        let store = super::page_store::BufferPageStore::logged((*info).index);
        (*stats).num_pages = ruvector_core::pagestore::PageStore::page_count(&store);
        if (*stats).num_index_tuples == 0.0 && !(*info).estimated_count {
            (*stats).num_index_tuples = (*info).num_heap_tuples;
        }
        stats
    }
}

/// The planner's costs for a path without `ORDER BY distance`, which none of our indexes can
/// answer: infinite, and disabled on PostgreSQL 18 (which counts disabled nodes instead of
/// adding disable_cost). Returns whether it applied.
///
/// # Safety
/// The arguments of `amcostestimate`.
pub unsafe fn refuse_without_order(
    path: *mut pg_sys::IndexPath,
    startup: *mut pg_sys::Cost,
    total: *mut pg_sys::Cost,
    selectivity: *mut pg_sys::Selectivity,
    correlation: *mut f64,
    pages: *mut f64,
) -> bool {
    unsafe {
        if !(*path).indexorderbys.is_null() {
            return false;
        }
        *startup = f64::INFINITY;
        *total = f64::INFINITY;
        *selectivity = 0.0;
        *correlation = 0.0;
        *pages = 0.0;
        #[cfg(feature = "pg18")]
        {
            (*path).path.disabled_nodes = 2;
        }
        true
    }
}
