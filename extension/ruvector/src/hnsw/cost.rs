//! Planner costs: pgvector's estimate, so the planner picks an hnsw index exactly where it would
//! pick pgvector's: for `ORDER BY distance LIMIT k`, never for a scan without that order.

use super::options;
use pgrx::pg_sys;

/// Fraction of the index a search visits: the descent through the upper layers plus ~ef_search
/// layer-0 expansions of up to 2m neighbours each (pgvector's formula and scaling factor).
fn visited_ratio(tuples: f64, m: i32, ef_search: usize) -> f64 {
    if tuples <= 0.0 {
        return 1.0;
    }
    let m = m as f64;
    let ef = ef_search as f64;
    let scaling_factor = 0.55;
    let entry_level = (tuples.ln() / m.ln()).trunc();
    let layer0_tuples_max = 2.0 * m * ef;
    let layer0_selectivity = scaling_factor * tuples.ln() / (m.ln() * (1.0 + ef.ln()));
    ((entry_level * m + layer0_tuples_max * layer0_selectivity) / tuples).min(1.0)
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn amcostestimate(
    root: *mut pg_sys::PlannerInfo,
    path: *mut pg_sys::IndexPath,
    loop_count: f64,
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
        let mut costs: pg_sys::GenericCosts = core::mem::zeroed();
        pg_sys::genericcostestimate(root, path, loop_count, &mut costs);

        let info = (*path).indexinfo;
        let index = pg_sys::index_open((*info).indexoid, pg_sys::NoLock as i32);
        let (m, _) = options::of_index(index);
        pg_sys::index_close(index, pg_sys::NoLock as i32);

        let ratio = visited_ratio((*info).tuples, m, options::ef_search());
        let mut seq_page_cost = 0.0;
        pg_sys::get_tablespace_page_costs((*info).reltablespace, core::ptr::null_mut(), &mut seq_page_cost);

        // Startup is the cost before the first row: the whole search.
        costs.indexStartupCost = costs.indexTotalCost * ratio;
        // TOAST is not in the sequential scan's cost; when the search reads more pages than the
        // heap has, price them as sequential reads of at most the heap's size, as pgvector does.
        let startup_pages = costs.numIndexPages * ratio;
        let heap_pages = (*(*info).rel).pages as f64;
        if startup_pages > heap_pages && ratio < 0.5 {
            costs.indexStartupCost -= startup_pages * (costs.spc_random_page_cost - seq_page_cost);
            costs.indexStartupCost -= (startup_pages - heap_pages) * seq_page_cost;
        }

        *index_startup_cost = costs.indexStartupCost;
        *index_total_cost = costs.indexTotalCost;
        *index_selectivity = costs.indexSelectivity;
        *index_correlation = costs.indexCorrelation;
        *index_pages = costs.numIndexPages;
    }
}
