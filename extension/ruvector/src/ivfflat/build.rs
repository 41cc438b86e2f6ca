//! CREATE INDEX: one heap scan keeps the encoded rows in memory (while they fit in
//! maintenance_work_mem) and a seeded reservoir sample of up to max(50 × lists, 10,000) rows, as
//! many as pgvector trains on; k-means (spherical for inner product and cosine, as pgvector)
//! turns the sample into `lists` centroids; every row goes to the list of its nearest centroid
//! and the core writes metapage, centroid pages and lists in one sequential pass. Rows that did
//! not fit in memory are inserted by a second heap scan instead. Pages are written without WAL
//! and logged once at the end.

use super::{coordinates, options, payload_len, spherical};
use crate::index::heap::from_item_pointer;
use crate::index::page_store::BufferPageStore;
use crate::index::progress;
use crate::index::value::{ElementType, ValueKind};
use crate::pgerror::{notice_with_detail_and_hint, raise};
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, Entry, HeapTid, Kind, Meta};
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

/// The most dimensions an ivfflat index takes. pgvector allows 2,000 for vector, 4,000 for
/// halfvec and 64,000 for bit; the core's centroid records are f32 on one page, which caps every
/// type at 2,000 (vector keeps pgvector's limit; halfvec and bit are lower than pgvector's).
pub const MAX_DIMENSIONS: i32 = 2000;

/// Seed of the row sample and k-means: the same table gives the same index.
const SEED: u64 = 0x1f5f_1a7c_0ffe_e001;

/// pgvector's checks, in its order, with its texts.
pub fn validate(kind: &ValueKind) {
    if kind.column_type == pg_sys::VARBITOID || kind.element == ElementType::SparseVec {
        raise(ERRCODE_FEATURE_NOT_SUPPORTED, "type not supported for ivfflat index");
    }
    if kind.typmod < 0 {
        raise(ERRCODE_INVALID_PARAMETER_VALUE, "column does not have dimensions");
    }
    if kind.typmod > MAX_DIMENSIONS {
        raise(
            ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            format!("column cannot have more than {MAX_DIMENSIONS} dimensions for ivfflat index"),
        );
    }
    if spherical(kind) && kind.typmod == 1 {
        raise(ERRCODE_INVALID_PARAMETER_VALUE, "dimensions must be greater than one for this opclass");
    }
}

pub fn core_error(error: ivf::Error) -> ! {
    raise(ERRCODE_INTERNAL_ERROR, format!("ivfflat index: {}", error.message()))
}

pub fn meta_of(kind: &ValueKind, lists: i32) -> Meta {
    let dims = kind.typmod.max(1) as usize;
    Meta { kind: Kind::Flat, dims: dims as u32, lists: lists as u32, payload_len: payload_len(kind, dims) as u32, rotation_seed: 0 }
}

/// splitmix64, for the reservoir: deterministic and the same on every target.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() as u128 * n as u128) >> 64) as u64
    }
}

struct BuildState {
    kind: ValueKind,
    dims: usize,
    payload_len: usize,
    spherical: bool,
    sample_target: usize,
    samples: Vec<f32>,
    sample_candidates: u64,
    rng: Rng,
    /// Rows kept for the one-pass write, while they fit in maintenance_work_mem.
    in_memory: bool,
    tids: Vec<HeapTid>,
    payloads: Vec<u8>,
    memory_limit: usize,
    index_tuples: f64,
    /// Second pass only: where the rows that did not fit go.
    store: Option<BufferPageStore>,
}

impl BuildState {
    fn sample(&mut self, mut row: Vec<f32>) {
        if self.spherical {
            let norm: f64 = row.iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
            if norm == 0.0 {
                return; // cannot be normalised: pgvector leaves it out of the sample too
            }
            row.iter_mut().for_each(|x| *x = (*x as f64 / norm) as f32);
        }
        self.sample_candidates += 1;
        let have = self.samples.len() / self.dims;
        if have < self.sample_target {
            self.samples.extend_from_slice(&row);
        } else {
            let j = self.rng.below(self.sample_candidates) as usize;
            if j < self.sample_target {
                self.samples[j * self.dims..(j + 1) * self.dims].copy_from_slice(&row);
            }
        }
    }
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

#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambuild(
    heap: pg_sys::Relation,
    index: pg_sys::Relation,
    index_info: *mut pg_sys::IndexInfo,
) -> *mut pg_sys::IndexBuildResult {
    unsafe {
        let kind = ValueKind::of_index(index);
        validate(&kind);
        let lists = options::lists_of_index(index);
        let meta = meta_of(&kind, lists);
        let dims = meta.dims as usize;

        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::MAIN_FORKNUM);
        if store.page_count() != 0 {
            raise(ERRCODE_INTERNAL_ERROR, "index already contains data");
        }

        progress::set_phase(PHASE_KMEANS);
        progress::set_tuples_total((*(*heap).rd_rel).reltuples.max(0.0) as i64);
        let mut state = BuildState {
            kind,
            dims,
            payload_len: meta.payload_len as usize,
            spherical: spherical(&kind),
            sample_target: (lists as usize * 50).max(10_000),
            samples: Vec::new(),
            sample_candidates: 0,
            rng: Rng(SEED),
            in_memory: true,
            tids: Vec::new(),
            payloads: Vec::new(),
            memory_limit: pg_sys::maintenance_work_mem as usize * 1024,
            index_tuples: 0.0,
            store: None,
        };
        let heap_tuples = scan_heap(heap, index, index_info, true, Some(collect_callback), &mut state);

        let sampled = state.samples.len() / dims;
        if sampled < lists as usize {
            notice_with_detail_and_hint(
                "ivfflat index created with little data",
                "This will cause low recall.",
                "Drop the index until the table has more data.",
            );
        }
        let params = kmeans::Params { spherical: state.spherical, ..kmeans::Params::new(lists as usize, SEED) };
        let mut centroids = kmeans::train(&state.samples, dims, &params);
        if kind.element == ElementType::Bit {
            // Bit centroids are bit strings, as pgvector's: list choice is then by Hamming distance.
            centroids.iter_mut().for_each(|x| *x = if *x > 0.5 { 1.0 } else { 0.0 });
        }
        state.samples = Vec::new();

        progress::set_phase(PHASE_ASSIGN);
        let mut entries = Vec::with_capacity(state.tids.len());
        for (i, &tid) in state.tids.iter().enumerate() {
            let payload = &state.payloads[i * state.payload_len..(i + 1) * state.payload_len];
            let (list, _) = kmeans::nearest(&centroids, dims, &coordinates(&kind, payload, dims));
            entries.push(Entry { tid, list: list as u32, payload });
        }

        progress::set_phase(PHASE_LOAD);
        ivf::build(&mut store, &meta, &centroids, entries).unwrap_or_else(|e| core_error(e));
        if !state.in_memory {
            // What did not fit in memory goes in row by row.
            state.tids = Vec::new();
            state.payloads = Vec::new();
            state.store = Some(store);
            scan_heap(heap, index, index_info, false, Some(insert_callback), &mut state);
            store = state.store.take().expect("build store");
        } else {
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
        if bytes.len() != state.payload_len {
            raise(ERRCODE_DATA_EXCEPTION, "value does not match the column's dimensions");
        }
        state.sample(coordinates(&state.kind, bytes, state.dims));
        if state.in_memory {
            state.tids.push(from_item_pointer(&*tid));
            state.payloads.extend_from_slice(bytes);
            if state.payloads.len() + state.tids.len() * 8 > state.memory_limit {
                state.in_memory = false;
                state.tids = Vec::new();
                state.payloads = Vec::new();
            }
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
unsafe extern "C-unwind" fn insert_callback(
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
        let point = coordinates(&state.kind, bytes, state.dims);
        let store = state.store.as_mut().expect("build store");
        ivf::insert(store, from_item_pointer(&*tid), &point, |_, _| bytes.to_vec()).unwrap_or_else(|e| core_error(e));
    }
}

/// An empty unlogged index: metapage and (all-zero) centroids, in the init fork.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn ambuildempty(index: pg_sys::Relation) {
    unsafe {
        let kind = ValueKind::of_index(index);
        let meta = meta_of(&kind, options::lists_of_index(index));
        let centroids = vec![0.0f32; meta.lists as usize * meta.dims as usize];
        let mut store = BufferPageStore::unlogged_build(index, pg_sys::ForkNumber::INIT_FORKNUM);
        ivf::build(&mut store, &meta, &centroids, core::iter::empty()).unwrap_or_else(|e| core_error(e));
        store.log_all();
    }
}
