//! Ordered index scans: `ORDER BY embedding <-> $1 LIMIT k`. The `ivfflat.probes` lists whose
//! centroids are nearest the query are read and their rows returned by exact distance. With
//! `ivfflat.iterative_scan = relaxed_order`, when those run out (a filter dropped rows) the next
//! `probes` lists are read, and so on up to `ivfflat.max_probes` lists (pgvector 0.8's
//! semantics: each batch is sorted, batches are not merged).

use super::Ivfflat;
use super::options::{self, IterativeScan};
use crate::index::ivf::{check_query_dimensions, coordinates, core_error};
use crate::index::aligned::AlignedBytes;
use crate::index::heap::to_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::scan_support;
use crate::index::value::ValueKind;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, FlatCandidate};
use std::collections::VecDeque;

struct ScanState {
    kind: ValueKind,
    started: bool,
    query: Vec<f32>,
    encoded: AlignedBytes,
    /// Lists read per batch, and the most lists the whole scan may read.
    probes: usize,
    max_probes: usize,
    /// Rank of the next list to read.
    next_list: usize,
    batch: VecDeque<FlatCandidate>,
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambeginscan(
    index: pg_sys::Relation,
    nkeys: core::ffi::c_int,
    norderbys: core::ffi::c_int,
) -> pg_sys::IndexScanDesc {
    unsafe {
        let state = ScanState {
            kind: ValueKind::of_index(index),
            started: false,
            query: Vec::new(),
            encoded: AlignedBytes::default(),
            probes: 1,
            max_probes: 1,
            next_list: 0,
            batch: VecDeque::new(),
        };
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
        state.started = false;
        state.next_list = 0;
        state.batch.clear();
        scan_support::copy_keys(scan, keys, nkeys, orderbys, norderbys);
    }
}

/// The query (NULL orders nothing: every row ties at distance 0, and the lists are taken in
/// order), the probe counts, and the first batch.
unsafe fn start(scan: pg_sys::IndexScanDesc, state: &mut ScanState, store: &BufferPageStore) {
    unsafe {
        scan_support::count_scan(scan);
        if (*scan).orderByData.is_null() {
            raise(ERRCODE_INTERNAL_ERROR, "cannot scan ivfflat index without order");
        }
        // No buffer pin is kept between calls, which only MVCC snapshots tolerate.
        if !scan_support::is_mvcc((*scan).xs_snapshot) {
            raise(ERRCODE_INTERNAL_ERROR, "non-MVCC snapshots are not supported with ivfflat");
        }
        let meta = ivf::read_meta(store).unwrap_or_else(|e| core_error::<Ivfflat>(e));
        let dims = meta.dims as usize;
        let lists = meta.lists as usize;
        let key = &*(*scan).orderByData;
        if key.sk_flags & pg_sys::SK_ISNULL as i32 != 0 {
            state.encoded = AlignedBytes::default();
            state.query = vec![0.0; dims];
        } else {
            state.encoded = state.kind.encode_query(key.sk_argument);
            check_query_dimensions(&state.kind, dims, state.encoded.as_slice().len());
            state.query = coordinates(&state.kind, state.encoded.as_slice(), dims);
        }
        let probes = options::probes();
        let max_probes = match options::iterative_scan() {
            IterativeScan::Off => probes,
            IterativeScan::RelaxedOrder => options::max_probes().max(probes),
        };
        state.probes = probes.min(lists);
        state.max_probes = max_probes.min(lists);
        state.next_list = 0;
        state.started = true;
        next_batch(state, store);
    }
}

/// Reads the next up to `probes` lists; `false` when the scan may read no more.
fn next_batch(state: &mut ScanState, store: &BufferPageStore) -> bool {
    if state.next_list >= state.max_probes {
        return false;
    }
    let count = state.probes.min(state.max_probes - state.next_list);
    let batch = ivf::scan_flat_range(store, &state.query, state.encoded.as_slice(), &state.kind, state.next_list, count)
        .unwrap_or_else(|e| core_error::<Ivfflat>(e));
    state.next_list += count;
    state.batch = batch.into();
    true
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amgettuple(scan: pg_sys::IndexScanDesc, _direction: pg_sys::ScanDirection::Type) -> bool {
    unsafe {
        let state = scan_support::state::<ScanState>(scan);
        let store = BufferPageStore::logged((*scan).indexRelation);
        if !state.started {
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
