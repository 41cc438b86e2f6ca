//! Ordered index scans: `ORDER BY embedding <-> $1 LIMIT k`. The first batch is an ordinary
//! HNSW search with `hnsw.ef_search`; with `hnsw.iterative_scan` on, later batches resume the
//! layer-0 search (pgvector 0.8's semantics: `relaxed_order` returns each batch sorted,
//! `strict_order` drops a row that would come out closer than one already returned), until
//! `hnsw.max_scan_tuples` elements were visited or the scan used work_mem ×
//! `hnsw.scan_mem_multiplier`.
//!
//! Indexes that store bfloat16 (`ruvector_core::bf16::bounded`) report each row's distance as a lower
//! bound with `xs_recheckorderby`: the executor recomputes the distance from the row and
//! returns rows in exact order (`IndexNextWithReorder`), so results are as exact as ever.

use super::build::core_error;
use super::options::{self, IterativeScan};
use crate::index::heap::to_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::scan_support;
use crate::index::value::ValueKind;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::hnsw::{self, HeapTid};
use std::collections::VecDeque;

struct ScanState {
    kind: ValueKind,
    search: Option<hnsw::Scan>,
    batch: VecDeque<(f32, HeapTid)>,
    previous_distance: f32,
    /// ORDER BY NULL: every row ties, nothing to report or recheck.
    null_query: bool,
    /// Where a reported float8 lives where Datums are 4 bytes (PGlite's wasm32): one per scan,
    /// rewritten for each row (the executor copies what it keeps).
    order_by_slot: *mut f64,
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambeginscan(
    index: pg_sys::Relation,
    nkeys: core::ffi::c_int,
    norderbys: core::ffi::c_int,
) -> pg_sys::IndexScanDesc {
    unsafe {
        let state = ScanState {
            kind: super::stored_kind::of_index(index),
            search: None,
            batch: VecDeque::new(),
            previous_distance: f32::NEG_INFINITY,
            null_query: false,
            order_by_slot: pg_sys::palloc(core::mem::size_of::<f64>()).cast(),
        };
        let scan = scan_support::begin(index, nkeys, norderbys, state);
        if norderbys > 0 {
            // The AM allocates these (as GiST does); the executor reads them when rechecking.
            let n = norderbys as usize;
            (*scan).xs_orderbyvals = pg_sys::palloc0(n * core::mem::size_of::<pg_sys::Datum>()).cast();
            (*scan).xs_orderbynulls = pg_sys::palloc(n).cast();
            core::ptr::write_bytes((*scan).xs_orderbynulls, 1, n);
        }
        scan
    }
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amrescan(
    scan: pg_sys::IndexScanDesc,
    keys: pg_sys::ScanKey,
    nkeys: core::ffi::c_int,
    orderbys: pg_sys::ScanKey,
    norderbys: core::ffi::c_int,
) {
    unsafe {
        let state = scan_support::state::<ScanState>(scan);
        state.search = None;
        state.batch.clear();
        state.previous_distance = f32::NEG_INFINITY;
        scan_support::copy_keys(scan, keys, nkeys, orderbys, norderbys);
    }
}

/// The first batch: the query value (NULL orders nothing, so every element ties) and a search.
unsafe fn start(scan: pg_sys::IndexScanDesc, state: &mut ScanState, store: &BufferPageStore) {
    unsafe {
        scan_support::count_scan(scan);
        if (*scan).orderByData.is_null() {
            raise(ERRCODE_INTERNAL_ERROR, "cannot scan hnsw index without order");
        }
        // No buffer pin is kept between calls, which only MVCC snapshots tolerate.
        if !scan_support::is_mvcc((*scan).xs_snapshot) {
            raise(ERRCODE_INTERNAL_ERROR, "non-MVCC snapshots are not supported with hnsw");
        }
        let key = &*(*scan).orderByData;
        state.null_query = key.sk_flags & pg_sys::SK_ISNULL as i32 != 0;
        let query = if state.null_query {
            Default::default()
        } else {
            state.kind.encode_query(key.sk_argument)
        };
        let mut search = hnsw::Scan::new(query.as_slice(), options::ef_search());
        let batch = search.next_batch(store, &state.kind).unwrap_or_else(|e| core_error(e));
        state.batch = batch.into();
        state.search = Some(search);
    }
}

/// The next batch of an iterative scan, or `false` when the scan is over.
fn resume(state: &mut ScanState, store: &BufferPageStore) -> bool {
    if options::iterative_scan() == IterativeScan::Off {
        return false;
    }
    let Some(search) = state.search.as_mut() else { return false };
    if search.tuples_visited() >= options::max_scan_tuples()
        || search.memory_bytes() >= options::scan_memory_limit()
    {
        return false;
    }
    let batch = search.next_batch(store, &state.kind).unwrap_or_else(|e| core_error(e));
    state.batch = batch.into();
    !state.batch.is_empty()
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amgettuple(scan: pg_sys::IndexScanDesc, _direction: pg_sys::ScanDirection::Type) -> bool {
    unsafe {
        let state = scan_support::state::<ScanState>(scan);
        let store = BufferPageStore::logged((*scan).indexRelation);
        if state.search.is_none() {
            start(scan, state, &store);
        }
        loop {
            let Some((distance, tid)) = state.batch.pop_front() else {
                if resume(state, &store) {
                    continue;
                }
                return false;
            };
            if options::iterative_scan() == IterativeScan::StrictOrder {
                if distance < state.previous_distance {
                    continue;
                }
                state.previous_distance = distance;
            }
            (*scan).xs_heaptid = to_item_pointer(tid);
            (*scan).xs_recheck = false;
            (*scan).xs_recheckorderby = false;
            if let Some(value) = state.kind.order_by_value(distance).filter(|_| !state.null_query) {
                report_order_by(scan, state.order_by_slot, value);
            }
            return true;
        }
    }
}

/// Hands the executor a lower bound of the row's distance to recheck and reorder by.
unsafe fn report_order_by(scan: pg_sys::IndexScanDesc, slot: *mut f64, value: f64) {
    unsafe {
        *(*scan).xs_orderbyvals = crate::v1::float8_datum(value, || slot);
        *(*scan).xs_orderbynulls = false;
        (*scan).xs_recheckorderby = true;
    }
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amendscan(scan: pg_sys::IndexScanDesc) {
    unsafe {
        scan_support::end::<ScanState>(scan);
    }
}
