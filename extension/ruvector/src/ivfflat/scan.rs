//! Ordered index scans: `ORDER BY embedding <-> $1 LIMIT k`. The `ivfflat.probes` lists whose
//! centroids are nearest the query are read and their rows returned by exact distance. With
//! `ivfflat.iterative_scan = relaxed_order`, when those run out (a filter dropped rows) the next
//! `probes` lists are read, and so on up to `ivfflat.max_probes` lists (pgvector 0.8's
//! semantics: each batch is sorted, batches are not merged).

use super::Ivfflat;
use super::options::{self, IterativeScan};
use crate::index::heap::to_item_pointer;
use crate::index::ivf::core_error;
use crate::index::ivf::scan::{self as ivf_scan, Batches, Query};
use crate::index::page_store::BufferPageStore;
use crate::index::scan_support;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, FlatCandidate};
use std::collections::VecDeque;

struct ScanState {
    kind: ValueKind,
    query: Option<Query>,
    batches: Batches,
    batch: VecDeque<FlatCandidate>,
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambeginscan(
    index: pg_sys::Relation,
    nkeys: core::ffi::c_int,
    norderbys: core::ffi::c_int,
) -> pg_sys::IndexScanDesc {
    unsafe {
        let state = ScanState { kind: ValueKind::of_index(index), query: None, batches: Batches::default(), batch: VecDeque::new() };
        scan_support::begin(index, nkeys, norderbys, state)
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
        state.query = None;
        state.batch.clear();
        scan_support::copy_keys(scan, keys, nkeys, orderbys, norderbys);
    }
}

/// The query, the probe counts, and the first batch.
unsafe fn start(scan: pg_sys::IndexScanDesc, state: &mut ScanState, store: &BufferPageStore) {
    unsafe {
        let query = ivf_scan::start::<Ivfflat>(scan, &state.kind, store);
        let probes = options::probes();
        let max_probes = match options::iterative_scan() {
            IterativeScan::Off => probes,
            IterativeScan::RelaxedOrder => options::max_probes(),
        };
        state.batches = Batches::new(&query.meta, probes, max_probes);
        state.query = Some(query);
        next_batch(state, store);
    }
}

/// Reads the next up to `probes` lists; `false` when the scan may read no more.
fn next_batch(state: &mut ScanState, store: &BufferPageStore) -> bool {
    let Some((skip, count)) = state.batches.next() else { return false };
    let query = state.query.as_ref().expect("started scan");
    let batch = ivf::scan_flat_range(store, &query.coordinates, query.encoded.as_slice(), &state.kind, skip, count)
        .unwrap_or_else(|e| core_error::<Ivfflat>(e));
    state.batch = batch.into();
    true
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amgettuple(scan: pg_sys::IndexScanDesc, _direction: pg_sys::ScanDirection::Type) -> bool {
    unsafe {
        let state = scan_support::state::<ScanState>(scan);
        let store = BufferPageStore::logged((*scan).indexRelation);
        if state.query.is_none() {
            start(scan, state, &store);
        }
        loop {
            if let Some(candidate) = state.batch.pop_front() {
                (*scan).xs_heaptid = to_item_pointer(candidate.tid);
                (*scan).xs_recheck = false;
                (*scan).xs_recheckorderby = false;
                return true;
            }
            if !next_batch(state, &store) {
                return false;
            }
        }
    }
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amendscan(scan: pg_sys::IndexScanDesc) {
    unsafe {
        scan_support::end::<ScanState>(scan);
    }
}
