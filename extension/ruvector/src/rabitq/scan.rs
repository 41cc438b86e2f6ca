//! Ordered index scans: `ORDER BY embedding <-> $1 LIMIT k`.
//!
//! The `rabitq.probes` lists whose centroids are nearest the query are read and every live code
//! gets a distance estimate and a lower bound: the estimate minus its error bound at
//! `rabitq.epsilon` standard deviations, by default the paper's ε0 = 1.9. A wider bound misses
//! fewer neighbours but reranks more: with every list probed, on 20,000 noisy synthetic
//! 768-dimensional rows recall@10 is 0.988 / 0.993 / 1.000 at ε0 = 1.9 / 2.3 / 2.8 for 130 /
//! 183 / 289 reranks a query; on debian-minilm 1.9 and 2.8 reach the same recall, with 67 and
//! 132 reranks (`ruvector_core::ivf` tuning tests). The [`Reranker`] then fetches candidates from the
//! heap by nearest bound, `rabitq.rerank` at a time, computes their exact distances, and
//! returns a row once no remaining bound is below it: rows come out in non-decreasing exact
//! distance, and Postgres is never handed an estimate (`xs_recheckorderby` stays false).
//!
//! On an index with `bits` > 1 each candidate is first refined, when the reranker reaches it,
//! from its extra bits (no heap access), and only then fetched if its refined bound still
//! reaches the top. A miss of the one-bit bound then costs a refinement rather than a heap
//! fetch, so that stage's bound is at least [`FIRST_STAGE_EPSILON0`] wide; `rabitq.epsilon`
//! sets the refined bounds. On 20,000 noisy synthetic 768-dimensional rows (every list
//! probed, `ruvector_core::ivf` tuning test), 4 bits a dimension reach recall@10 1.000 with
//! 20 reranks (and 218 refinements) a query where 1 bit needs 130 reranks for 0.988.
//!
//! With `rabitq.iterative_scan`, when the candidates run out (a filter dropped rows) the next
//! `rabitq.probes` lists are read, up to `rabitq.max_probes`: `relaxed_order` returns every
//! row, though one found after a farther one was returned comes out of order (pgvector 0.8's
//! relaxed semantics); `strict_order` keeps the order, dropping such rows.

use super::Rabitq;
use super::heap_values::HeapValues;
use super::options;
use crate::hnsw::options::IterativeScan;
use crate::index::heap::to_item_pointer;
use crate::index::ivf::core_error;
use crate::index::ivf::scan::{self as ivf_scan, Batches, Query};
use crate::index::page_store::BufferPageStore;
use crate::index::scan_support;
use crate::index::value::{DistanceKind, ValueKind};
use pgrx::pg_sys;
use ruvector_core::ivf::{self, RabitqCandidate, Refiner, Reranker};
use ruvector_core::rabitq::FIRST_STAGE_EPSILON0;

struct ScanState {
    kind: ValueKind,
    query: Option<Query>,
    batches: Batches,
    epsilon: f64,
    rerank: usize,
    reranker: Reranker,
    refiner: Refiner,
    heap: Option<HeapValues>,
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
            query: None,
            batches: Batches::default(),
            epsilon: options::DEFAULT_EPSILON,
            rerank: options::DEFAULT_RERANK as usize,
            reranker: Reranker::default(),
            refiner: Refiner::default(),
            heap: None,
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
        state.query = None;
        state.reranker = Reranker::default();
        state.refiner = Refiner::default();
        scan_support::copy_keys(scan, keys, nkeys, orderbys, norderbys);
    }
}

/// The query, the settings, and the first batch.
unsafe fn start(scan: pg_sys::IndexScanDesc, state: &mut ScanState, store: &BufferPageStore) {
    unsafe {
        let query = ivf_scan::start::<Rabitq>(scan, &state.kind, store);
        let mode = options::iterative_scan();
        let max_probes = if mode == IterativeScan::Off { options::probes() } else { options::max_probes() };
        state.batches = Batches::new(&query.meta, options::probes(), max_probes);
        state.rerank = options::rerank();
        state.epsilon = options::epsilon();
        state.reranker.relaxed = mode == IterativeScan::RelaxedOrder;
        if state.heap.is_none() && !query.is_null {
            state.heap = Some(HeapValues::open(scan));
        }
        state.query = Some(query);
        next_batch(state, store);
    }
}

/// The lower bound of a candidate's exact distance, in the units of the ORDER BY operator:
/// L2 distance (`<->`), negative inner product (`<#>`), or cosine distance (`<=>`, whose
/// codes and query are unit vectors, so the inner product is the cosine).
fn lower_bound(kind: &ValueKind, c: &RabitqCandidate) -> f64 {
    let (distance2, bound, inner_product) = (c.distance2 as f64, c.bound as f64, c.inner_product as f64);
    match kind.distance {
        DistanceKind::InnerProduct if kind.normalize => 1.0 - (inner_product + bound * 0.5),
        DistanceKind::InnerProduct => -(inner_product + bound * 0.5),
        _ => (distance2 - bound).max(0.0).sqrt(),
    }
}

/// Reads the next up to `probes` lists into the reranker; `false` when the scan may read no more.
fn next_batch(state: &mut ScanState, store: &BufferPageStore) -> bool {
    let Some((skip, count)) = state.batches.next() else { return false };
    let query = state.query.as_ref().expect("started scan");
    let (first_epsilon, fine_epsilon) = if query.meta.ex_bits > 0 && !query.is_null {
        (state.epsilon.max(FIRST_STAGE_EPSILON0), Some(state.epsilon))
    } else {
        (state.epsilon, None)
    };
    let candidates = ivf::scan_rabitq_refinable(store, &query.coordinates, skip, count, first_epsilon, fine_epsilon, &mut state.refiner)
        .unwrap_or_else(|e| core_error::<Rabitq>(e));
    let kind = state.kind;
    let is_null = query.is_null;
    state.reranker.add_refinable(candidates.iter().map(|c| (c.tid, if is_null { 0.0 } else { lower_bound(&kind, c) }, c.refine)));
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
        let snapshot = (*scan).xs_snapshot;
        loop {
            let ScanState { query, rerank, reranker, refiner, heap, kind, .. } = &mut *state;
            let is_null = query.as_ref().is_some_and(|q| q.is_null);
            let order_by = &mut *(*scan).orderByData;
            let exact = |tid| {
                if is_null {
                    return Some(0.0);
                }
                heap.as_mut().expect("heap fetch").distance(tid, snapshot, order_by)
            };
            let refine = |tid, at| refiner.refine(&store, tid, at).map(|c| lower_bound(kind, &c));
            if let Some((tid, _)) = reranker.next_refined(*rerank, refine, exact) {
                (*scan).xs_heaptid = to_item_pointer(tid);
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
        if let Some(heap) = scan_support::state::<ScanState>(scan).heap.take() {
            heap.close();
        }
        scan_support::end::<ScanState>(scan);
    }
}
