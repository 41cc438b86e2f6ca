//! `WITH (lists)` and the `ivfflat.*` settings, with pgvector 0.8.7's names, ranges, defaults
//! and descriptions, so statements and configuration written for pgvector work as is.
//! Out-of-range values get Postgres' own reloption/GUC errors, exactly as with pgvector.

use core::ffi::c_int;
use crate::index::reloptions::int_option;
use crate::index::settings;
use pgrx::pg_sys;

pub const DEFAULT_LISTS: i32 = 100;
pub const MIN_LISTS: i32 = 1;
pub const MAX_LISTS: i32 = 32768;
pub const DEFAULT_PROBES: i32 = 1;

/// The parsed reloptions, laid out as `build_reloptions` fills them.
#[repr(C)]
pub struct IvfflatOptions {
    vl_len_: i32,
    pub lists: i32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IterativeScan {
    Off = 0,
    RelaxedOrder = 1,
}

// Postgres writes these through the pointers given to DefineCustom*Variable; only this
// backend's thread ever touches them.
static mut RELOPT_KIND: pg_sys::relopt_kind::Type = 0;
static mut PROBES: c_int = DEFAULT_PROBES;
static mut ITERATIVE_SCAN: c_int = 0;
static mut MAX_PROBES: c_int = MAX_LISTS;

struct EnumOptions([pg_sys::config_enum_entry; 3]);
// SAFETY: immutable C strings and plain values, read by Postgres only.
unsafe impl Sync for EnumOptions {}
static ITERATIVE_SCAN_OPTIONS: EnumOptions = EnumOptions([
    pg_sys::config_enum_entry { name: c"off".as_ptr(), val: IterativeScan::Off as c_int, hidden: false },
    pg_sys::config_enum_entry {
        name: c"relaxed_order".as_ptr(),
        val: IterativeScan::RelaxedOrder as c_int,
        hidden: false,
    },
    pg_sys::config_enum_entry { name: core::ptr::null(), val: 0, hidden: false },
]);

/// Registers the reloption and GUCs; called once from `_PG_init`.
pub fn init() {
    unsafe {
        RELOPT_KIND = pg_sys::add_reloption_kind();
        pg_sys::add_int_reloption(
            RELOPT_KIND as _,
            c"lists".as_ptr(),
            c"Number of inverted lists".as_ptr(),
            DEFAULT_LISTS,
            MIN_LISTS,
            MAX_LISTS,
            pg_sys::AccessExclusiveLock as _,
        );
        settings::define_int(
            c"ivfflat.probes",
            c"Sets the number of probes",
            Some(c"Valid range is 1..lists."),
            &raw mut PROBES,
            DEFAULT_PROBES,
            (MIN_LISTS, MAX_LISTS),
        );
        settings::define_enum(
            c"ivfflat.iterative_scan",
            c"Sets the mode for iterative scans",
            &raw mut ITERATIVE_SCAN,
            IterativeScan::Off as c_int,
            ITERATIVE_SCAN_OPTIONS.0.as_ptr(),
        );
        // If this is less than probes, probes is used (as in pgvector).
        settings::define_int(
            c"ivfflat.max_probes",
            c"Sets the max number of probes for iterative scans",
            None,
            &raw mut MAX_PROBES,
            MAX_LISTS,
            (MIN_LISTS, MAX_LISTS),
        );
        pg_sys::MarkGUCPrefixReserved(c"ivfflat".as_ptr());
    }
}

pub fn probes() -> usize {
    unsafe { PROBES.max(1) as usize }
}

pub fn iterative_scan() -> IterativeScan {
    match unsafe { ITERATIVE_SCAN } {
        1 => IterativeScan::RelaxedOrder,
        _ => IterativeScan::Off,
    }
}

pub fn max_probes() -> usize {
    unsafe { MAX_PROBES.max(1) as usize }
}

/// `amoptions`: parses and validates `WITH (...)`.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amoptions(reloptions: pg_sys::Datum, validate: bool) -> *mut pg_sys::bytea {
    let table = [int_option(c"lists", core::mem::offset_of!(IvfflatOptions, lists))];
    unsafe {
        pg_sys::build_reloptions(
            reloptions,
            validate,
            RELOPT_KIND,
            core::mem::size_of::<IvfflatOptions>(),
            table.as_ptr(),
            table.len() as c_int,
        )
        .cast()
    }
}

/// `lists` of an index, the default where not given.
///
/// # Safety
/// `index` must be an open ivfflat index relation.
pub unsafe fn lists_of_index(index: pg_sys::Relation) -> i32 {
    unsafe {
        let options = (*index).rd_options.cast::<IvfflatOptions>();
        if options.is_null() { DEFAULT_LISTS } else { (*options).lists }
    }
}
