//! CREATE INDEX: the graph is built in memory (`ruvector_core::hnsw::Builder`) while it fits in
//! maintenance_work_mem, then written to pages in one pass; if it outgrows that memory, what is
//! built so far is written out and the remaining rows are inserted on disk (slower), with
//! pgvector's notice. Pages are written without WAL and logged once at the end.

use super::options;
use super::parallel::{self, ParallelRows};
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::progress;
use crate::index::value::{ElementType, Storage, ValueKind};
use crate::pgerror::{notice_with_detail_and_hint, raise};
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::hnsw::{self, Builder, Params};
use ruvector_core::pagestore::PageStore;

/// The most dimensions an hnsw index takes per type. pgvector stops at 2,000 (vector) and 4,000
/// (halfvec) because an element must fit on a page; ours may span pages, so the types' own limit
/// applies. `bit` keeps pgvector's 64,000.
fn max_dimensions(element: ElementType) -> i32 {
    match element {
        ElementType::Vector | ElementType::HalfVec => 16_000,
        ElementType::SparseVec => 1_000_000_000,
        ElementType::Bit => 64_000,
    }
}

/// pgvector's checks, in its order, with its texts.
pub fn validate(kind: &ValueKind, m: i32, ef_construction: i32) {
    // Bit strings of varying length have no dimensions to compare.
    if kind.column_type == pg_sys::VARBITOID {
        raise(ERRCODE_FEATURE_NOT_SUPPORTED, "type not supported for hnsw index");
    }
    if kind.typmod < 0 {
        raise(ERRCODE_INVALID_PARAMETER_VALUE, "column does not have dimensions");
    }
    let max = max_dimensions(kind.element);
    if kind.typmod > max {
        raise(
            ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            format!("column cannot have more than {max} dimensions for hnsw index"),
        );
    }
    if ef_construction / 2 < m {
        raise(ERRCODE_INVALID_PARAMETER_VALUE, "ef_construction must be greater than or equal to 2 * m");
    }
}

pub fn params_of(m: i32, ef_construction: i32, storage: Storage) -> Params {
    Params { m: m as u16, ef_construction: ef_construction as u16, value_encoding: storage as u8 }
}

pub fn core_error(error: hnsw::Error) -> ! {
    raise(ERRCODE_INTERNAL_ERROR, format!("hnsw index: {}", error.message()))
}

struct BuildState {
    kind: ValueKind,
    store: BufferPageStore,
    /// `Some` while the graph is built in memory; `None` once it went on to disk.
    builder: Option<Builder<ValueKind>>,
    /// `Some` natively when the build has parallel workers: rows go to the builder in batches.
    parallel: Option<ParallelRows>,
    memory_limit: usize,
    index_tuples: f64,
}

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambuild(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    index_info: *mut pg_sys::IndexInfo,
) -> *mut pg_sys::IndexBuildResult {
    unsafe {
        let kind = ValueKind::of_index(index);
        let (m, ef_construction) = options::of_index(index);
        validate(&kind, m, ef_construction);
        let storage = kind.storage_for_new_hnsw();
        let kind = kind.stored_as(storage as u8);
        let params = params_of(m, ef_construction, storage);

        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::MAIN_FORKNUM);
        if store.page_count() != 0 {
            raise(ERRCODE_INTERNAL_ERROR, "index already contains data");
        }
        hnsw::init(&mut store, params).unwrap_or_else(|e| core_error(e));

        let workers = parallel::workers_for(heap, index);
        if workers > 0 {
            pgrx::debug1!("using {workers} parallel workers");
        }
        progress::set_phase(progress::PHASE_LOADING);
        progress::set_tuples_total((*(*heap).rd_rel).reltuples.max(0.0) as i64);
        let mut state = BuildState {
            kind,
            store,
            // No build copies: values a build compares are bfloat16 already where copies paid
            // (format 2, `ValueKind::storage_for_new_hnsw`).
            builder: Some(Builder::new(params, kind)),
            parallel: (workers > 0).then(|| ParallelRows::new(workers)),
            memory_limit: pg_sys::maintenance_work_mem as usize * 1024,
            index_tuples: 0.0,
        };
        let scan = (*(*heap).rd_tableam).index_build_range_scan.expect("table AM scans for index builds");
        let heap_tuples = scan(
            heap,
            index,
            index_info,
            true,  // allow_sync
            false, // anyvisible
            true,  // progress
            0,
            pg_sys::InvalidBlockNumber,
            Some(build_callback),
            (&raw mut state).cast(),
            core::ptr::null_mut(),
        );

        progress::set_tuples_done(state.index_tuples as i64);
        if let (Some(builder), Some(rows)) = (state.builder.as_mut(), state.parallel.as_mut()) {
            rows.flush(builder);
        }
        if let Some(builder) = state.builder.take() {
            progress::set_phase(progress::PHASE_WRITING);
            builder.write_to(&mut state.store).unwrap_or_else(|e| core_error(e));
        }
        state.store.log_all();

        let result = pg_sys::palloc0(core::mem::size_of::<pg_sys::IndexBuildResult>())
            .cast::<pg_sys::IndexBuildResult>();
        (*result).heap_tuples = heap_tuples;
        (*result).index_tuples = state.index_tuples;
        result
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn build_callback(
    _index: pg_sys::Relation,
    tid: pg_sys::ItemPointer,
    values: *mut pg_sys::Datum,
    isnull: *mut bool,
    _tuple_is_alive: bool,
    state: *mut core::ffi::c_void,
) {
    unsafe {
        let state = &mut *state.cast::<BuildState>();
        if *isnull {
            return;
        }
        let Some(vector) = state.kind.encode(*values) else { return };
        let tid = from_item_pointer(&*tid);
        match state.builder.as_mut() {
            Some(builder) => {
                match state.parallel.as_mut() {
                    Some(rows) => rows.push(builder, vector.as_slice(), tid),
                    None => builder.insert(vector.as_slice(), tid),
                }
                if builder.memory_bytes() > state.memory_limit {
                    spill_to_disk(state);
                }
            }
            None => hnsw::insert(&mut state.store, &state.kind, vector.as_slice(), tid)
                .unwrap_or_else(|e| core_error(e)),
        }
        state.index_tuples += 1.0;
        // Every tuple would cost a guarded call (a JS trampoline in PGlite) for a counter
        // nobody reads that often.
        if state.index_tuples as u64 % 64 == 0 {
            progress::set_tuples_done(state.index_tuples as i64);
        }
    }
}

fn spill_to_disk(state: &mut BuildState) {
    let mut builder = state.builder.take().expect("in-memory build");
    // What is left goes in one row at a time, on the leader.
    if let Some(mut rows) = state.parallel.take() {
        rows.flush(&mut builder);
    }
    let tuples = builder.len();
    notice_with_detail_and_hint(
        format!("hnsw graph no longer fits into maintenance_work_mem after {tuples} tuples"),
        "Building will take significantly more time.",
        "Increase maintenance_work_mem to speed up builds.",
    );
    builder.write_to(&mut state.store).unwrap_or_else(|e| core_error(e));
}

/// An empty unlogged index: just the metapage, in the init fork.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambuildempty(index: pg_sys::Relation) {
    unsafe {
        let (m, ef_construction) = options::of_index(index);
        let storage = ValueKind::of_index(index).storage_for_new_hnsw();
        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::INIT_FORKNUM);
        hnsw::init(&mut store, params_of(m, ef_construction, storage)).unwrap_or_else(|e| core_error(e));
        store.log_all();
    }
}
