//! Planner costs for both IVF access methods: pgvector's ivfflatcostestimate, so the planner
//! picks an ivfflat index exactly where it would pick pgvector's: for `ORDER BY distance LIMIT
//! k`, never for a scan without that order; the startup cost is the share of the index the
//! probed lists make up.

use crate::index::page_store::BufferPageStore;
use pgrx::pg_sys;

/// `amcostestimate` with the access method's probes setting, and its `lists` option (or
/// default) for an index whose metapage cannot be read.
///
/// # Safety
/// Called by the planner with its arguments.
#[allow(clippy::too_many_arguments)]
pub unsafe fn estimate(
    probes: usize,
    fallback_lists: unsafe fn(pg_sys::Relation) -> i32,
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
        let lists = {
            let store = BufferPageStore::logged(index);
            match ruvector_core::ivf::read_meta(&store) {
                Ok(meta) => meta.lists as f64,
                Err(_) => fallback_lists(index) as f64,
            }
        };
        pg_sys::index_close(index, pg_sys::NoLock as i32);

        // The share of lists a scan visits.
        let ratio = (probes as f64 / lists.max(1.0)).min(1.0);
        let sequential_ratio = 0.5;
        let mut seq_page_cost = 0.0;
        pg_sys::get_tablespace_page_costs((*info).reltablespace, core::ptr::null_mut(), &mut seq_page_cost);

        // Lists are read page after page: half the page cost is sequential, not random.
        costs.indexTotalCost -= sequential_ratio * costs.numIndexPages * (costs.spc_random_page_cost - seq_page_cost);
        // Startup is the cost before the first row: reading the probed lists.
        costs.indexStartupCost = costs.indexTotalCost * ratio;
        // TOAST is not in the sequential scan's cost; price what the probes read beyond the
        // heap's size as pgvector does.
        let startup_pages = costs.numIndexPages * ratio;
        let heap_pages = (*(*info).rel).pages as f64;
        if startup_pages > heap_pages && ratio < 0.5 {
            costs.indexStartupCost -= (1.0 - sequential_ratio) * startup_pages * (costs.spc_random_page_cost - seq_page_cost);
            costs.indexStartupCost -= (startup_pages - heap_pages) * seq_page_cost;
        }

        *index_startup_cost = costs.indexStartupCost;
        *index_total_cost = costs.indexTotalCost;
        *index_selectivity = costs.indexSelectivity;
        *index_correlation = costs.indexCorrelation;
        *index_pages = costs.numIndexPages;
    }
}
