//! Planner costs. Never the index without `ORDER BY distance` (infinite cost, as pgvector's
//! AMs). With it, the cost is the work a scan does: reading the probed share of the lists in
//! sequence (codes are small: an index is a few percent of its table) with one estimate per
//! code as startup cost, then one exact rerank, a heap fetch, per row returned. Postgres scales
//! the per-row part by LIMIT k / rows, so `ORDER BY ... LIMIT k` costs about the startup.
//! ivfflat's generic model prices every index page as a random read and ignores that a
//! sequential scan over TOASTed vectors (768 dimensions and up) must detoast every row, and so
//! picks the sequential scan for exactly the tables rabitq is for. With extra bits, only the
//! one-bit part of each entry is read for every code (the planes only for the few hundred
//! candidates refined), so the pages are priced by that part's share of the entry bytes.

use super::options;
use crate::index::page_store::BufferPageStore;
use pgrx::pg_sys;

#[pgrx::pg_guard]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C-unwind" fn amcostestimate(
    _root: *mut pg_sys::PlannerInfo,
    path: *mut pg_sys::IndexPath,
    _loop_count: f64,
    index_startup_cost: *mut pg_sys::Cost,
    index_total_cost: *mut pg_sys::Cost,
    index_selectivity: *mut pg_sys::Selectivity,
    index_correlation: *mut f64,
    index_pages: *mut f64,
) {
    unsafe {
        if crate::index::am::refuse_without_order(path, index_startup_cost, index_total_cost, index_selectivity, index_correlation, index_pages) {
            return;
        }
        *index_correlation = 0.0;
        *index_selectivity = 1.0;
        let info = (*path).indexinfo;
        let index = pg_sys::index_open((*info).indexoid, pg_sys::NoLock as i32);
        let (lists, scanned_fraction) = {
            let store = BufferPageStore::logged(index);
            ruvector_core::ivf::read_meta(&store).map_or((options::MAX_LISTS as f64, 1.0), |meta| (meta.lists as f64, meta.scanned_fraction()))
        };
        pg_sys::index_close(index, pg_sys::NoLock as i32);

        let (mut random_page_cost, mut seq_page_cost) = (0.0, 0.0);
        pg_sys::get_tablespace_page_costs((*info).reltablespace, &mut random_page_cost, &mut seq_page_cost);
        let share = (options::probes() as f64 / lists.max(1.0)).min(1.0);
        let pages = ((*info).pages as f64 * share * scanned_fraction).max(1.0);
        let codes = (*info).tuples.max(0.0) * share;
        *index_pages = pages;
        *index_startup_cost = pages * seq_page_cost + codes * pg_sys::cpu_operator_cost;
        // Each row returned was reranked: a heap fetch and a distance.
        *index_total_cost = *index_startup_cost + codes * (random_page_cost + pg_sys::cpu_operator_cost);
    }
}
