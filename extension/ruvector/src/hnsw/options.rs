//! `WITH (m, ef_construction)` and the `hnsw.*` settings, with pgvector 0.8.7's names, ranges,
//! defaults and descriptions, so statements and configuration written for pgvector work as is.
//! Out-of-range values get Postgres' own reloption/GUC errors, exactly as with pgvector.

use core::ffi::c_int;
use crate::index::reloptions::int_option;
use crate::index::settings;
use pgrx::pg_sys;

pub const DEFAULT_M: i32 = 16;
pub const MIN_M: i32 = 2;
pub const MAX_M: i32 = 100;
pub const DEFAULT_EF_CONSTRUCTION: i32 = 64;
pub const MIN_EF_CONSTRUCTION: i32 = 4;
pub const MAX_EF_CONSTRUCTION: i32 = 1000;

/// The parsed reloptions, laid out as `build_reloptions` fills them.
#[repr(C)]
pub struct HnswOptions {
    vl_len_: i32,
    pub m: i32,
    pub ef_construction: i32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum IterativeScan {
    Off = 0,
    RelaxedOrder = 1,
    StrictOrder = 2,
}

// Postgres writes these through the pointers given to DefineCustom*Variable; only this
// backend's thread ever touches them.
static mut RELOPT_KIND: pg_sys::relopt_kind::Type = 0;
static mut EF_SEARCH: c_int = 40;
static mut ITERATIVE_SCAN: c_int = 0;
static mut MAX_SCAN_TUPLES: c_int = 20000;
static mut SCAN_MEM_MULTIPLIER: f64 = 1.0;

pub(crate) struct EnumOptions(pub(crate) [pg_sys::config_enum_entry; 4]);
// SAFETY: immutable C strings and plain values, read by Postgres only.
unsafe impl Sync for EnumOptions {}
pub(crate) static ITERATIVE_SCAN_OPTIONS: EnumOptions = EnumOptions([
    pg_sys::config_enum_entry { name: c"off".as_ptr(), val: IterativeScan::Off as c_int, hidden: false },
    pg_sys::config_enum_entry {
        name: c"relaxed_order".as_ptr(),
        val: IterativeScan::RelaxedOrder as c_int,
        hidden: false,
    },
    pg_sys::config_enum_entry {
        name: c"strict_order".as_ptr(),
        val: IterativeScan::StrictOrder as c_int,
        hidden: false,
    },
    pg_sys::config_enum_entry { name: core::ptr::null(), val: 0, hidden: false },
]);

/// Registers the reloptions and GUCs; called once from `_PG_init`.
pub fn init() {
    unsafe {
        RELOPT_KIND = pg_sys::add_reloption_kind();
        pg_sys::add_int_reloption(
            RELOPT_KIND as _,
            c"m".as_ptr(),
            c"Max number of connections".as_ptr(),
            DEFAULT_M,
            MIN_M,
            MAX_M,
            pg_sys::AccessExclusiveLock as _,
        );
        pg_sys::add_int_reloption(
            RELOPT_KIND as _,
            c"ef_construction".as_ptr(),
            c"Size of the dynamic candidate list for construction".as_ptr(),
            DEFAULT_EF_CONSTRUCTION,
            MIN_EF_CONSTRUCTION,
            MAX_EF_CONSTRUCTION,
            pg_sys::AccessExclusiveLock as _,
        );
        settings::define_int(
            c"hnsw.ef_search",
            c"Sets the size of the dynamic candidate list for search",
            Some(c"Valid range is 1..1000."),
            &raw mut EF_SEARCH,
            40,
            (1, 1000),
        );
        settings::define_enum(
            c"hnsw.iterative_scan",
            c"Sets the mode for iterative scans",
            &raw mut ITERATIVE_SCAN,
            IterativeScan::Off as c_int,
            ITERATIVE_SCAN_OPTIONS.0.as_ptr(),
        );
        settings::define_int(
            c"hnsw.max_scan_tuples",
            c"Sets the max number of tuples to visit for iterative scans",
            None,
            &raw mut MAX_SCAN_TUPLES,
            20000,
            (1, i32::MAX),
        );
        settings::define_real(
            c"hnsw.scan_mem_multiplier",
            c"Sets the multiple of work_mem to use for iterative scans",
            &raw mut SCAN_MEM_MULTIPLIER,
            1.0,
            (1.0, 1000.0),
        );
        pg_sys::MarkGUCPrefixReserved(c"hnsw".as_ptr());
    }
}

pub fn ef_search() -> usize {
    unsafe { EF_SEARCH.max(1) as usize }
}

pub fn iterative_scan() -> IterativeScan {
    match unsafe { ITERATIVE_SCAN } {
        1 => IterativeScan::RelaxedOrder,
        2 => IterativeScan::StrictOrder,
        _ => IterativeScan::Off,
    }
}

pub fn max_scan_tuples() -> u64 {
    unsafe { MAX_SCAN_TUPLES.max(1) as u64 }
}

/// Bytes an iterative scan may use: work_mem × hnsw.scan_mem_multiplier.
pub fn scan_memory_limit() -> usize {
    let bytes = unsafe { pg_sys::work_mem as f64 * 1024.0 * SCAN_MEM_MULTIPLIER };
    bytes.min((usize::MAX / 2) as f64) as usize
}

/// `amoptions`: parses and validates `WITH (...)`.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amoptions(reloptions: pg_sys::Datum, validate: bool) -> *mut pg_sys::bytea {
    let table = [
        int_option(c"m", core::mem::offset_of!(HnswOptions, m)),
        int_option(c"ef_construction", core::mem::offset_of!(HnswOptions, ef_construction)),
    ];
    unsafe {
        pg_sys::build_reloptions(
            reloptions,
            validate,
            RELOPT_KIND,
            core::mem::size_of::<HnswOptions>(),
            table.as_ptr(),
            table.len() as c_int,
        )
        .cast()
    }
}

/// (m, ef_construction) of an index, defaults where not given.
///
/// # Safety
/// `index` must be an open hnsw index relation.
pub unsafe fn of_index(index: pg_sys::Relation) -> (i32, i32) {
    unsafe {
        let options = (*index).rd_options.cast::<HnswOptions>();
        if options.is_null() {
            (DEFAULT_M, DEFAULT_EF_CONSTRUCTION)
        } else {
            ((*options).m, (*options).ef_construction)
        }
    }
}
