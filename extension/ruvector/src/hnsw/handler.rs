//! `hnswhandler`: the access method's capabilities and callbacks for Postgres.

use super::{build, cost, insert, options, scan, vacuum};
use crate::index::progress;
use crate::index::am;
use pgrx::pg_sys;

// Postgres finds the handler by its C symbol; the `_wrapper` suffix is what the PGlite build
// exports (see scripts/build/wasm.sh).
crate::pg_finfo_v1!(pg_finfo_hnswhandler_wrapper);

#[unsafe(no_mangle)]
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn hnswhandler_wrapper(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    unsafe {
        // 1: distance, 2: norm (cosine), 3: pgvector's type-support function.
        let am = am::new_routine(3, true);

        am.ambuild = Some(build::ambuild);
        am.ambuildempty = Some(build::ambuildempty);
        am.aminsert = Some(insert::aminsert);
        am.ambulkdelete = Some(vacuum::ambulkdelete);
        am.amvacuumcleanup = Some(am::amvacuumcleanup);
        am.amcostestimate = Some(cost::amcostestimate);
        am.amoptions = Some(options::amoptions);
        am.ambuildphasename = Some(ambuildphasename);
        am.ambeginscan = Some(scan::ambeginscan);
        am.amrescan = Some(scan::amrescan);
        am.amgettuple = Some(scan::amgettuple);
        am.amendscan = Some(scan::amendscan);
        pg_sys::Datum::from(am as *mut pg_sys::IndexAmRoutine)
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn ambuildphasename(phase: i64) -> *mut core::ffi::c_char {
    progress::phase_name(phase).map_or(core::ptr::null_mut(), |name| name.as_ptr().cast_mut())
}

/// Whether an open index is an hnsw index (`ruvector_index_check` dispatches on it).
///
/// # Safety
/// `index` must be an open relation.
pub unsafe fn is_hnsw(index: pg_sys::Relation) -> bool {
    unsafe { am::access_method_is(index, c"hnsw") }
}
