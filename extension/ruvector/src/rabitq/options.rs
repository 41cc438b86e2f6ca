//! `WITH (lists)` and the `rabitq.*` settings.
//!
//! `lists` (1..32768) defaults to a count chosen from the rows at build time
//! ([`default_lists`]); `bits` (1..4) is the bits per dimension of the codes, by default chosen from the column's type
//! ([`default_bits`]); `rabitq.probes` lists are scanned per query, `rabitq.rerank` candidates
//! are reranked exactly per scan step, and `rabitq.iterative_scan` (hnsw's modes) goes on to
//! further lists, `rabitq.probes` at a time up to `rabitq.max_probes`, when a filter leaves too
//! few rows. `rabitq.epsilon` sets how wide the estimates' error bounds are, in standard
//! deviations: wider bounds rerank more candidates and miss fewer neighbours.

use core::ffi::c_int;
use crate::hnsw::options::{ITERATIVE_SCAN_OPTIONS, IterativeScan};
use crate::index::reloptions::int_option;
use crate::index::settings;
use crate::index::value::ElementType;
use pgrx::pg_sys;

pub const MIN_LISTS: i32 = 1;
pub const MAX_LISTS: i32 = 32768;
/// Stored when `lists` is not given: choose at build time.
const AUTO_LISTS: i32 = 0;
pub const DEFAULT_PROBES: i32 = 20;
pub const DEFAULT_RERANK: i32 = 20;
/// The paper's ε0 (`ruvector_core::rabitq::EPSILON0`).
pub const DEFAULT_EPSILON: f64 = 1.9;

/// The lists for a table of `rows` rows when `lists` is not given: about one per 1,000 rows
/// up to a million rows and √rows beyond (pgvector's advice for ivfflat), at least one.
pub fn default_lists(rows: u64) -> i32 {
    let lists = if rows <= 1_000_000 { rows / 1000 } else { (rows as f64).sqrt() as u64 };
    lists.clamp(MIN_LISTS as u64, MAX_LISTS as u64) as i32
}

/// `bits`: bits per dimension of a code. 1 is plain RaBitQ; each bit more (up to
/// [`MAX_BITS`]) adds a refinement plane that narrows the estimates of the candidates a scan
/// may return (Extended RaBitQ), so fewer rows are fetched from the heap to rerank.
pub const MIN_BITS: i32 = 1;
pub const MAX_BITS: i32 = 1 + ruvector_core::rabitq::MAX_EX_BITS as i32;
/// Stored when `bits` is not given: choose from the column's type ([`default_bits`]).
const AUTO_BITS: i32 = 0;

/// Values at least this large are stored out of line (TOAST starts near 2 KB a row), so each
/// rerank costs a TOAST fetch.
const OUT_OF_LINE_BYTES: i64 = 2000;

/// `bits` when not given: 4 where the indexed values are stored out of line (`vector` from 500
/// dimensions, `halfvec` from 1,000), where fewer reranks pay for the refinements (100,000
/// synthetic 768-dim rows: 2.1× the QPS of 1 bit in PGlite, 1.85× natively, at higher recall);
/// 1 below, where a rerank is cheap and the refinements are not (debian-minilm, 384 dims:
/// 0.84× in PGlite, 0.81× natively).
pub fn default_bits(element: ElementType, dims: i32) -> i32 {
    let bytes_per_dim = if element == ElementType::HalfVec { 2 } else { 4 };
    if dims as i64 * bytes_per_dim >= OUT_OF_LINE_BYTES { MAX_BITS } else { MIN_BITS }
}

/// The parsed reloptions, laid out as `build_reloptions` fills them.
#[repr(C)]
pub struct RabitqOptions {
    vl_len_: i32,
    pub lists: i32,
    pub bits: i32,
}

// Postgres writes these through the pointers given to DefineCustom*Variable; only this
// backend's thread ever touches them.
static mut RELOPT_KIND: pg_sys::relopt_kind::Type = 0;
static mut PROBES: c_int = DEFAULT_PROBES;
static mut RERANK: c_int = DEFAULT_RERANK;
static mut ITERATIVE_SCAN: c_int = 0;
static mut MAX_PROBES: c_int = MAX_LISTS;
static mut EPSILON: f64 = DEFAULT_EPSILON;

/// Registers the reloption and GUCs; called once from `_PG_init`.
pub fn init() {
    unsafe {
        RELOPT_KIND = pg_sys::add_reloption_kind();
        // The default is stored only when other options are given; it means "choose".
        pg_sys::add_int_reloption(
            RELOPT_KIND as _,
            c"lists".as_ptr(),
            c"Number of inverted lists (default: chosen from the row count)".as_ptr(),
            AUTO_LISTS,
            MIN_LISTS,
            MAX_LISTS,
            pg_sys::AccessExclusiveLock as _,
        );
        pg_sys::add_int_reloption(
            RELOPT_KIND as _,
            c"bits".as_ptr(),
            c"Bits per dimension of the codes (default: chosen from the column's type)".as_ptr(),
            AUTO_BITS,
            MIN_BITS,
            MAX_BITS,
            pg_sys::AccessExclusiveLock as _,
        );
        settings::define_int(
            c"rabitq.probes",
            c"Sets the number of lists scanned per query",
            Some(c"Valid range is 1..lists."),
            &raw mut PROBES,
            DEFAULT_PROBES,
            (MIN_LISTS, MAX_LISTS),
        );
        settings::define_int(
            c"rabitq.rerank",
            c"Sets the number of candidates reranked by exact distance per scan step",
            None,
            &raw mut RERANK,
            DEFAULT_RERANK,
            (1, 100_000),
        );
        settings::define_enum(
            c"rabitq.iterative_scan",
            c"Sets the mode for iterative scans",
            &raw mut ITERATIVE_SCAN,
            IterativeScan::Off as c_int,
            ITERATIVE_SCAN_OPTIONS.0.as_ptr(),
        );
        // If this is less than probes, probes is used (as ivfflat.max_probes).
        settings::define_int(
            c"rabitq.max_probes",
            c"Sets the max number of lists scanned by iterative scans",
            None,
            &raw mut MAX_PROBES,
            MAX_LISTS,
            (MIN_LISTS, MAX_LISTS),
        );
        settings::define_real(
            c"rabitq.epsilon",
            c"Sets the width of the distance estimates' error bounds, in standard deviations",
            &raw mut EPSILON,
            DEFAULT_EPSILON,
            (0.0, 10.0),
        );
        pg_sys::MarkGUCPrefixReserved(c"rabitq".as_ptr());
    }
}

pub fn probes() -> usize {
    unsafe { PROBES.max(1) as usize }
}

pub fn rerank() -> usize {
    unsafe { RERANK.max(1) as usize }
}

pub fn iterative_scan() -> IterativeScan {
    match unsafe { ITERATIVE_SCAN } {
        1 => IterativeScan::RelaxedOrder,
        2 => IterativeScan::StrictOrder,
        _ => IterativeScan::Off,
    }
}

pub fn epsilon() -> f64 {
    unsafe { EPSILON }
}

pub fn max_probes() -> usize {
    unsafe { MAX_PROBES.max(1) as usize }
}

/// `amoptions`: parses and validates `WITH (...)`.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amoptions(reloptions: pg_sys::Datum, validate: bool) -> *mut pg_sys::bytea {
    let table = [
        int_option(c"lists", core::mem::offset_of!(RabitqOptions, lists)),
        int_option(c"bits", core::mem::offset_of!(RabitqOptions, bits)),
    ];
    unsafe {
        pg_sys::build_reloptions(
            reloptions,
            validate,
            RELOPT_KIND,
            core::mem::size_of::<RabitqOptions>(),
            table.as_ptr(),
            table.len() as c_int,
        )
        .cast()
    }
}

/// `bits` of an index if given in `WITH (...)`.
///
/// # Safety
/// `index` must be an open rabitq index relation.
pub unsafe fn bits_option(index: pg_sys::Relation) -> Option<i32> {
    unsafe {
        let options = (*index).rd_options.cast::<RabitqOptions>();
        if options.is_null() || (*options).bits == AUTO_BITS { None } else { Some((*options).bits.clamp(MIN_BITS, MAX_BITS)) }
    }
}

/// `lists` of an index if given in `WITH (...)`.
///
/// # Safety
/// `index` must be an open rabitq index relation.
pub unsafe fn lists_option(index: pg_sys::Relation) -> Option<i32> {
    unsafe {
        let options = (*index).rd_options.cast::<RabitqOptions>();
        if options.is_null() || (*options).lists == AUTO_LISTS { None } else { Some((*options).lists) }
    }
}
