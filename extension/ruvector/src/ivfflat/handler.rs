//! `ivfflathandler`: the access method's capabilities and callbacks for Postgres.

use super::{Ivfflat, options, scan};
use crate::index::am;
use crate::index::ivf::{build, vacuum};
use pgrx::pg_sys;

// Postgres finds the handler by its C symbol; the `_wrapper` suffix is what the PGlite build
// exports (see scripts/build/wasm.sh).
crate::pg_finfo_v1!(pg_finfo_ivfflathandler_wrapper);

#[unsafe(no_mangle)]
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ivfflathandler_wrapper(_fcinfo: pg_sys::FunctionCallInfo) -> pg_sys::Datum {
    unsafe {
        // 1: distance, 2: norm (cosine), 3: k-means distance, 4: k-means norm (ip, cosine),
        // 5: pgvector's type-support function.
        let am = am::new_routine(5, false);

        am.ambuild = Some(ambuild);
        am.ambuildempty = Some(ambuildempty);
        am.aminsert = Some(aminsert);
        am.ambulkdelete = Some(vacuum::ambulkdelete);
        am.amvacuumcleanup = Some(am::amvacuumcleanup);
        am.amcostestimate = Some(amcostestimate);
        am.amoptions = Some(options::amoptions);
        am.ambuildphasename = Some(ambuildphasename);
        am.ambeginscan = Some(scan::ambeginscan);
        am.amrescan = Some(scan::amrescan);
        am.amgettuple = Some(scan::amgettuple);
        am.amendscan = Some(scan::amendscan);
        pg_sys::Datum::from(am as *mut pg_sys::IndexAmRoutine)
    }
}

crate::ivf_callbacks!(Ivfflat, options::probes(), options::lists_of_index);

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn ambuildphasename(phase: i64) -> *mut core::ffi::c_char {
    build::phase_name(phase).map_or(core::ptr::null_mut(), |name| name.as_ptr().cast_mut())
}

/// Whether an open index is an ivfflat index (`ruvector_index_check` dispatches on it).
///
/// # Safety
/// `index` must be an open relation.
pub unsafe fn is_ivfflat(index: pg_sys::Relation) -> bool {
    unsafe { am::access_method_is(index, c"ivfflat") }
}
