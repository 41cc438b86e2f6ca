//! `rabitqhandler`: the access method's capabilities and callbacks for Postgres.

use super::{Rabitq, cost, options, scan};
use crate::index::am;
use crate::index::ivf::{build, vacuum};
use pgrx::pg_sys;

// Postgres finds the handler by its C symbol; the `_wrapper` suffix is what the PGlite build
// exports (see scripts/build/wasm.sh).
crate::pg_finfo_v1!(pg_finfo_rabitqhandler_wrapper);

#[unsafe(no_mangle)]
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn rabitqhandler_wrapper(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    unsafe {
        // 1: distance, 2: norm (cosine: values are normalised).
        let am = am::new_routine(2, true);
        am.ambuild = Some(ambuild);
        am.ambuildempty = Some(ambuildempty);
        am.aminsert = Some(aminsert);
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

crate::ivf_callbacks!(Rabitq);

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn ambuildphasename(phase: i64) -> *mut core::ffi::c_char {
    build::phase_name(phase).map_or(core::ptr::null_mut(), |name| name.as_ptr().cast_mut())
}

/// Whether an open index is a rabitq index (`ruvector_index_check` dispatches on it).
///
/// # Safety
/// `index` must be an open relation.
pub unsafe fn is_rabitq(index: pg_sys::Relation) -> bool {
    unsafe { am::access_method_is(index, c"rabitq") }
}
