//! The exact distance of a candidate row, from the heap, for reranking.
//!
//! The index keeps only codes, so the scan fetches each candidate it reranks: the heap tuple
//! visible to the scan's snapshot (following HOT chains, as the executor will), then the index
//! expression evaluated on it with `FormIndexDatum`, so expression indexes such as
//! `((embedding::halfvec(3072)))` rerank by what was indexed. The distance is the ORDER BY
//! operator's own function (the scan key's), so it is bit for bit the value the executor
//! computes and orders by. A row the snapshot cannot see yields `None`: the executor would not
//! return it either.

use crate::host_fn;
use crate::index::heap::to_item_pointer;
use pgrx::FromDatum;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::HeapTid;

// The calls a rerank makes per candidate, bound directly rather than through pgrx's guarded
// `pg_sys` wrappers, for the reason and under the rule `index/buffer_ffi.rs` gives: in PGlite
// each guarded call is a JavaScript `invoke_*` trampoline, and a query reranks dozens of rows.
// These raise an ERROR only on a corrupt tuple or an out-of-memory; the Rust frames between
// here and Postgres then hold nothing but plain values, so that rare path leaks nothing that
// Postgres' abort does not clean up (the slot's pin is a resource-owner pin). They are called
// through the function table (`crate::host_fn`), which in PGlite skips a JS stub per call.
unsafe extern "C" {
    #[link_name = "FormIndexDatum"]
    fn form_index_datum_unguarded(
        info: *mut pg_sys::IndexInfo,
        slot: *mut pg_sys::TupleTableSlot,
        estate: *mut pg_sys::EState,
        values: *mut pg_sys::Datum,
        isnull: *mut bool,
    );
    #[link_name = "FunctionCall2Coll"]
    fn function_call2_unguarded(
        flinfo: *mut pg_sys::FmgrInfo,
        collation: pg_sys::Oid,
        arg1: pg_sys::Datum,
        arg2: pg_sys::Datum,
    ) -> pg_sys::Datum;
    #[link_name = "MemoryContextReset"]
    fn memory_context_reset_unguarded(context: pg_sys::MemoryContext);
}

pub struct HeapValues {
    heap: pg_sys::Relation,
    fetch: *mut pg_sys::IndexFetchTableData,
    slot: *mut pg_sys::TupleTableSlot,
    estate: *mut pg_sys::EState,
    econtext: *mut pg_sys::ExprContext,
    index_info: *mut pg_sys::IndexInfo,
}

impl HeapValues {
    /// Opens the fetch machinery for `scan`'s heap.
    ///
    /// # Safety
    /// `scan` must be an index scan in progress (not a bitmap scan).
    pub unsafe fn open(scan: pg_sys::IndexScanDesc) -> HeapValues {
        unsafe {
            let heap = (*scan).heapRelation;
            if heap.is_null() {
                raise(ERRCODE_FEATURE_NOT_SUPPORTED, "rabitq index scans need the table to rerank from");
            }
            let index_info = pg_sys::BuildIndexInfo((*scan).indexRelation);
            let estate = pg_sys::CreateExecutorState();
            let econtext = pg_sys::MakePerTupleExprContext(estate);
            let slot = pg_sys::table_slot_create(heap, core::ptr::null_mut());
            (*econtext).ecxt_scantuple = slot;
            let begin = (*(*heap).rd_tableam).index_fetch_begin.expect("table AM fetches by tid");
            let fetch = pg_sys::ffi::pg_guard_ffi_boundary(|| begin(heap));
            HeapValues { heap, fetch, slot, estate, econtext, index_info }
        }
    }

    /// The distance `order_by` computes from the row at `tid` to its argument, or `None` when
    /// the row is not visible to `snapshot` (or its value is NULL).
    ///
    /// # Safety
    /// `snapshot` must be the scan's registered snapshot, `order_by` its non-null ORDER BY key.
    pub unsafe fn distance(&mut self, tid: HeapTid, snapshot: pg_sys::Snapshot, order_by: &mut pg_sys::ScanKeyData) -> Option<f64> {
        unsafe {
            let tableam = (*self.heap).rd_tableam;
            let fetch_tuple = (*tableam).index_fetch_tuple.expect("table AM fetches by tid");
            let mut pointer = to_item_pointer(tid);
            let (mut call_again, mut all_dead) = (false, false);
            let (fetch, slot) = (self.fetch, self.slot);
            let found = fetch_tuple(fetch, &mut pointer, snapshot, slot, &mut call_again, &mut all_dead);
            if !found {
                return None;
            }
            // The expression's results and any detoasted copy live in the per-tuple context,
            // emptied at every row.
            let per_tuple = (*self.econtext).ecxt_per_tuple_memory;
            host_fn::table(memory_context_reset_unguarded as unsafe extern "C" fn(_))(per_tuple);
            let mut values = [pg_sys::Datum::from(0usize); pg_sys::INDEX_MAX_KEYS as usize];
            let mut isnull = [false; pg_sys::INDEX_MAX_KEYS as usize];
            // Switched by hand: pgrx's PgMemoryContexts names memory contexts (PostmasterContext
            // and others) that PGlite does not export. An ERROR in between is fine: Postgres
            // resets CurrentMemoryContext when it aborts.
            let previous = pg_sys::CurrentMemoryContext;
            pg_sys::CurrentMemoryContext = per_tuple;
            let form_index_datum = host_fn::table(form_index_datum_unguarded as unsafe extern "C" fn(_, _, _, _, _));
            form_index_datum(self.index_info, slot, self.estate, values.as_mut_ptr(), isnull.as_mut_ptr());
            let distance = if isnull[0] {
                None
            } else {
                let function_call2 = host_fn::table(function_call2_unguarded as unsafe extern "C" fn(_, _, _, _) -> _);
                let result = function_call2(&raw mut order_by.sk_func, order_by.sk_collation, values[0], order_by.sk_argument);
                f64::from_datum(result, false)
            };
            pg_sys::CurrentMemoryContext = previous;
            let clear = (*(*slot).tts_ops).clear.expect("slots can be cleared");
            clear(slot);
            distance
        }
    }

    /// Releases the slot's buffer pin and the fetch state. Not a `Drop`: after an ERROR,
    /// Postgres releases them itself, and nothing may call into it from cleanup then.
    ///
    /// # Safety
    /// Call once, at the end of a scan that completed normally.
    pub unsafe fn close(self) {
        unsafe {
            let end = (*(*self.heap).rd_tableam).index_fetch_end.expect("table AM fetches by tid");
            let fetch = self.fetch;
            pg_sys::ffi::pg_guard_ffi_boundary(|| end(fetch));
            pg_sys::ExecDropSingleTupleTableSlot(self.slot);
            pg_sys::FreeExecutorState(self.estate);
        }
    }
}
