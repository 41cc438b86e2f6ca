//! Build progress for `pg_stat_progress_create_index`: the sub-phase and tuple counters every
//! access method of ours reports (Postgres reports the heap scan's blocks itself).

use pgrx::pg_sys;

/// Sub-phase numbers shared by our access methods; `phase_name` is each AM's `ambuildphasename`.
pub const PHASE_LOADING: i64 = 2;
pub const PHASE_WRITING: i64 = 3;

pub fn phase_name(phase: i64) -> Option<&'static core::ffi::CStr> {
    match phase {
        p if p == pg_sys::PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE as i64 => Some(c"initializing"),
        PHASE_LOADING => Some(c"loading tuples"),
        PHASE_WRITING => Some(c"writing index pages"),
        _ => None,
    }
}

pub fn set_phase(phase: i64) {
    unsafe { pg_sys::pgstat_progress_update_param(pg_sys::PROGRESS_CREATEIDX_SUBPHASE as i32, phase) }
}

pub fn set_tuples_total(total: i64) {
    unsafe { pg_sys::pgstat_progress_update_param(pg_sys::PROGRESS_CREATEIDX_TUPLES_TOTAL as i32, total) }
}

pub fn set_tuples_done(done: i64) {
    unsafe { pg_sys::pgstat_progress_update_param(pg_sys::PROGRESS_CREATEIDX_TUPLES_DONE as i32, done) }
}
