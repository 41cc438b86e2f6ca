//! CREATE INDEX for both IVF access methods. One heap scan keeps the encoded rows in memory
//! while they fit in maintenance_work_mem; a seeded sample of up to max(50 × lists, 10,000)
//! rows (as many as pgvector trains on) goes to k-means (spherical for inner product and
//! cosine, as pgvector); every row goes to the list of its nearest centroid, with its payload
//! (the value itself, or its RaBitQ code against that centroid), and the core writes
//! metapage, centroid pages and lists in one sequential pass, so the same rows always give
//! the same bytes on every target. When the rows do not fit in memory, k-means trains on a
//! reservoir sample and a second heap scan places the rows: rabitq keeps their codes (an
//! eighth of the vectors' size or less) and still writes in one pass; ivfflat, whose entries
//! are the vectors, inserts them into the written lists. Pages are written without WAL and
//! logged once at the end.

use super::{Flavor, coordinates, core_error, payload_len, spherical};
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::progress;
use crate::index::value::{ElementType, ValueKind};
use crate::pgerror::{notice_with_detail_and_hint, raise};
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, Entry, HeapTid, Meta};
use ruvector_core::kmeans;
use ruvector_core::pagestore::PageStore;

/// pgvector's ivfflat build phases (`pg_stat_progress_create_index.phase`).
pub const PHASE_KMEANS: i64 = 2;
pub const PHASE_ASSIGN: i64 = 3;
pub const PHASE_LOAD: i64 = 4;

pub fn phase_name(phase: i64) -> Option<&'static core::ffi::CStr> {
    match phase {
        p if p == pg_sys::PROGRESS_CREATEIDX_SUBPHASE_INITIALIZE as i64 => Some(c"initializing"),
        PHASE_KMEANS => Some(c"performing k-means"),
        PHASE_ASSIGN => Some(c"assigning tuples"),
        PHASE_LOAD => Some(c"loading tuples"),
        _ => None,
    }
}

/// Seed of the row sample and k-means: the same table gives the same index.
const SEED: u64 = 0x1f5f_1a7c_0ffe_e001;

/// Rows k-means trains on for `lists` lists.
fn sample_size(lists: i32) -> usize {
    (lists as usize * 50).max(10_000)
}

/// Seeded reservoir sample (Algorithm R), used once the rows no longer fit in memory.
struct Reservoir {
    target: usize,
    dims: usize,
    rows: Vec<f32>,
    seen: u64,
    rng: ruvector_core::splitmix::SplitMix64,
}

impl Reservoir {
    fn offer(&mut self, row: &[f32]) {
        self.seen += 1;
        if self.rows.len() / self.dims < self.target {
            self.rows.extend_from_slice(row);
        } else {
            let j = self.rng.below(self.seen as usize);
            if j < self.target {
                self.rows[j * self.dims..(j + 1) * self.dims].copy_from_slice(row);
            }
        }
    }
}

struct BuildState {
    kind: ValueKind,
    dims: usize,
    encoded_len: usize,
    /// Rows kept for the one-pass write, while they fit in maintenance_work_mem.
    in_memory: bool,
    tids: Vec<HeapTid>,
    encoded: super::rows::Rows,
    memory_limit: usize,
    /// Once rows spill: the sample k-means trains on.
    reservoir: Option<Reservoir>,
    /// Reservoir size if rows spill (lists may not be known until the scan ends).
    spill_sample: usize,
    index_tuples: f64,
    /// Rows placed by the second pass, for progress.
    done: u64,
    /// Second pass only (rows did not fit): the trained lists, and either the store the rows
    /// are inserted into (ivfflat) or the lists and codes collected for the one-pass write
    /// (rabitq: codes are small enough to keep where the vectors were not).
    second_pass: Option<SecondPass>,
}

struct SecondPass {
    meta: Meta,
    centroids: Vec<f32>,
    derive: fn(&Meta, &[f32], &[f32]) -> Option<Vec<u8>>,
    store: Option<BufferPageStore>,
    lists: Vec<u32>,
    codes: Vec<u8>,
    fail: fn(ivf::Error) -> !,
}

/// A row scaled for spherical k-means, or `None` for a zero row that cannot be (pgvector
/// leaves those out of the sample too).
fn sample_row(mut row: Vec<f32>, spherical: bool) -> Option<Vec<f32>> {
    if spherical {
        let norm: f64 = row.iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
        if norm == 0.0 {
            return None;
        }
        row.iter_mut().for_each(|x| *x = (*x as f64 / norm) as f32);
    }
    Some(row)
}

unsafe fn scan_heap(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    index_info: *mut pg_sys::IndexInfo,
    progress: bool,
    callback: pg_sys::IndexBuildCallback,
    state: &mut BuildState,
) -> f64 {
    unsafe {
        let scan = (*(*heap).rd_tableam).index_build_range_scan.expect("table AM scans for index builds");
        scan(
            heap,
            index,
            index_info,
            true,  // allow_sync
            false, // anyvisible
            progress,
            0,
            pg_sys::InvalidBlockNumber,
            callback,
            (state as *mut BuildState).cast(),
            core::ptr::null_mut(),
        )
    }
}

/// `ambuild` of an IVF access method.
///
/// # Safety
/// Called by Postgres' index build with its relations.
pub unsafe fn build<F: Flavor>(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    index_info: *mut pg_sys::IndexInfo,
) -> *mut pg_sys::IndexBuildResult {
    unsafe {
        let kind = ValueKind::of_index(index);
        F::validate(&kind);
        let lists_option = F::lists_option(index);
        let dims = kind.typmod.max(1) as usize;

        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::MAIN_FORKNUM);
        if store.page_count() != 0 {
            raise(ERRCODE_INTERNAL_ERROR, "index already contains data");
        }

        progress::set_phase(PHASE_KMEANS);
        let estimated_rows = (*(*heap).rd_rel).reltuples.max(0.0);
        progress::set_tuples_total(estimated_rows as i64);
        let mut state = BuildState {
            kind,
            dims,
            encoded_len: payload_len(&kind, dims),
            in_memory: true,
            tids: Vec::new(),
            encoded: super::rows::Rows::new(payload_len(&kind, dims)),
            memory_limit: pg_sys::maintenance_work_mem as usize * 1024,
            reservoir: None,
            spill_sample: sample_size(lists_option.unwrap_or_else(|| F::default_lists(estimated_rows as u64))),
            index_tuples: 0.0,
            done: 0,
            second_pass: None,
        };
        let heap_tuples = scan_heap(heap, index, index_info, true, Some(collect_callback), &mut state);

        let rows = state.index_tuples as u64;
        let lists = lists_option.unwrap_or_else(|| F::default_lists(rows));
        let meta = F::meta(index, &kind, lists);
        let spherical = spherical(&kind);
        let samples = match state.reservoir.take() {
            Some(reservoir) => reservoir.rows,
            None => kmeans::sample_rows(state.tids.len(), sample_size(lists), SEED)
                .into_iter()
                .filter_map(|i| sample_row(coordinates(&kind, state.row(i), dims), spherical))
                .flatten()
                .collect(),
        };
        if samples.len() / dims < lists as usize {
            notice_with_detail_and_hint(
                format!("{} index created with little data", F::NAME),
                "This will cause low recall.",
                "Drop the index until the table has more data.",
            );
        }
        let params = kmeans::Params { spherical, ..kmeans::Params::new(lists as usize, SEED) };
        let mut centroids = kmeans::train(&samples, dims, &params);
        drop(samples);
        if kind.element == ElementType::Bit {
            // Bit centroids are bit strings, as pgvector's: list choice is then by Hamming distance.
            centroids.iter_mut().for_each(|x| *x = if *x > 0.5 { 1.0 } else { 0.0 });
        }

        progress::set_phase(PHASE_ASSIGN);
        let mut lists_of = Vec::with_capacity(state.tids.len());
        let mut derived: Vec<u8> = Vec::new();
        for i in 0..state.tids.len() {
            let point = coordinates(&kind, state.row(i), dims);
            lists_of.push(assign::<F>(&meta, &centroids, &point, &mut derived));
        }
        if !state.in_memory {
            // Rows did not fit: a second heap scan either collects their lists and codes
            // (rabitq) or inserts them into the written index (ivfflat).
            state.tids = Vec::new();
            state.encoded = super::rows::Rows::new(state.encoded_len);
            let mut pass = SecondPass {
                meta,
                centroids,
                derive: F::derived_payload,
                store: None,
                lists: Vec::new(),
                codes: Vec::new(),
                fail: core_error::<F>,
            };
            if F::DERIVED {
                state.second_pass = Some(pass);
                scan_heap(heap, index, index_info, false, Some(second_pass_callback), &mut state);
                let pass = state.second_pass.take().expect("second pass");
                progress::set_phase(PHASE_LOAD);
                let payload_len = meta.payload_len as usize;
                write::<F>(&mut store, &meta, &pass.centroids, &state.tids, &pass.lists, |i| &pass.codes[i * payload_len..(i + 1) * payload_len]);
            } else {
                progress::set_phase(PHASE_LOAD);
                ivf::build(&mut store, &meta, &pass.centroids, core::iter::empty()).unwrap_or_else(|e| core_error::<F>(e));
                pass.store = Some(store);
                state.second_pass = Some(pass);
                scan_heap(heap, index, index_info, false, Some(second_pass_callback), &mut state);
                store = state.second_pass.take().and_then(|p| p.store).expect("second pass store");
            }
        } else {
            progress::set_phase(PHASE_LOAD);
            let payload_len = meta.payload_len as usize;
            if F::DERIVED {
                write::<F>(&mut store, &meta, &centroids, &state.tids, &lists_of, |i| &derived[i * payload_len..(i + 1) * payload_len]);
            } else {
                write::<F>(&mut store, &meta, &centroids, &state.tids, &lists_of, |i| state.encoded.get(i));
            }
            progress::set_tuples_done(state.index_tuples as i64);
        }
        store.log_all();

        let result = pg_sys::palloc0(core::mem::size_of::<pg_sys::IndexBuildResult>())
            .cast::<pg_sys::IndexBuildResult>();
        (*result).heap_tuples = heap_tuples;
        (*result).index_tuples = state.index_tuples;
        result
    }
}

/// The list of the centroid nearest `point`, with its derived payload (if `F` has one)
/// appended to `derived`.
fn assign<F: Flavor>(meta: &Meta, centroids: &[f32], point: &[f32], derived: &mut Vec<u8>) -> u32 {
    let dims = meta.dims as usize;
    let (list, _) = kmeans::nearest(centroids, dims, point);
    if let Some(code) = F::derived_payload(meta, point, &centroids[list * dims..(list + 1) * dims]) {
        derived.extend_from_slice(&code);
    }
    list as u32
}

/// The one-pass write of rows `tids[i]` into lists `lists[i]` with payloads `payload(i)`.
fn write<'a, F: Flavor>(
    store: &mut BufferPageStore,
    meta: &Meta,
    centroids: &[f32],
    tids: &[HeapTid],
    lists: &[u32],
    payload: impl Fn(usize) -> &'a [u8],
) {
    let entries = tids.iter().zip(lists).enumerate().map(|(i, (&tid, &list))| Entry { tid, list, payload: payload(i) });
    ivf::build(store, meta, centroids, entries).unwrap_or_else(|e| core_error::<F>(e));
}

impl BuildState {
    fn row(&self, i: usize) -> &[u8] {
        self.encoded.get(i)
    }

    /// Rows no longer fit: the sample continues as a reservoir, fed the rows kept so far
    /// first, which gives the same sample as a reservoir run from the first row.
    fn spill(&mut self) {
        let spherical = spherical(&self.kind);
        let mut reservoir = Reservoir {
            target: self.spill_sample,
            dims: self.dims,
            rows: Vec::new(),
            seen: 0,
            rng: ruvector_core::splitmix::SplitMix64::new(SEED),
        };
        for i in 0..self.tids.len() {
            if let Some(row) = sample_row(coordinates(&self.kind, self.row(i), self.dims), spherical) {
                reservoir.offer(&row);
            }
        }
        self.reservoir = Some(reservoir);
        self.in_memory = false;
        self.tids = Vec::new();
        self.encoded = super::rows::Rows::new(self.encoded_len);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn collect_callback(
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
        let bytes = vector.as_slice();
        if bytes.len() != state.encoded_len {
            raise(ERRCODE_DATA_EXCEPTION, "value does not match the column's dimensions");
        }
        if state.in_memory {
            state.tids.push(from_item_pointer(&*tid));
            state.encoded.push(bytes);
            if state.encoded.bytes() + state.tids.capacity() * 8 > state.memory_limit {
                state.spill();
            }
        } else if let Some(row) = sample_row(coordinates(&state.kind, bytes, state.dims), spherical(&state.kind)) {
            state.reservoir.as_mut().expect("spilled build samples").offer(&row);
        }
        state.index_tuples += 1.0;
        // Every tuple would cost a guarded call (a JS trampoline in PGlite) for a counter
        // nobody reads that often.
        if state.index_tuples as u64 % 64 == 0 {
            progress::set_tuples_done(state.index_tuples as i64);
        }
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn second_pass_callback(
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
        let point = coordinates(&state.kind, vector.as_slice(), state.dims);
        let tid = from_item_pointer(&*tid);
        let pass = state.second_pass.as_mut().expect("second pass");
        let dims = pass.meta.dims as usize;
        let (list, _) = kmeans::nearest(&pass.centroids, dims, &point);
        match pass.store.as_mut() {
            Some(store) => ivf::insert_into_list(store, &pass.meta, list as u32, tid, vector.as_slice())
                .unwrap_or_else(|e| (pass.fail)(e)),
            None => {
                let code = (pass.derive)(&pass.meta, &point, &pass.centroids[list * dims..(list + 1) * dims])
                    .expect("flavors without a derived payload insert");
                state.tids.push(tid);
                pass.lists.push(list as u32);
                pass.codes.extend_from_slice(&code);
            }
        }
        state.done += 1;
        if state.done % 64 == 0 {
            progress::set_tuples_done(state.done as i64);
        }
    }
}

/// `ambuildempty`: an empty unlogged index, metapage and (all-zero) centroids, in the init fork.
///
/// # Safety
/// Called by Postgres with an open index.
pub unsafe fn build_empty<F: Flavor>(index: pg_sys::Relation) {
    unsafe {
        let kind = ValueKind::of_index(index);
        let meta = F::meta(index, &kind, F::lists_option(index).unwrap_or_else(|| F::default_lists(0)));
        let centroids = vec![0.0f32; meta.lists as usize * meta.dims as usize];
        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::INIT_FORKNUM);
        ivf::build(&mut store, &meta, &centroids, core::iter::empty()).unwrap_or_else(|e| core_error::<F>(e));
        store.log_all();
    }
}

/// The metapage of an index `F` built, for costs and scans that run before reading lists.
pub fn meta_or_error<F: Flavor>(store: &BufferPageStore) -> Meta {
    ivf::read_meta(store).unwrap_or_else(|e| core_error::<F>(e))
}
