//! Postgres glue shared by the two IVF access methods, `ivfflat` (entries hold the encoded
//! vector) and `rabitq` (entries hold RaBitQ codes): the build (heap scan, sample, k-means,
//! one-pass write), inserts, VACUUM and planner costs. Each access method says what differs
//! through [`Flavor`]; the lists themselves are `ruvector_core::ivf`.

pub mod build;
pub mod cost;
pub mod insert;
mod rows;
pub mod scan;
pub mod vacuum;

use crate::index::value::{DistanceKind, ElementType, ValueKind};
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::f16::F16;
use ruvector_core::ivf::{self, Meta};

/// What distinguishes one IVF access method from the other.
pub trait Flavor {
    /// The access method's name, for error texts.
    const NAME: &'static str;
    /// Whether entries hold a payload derived from the vector ([`Flavor::derived_payload`]).
    const DERIVED: bool;
    /// Refuses columns the access method cannot index, with pgvector's texts where it has them.
    fn validate(kind: &ValueKind);
    /// `lists` as given in `WITH (...)`, or `None` to choose from the row count.
    ///
    /// # Safety
    /// `index` must be an open index of this access method.
    unsafe fn lists_option(index: pg_sys::Relation) -> Option<i32>;
    /// The lists for `rows` rows when the option is not given.
    fn default_lists(rows: u64) -> i32;
    /// The metapage fields for a new index (its options read from `index`).
    ///
    /// # Safety
    /// `index` must be an open index of this access method.
    unsafe fn meta(index: pg_sys::Relation, kind: &ValueKind, lists: i32) -> Meta;
    /// An entry's payload when it is not the encoded value itself: RaBitQ's code of the row's
    /// `coordinates` relative to its list's `centroid`.
    fn derived_payload(meta: &Meta, coordinates: &[f32], centroid: &[f32]) -> Option<Vec<u8>>;
}

/// The callbacks both IVF handlers install, bound to their [`Flavor`]: `ambuild`,
/// `ambuildempty` and `aminsert`; with `$probes` (the access method's probes setting) and
/// `$lists` (its `lists` option or default, for an index whose metapage is unreadable), also
/// the generic `amcostestimate`.
#[macro_export]
macro_rules! ivf_callbacks {
    ($flavor:ty, $probes:expr, $lists:path) => {
        $crate::ivf_callbacks!($flavor);

        #[pgrx::pg_guard]
        #[allow(clippy::too_many_arguments)]
        unsafe extern "C-unwind" fn amcostestimate(
            root: *mut pgrx::pg_sys::PlannerInfo,
            path: *mut pgrx::pg_sys::IndexPath,
            loop_count: f64,
            startup: *mut pgrx::pg_sys::Cost,
            total: *mut pgrx::pg_sys::Cost,
            selectivity: *mut pgrx::pg_sys::Selectivity,
            correlation: *mut f64,
            pages: *mut f64,
        ) {
            unsafe {
                $crate::index::ivf::cost::estimate(
                    $probes, $lists, root, path, loop_count, startup, total, selectivity, correlation, pages,
                )
            }
        }
    };
    ($flavor:ty) => {
        #[pgrx::pg_guard]
        unsafe extern "C-unwind" fn ambuild(
            heap: pgrx::pg_sys::Relation,
            index: pgrx::pg_sys::Relation,
            index_info: *mut pgrx::pg_sys::IndexInfo,
        ) -> *mut pgrx::pg_sys::IndexBuildResult {
            unsafe { $crate::index::ivf::build::build::<$flavor>(heap, index, index_info) }
        }

        #[pgrx::pg_guard]
        unsafe extern "C-unwind" fn ambuildempty(index: pgrx::pg_sys::Relation) {
            unsafe { $crate::index::ivf::build::build_empty::<$flavor>(index) }
        }

        #[pgrx::pg_guard]
        #[allow(clippy::too_many_arguments)]
        unsafe extern "C-unwind" fn aminsert(
            index: pgrx::pg_sys::Relation,
            values: *mut pgrx::pg_sys::Datum,
            isnull: *mut bool,
            heap_tid: pgrx::pg_sys::ItemPointer,
            _heap: pgrx::pg_sys::Relation,
            _check_unique: pgrx::pg_sys::IndexUniqueCheck::Type,
            _index_unchanged: bool,
            index_info: *mut pgrx::pg_sys::IndexInfo,
        ) -> bool {
            unsafe { $crate::index::ivf::insert::insert::<$flavor>(index, values, isnull, heap_tid, index_info) }
        }

    };
}

pub fn core_error<F: Flavor>(error: ivf::Error) -> ! {
    raise(ERRCODE_INTERNAL_ERROR, format!("{} index: {}", F::NAME, error.message()))
}

/// An encoded value (see `index::value`) as the `f32` coordinates k-means and list choice work
/// on: vectors as they are, halfvecs widened, bit strings as 0/1 per bit (whose squared L2 is
/// the Hamming distance).
pub fn coordinates(kind: &ValueKind, encoded: &[u8], dims: usize) -> Vec<f32> {
    match kind.element {
        ElementType::Vector => encoded.chunks_exact(4).map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]])).collect(),
        ElementType::HalfVec => encoded
            .chunks_exact(2)
            .map(|c| F16::from_bits(u16::from_ne_bytes([c[0], c[1]])).to_f32())
            .collect(),
        ElementType::Bit => (0..dims)
            .map(|i| encoded.get(i / 8).map_or(0.0, |b| ((b >> (7 - i % 8)) & 1) as f32))
            .collect(),
        ElementType::SparseVec => Vec::new(),
    }
}

/// Bytes of one encoded value of a `dims`-dimensional column.
pub fn payload_len(kind: &ValueKind, dims: usize) -> usize {
    match kind.element {
        ElementType::Vector => dims * 4,
        ElementType::HalfVec => dims * 2,
        ElementType::Bit => dims.div_ceil(8),
        ElementType::SparseVec => 0,
    }
}

/// Whether lists are trained with spherical k-means: pgvector's inner product and cosine
/// operator classes (support function 4, the k-means norm).
pub fn spherical(kind: &ValueKind) -> bool {
    kind.distance == DistanceKind::InnerProduct
}

/// The distance functions' own error for a query of other dimensions than the index's.
pub fn check_query_dimensions(kind: &ValueKind, dims: usize, query_bytes: usize) {
    let query_dims = match kind.element {
        ElementType::Vector => query_bytes / 4,
        ElementType::HalfVec => query_bytes / 2,
        _ => {
            if query_bytes != dims.div_ceil(8) {
                raise(ERRCODE_DATA_EXCEPTION, format!("different bit lengths {} and {}", dims, query_bytes * 8));
            }
            return;
        }
    };
    if query_dims != dims {
        let name = if kind.element == ElementType::HalfVec { "halfvec" } else { "vector" };
        raise(ERRCODE_DATA_EXCEPTION, format!("different {name} dimensions {dims} and {query_dims}"));
    }
}
