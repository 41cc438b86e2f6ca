//! The `ivfflat` index access method (pgvector's surface). What is ivfflat's own lives here:
//! options, validation, the scan and the SQL; the build, inserts, VACUUM and costs are the IVF
//! glue it shares with rabitq (`index::ivf`); the lists themselves are `ruvector_core::ivf`.

pub mod handler;
pub mod options;
pub mod scan;
mod sql;

use crate::index::ivf::{Flavor, payload_len, spherical};
use crate::index::value::{ElementType, ValueKind};
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::{Kind, Meta};

pub fn init() {
    options::init();
}

/// The most dimensions an ivfflat index takes: pgvector's 2,000 for vector, 4,000 for halfvec
/// and 64,000 for bit (centroids larger than a page span pages).
pub fn max_dimensions(kind: &ValueKind) -> i32 {
    match kind.element {
        ElementType::HalfVec => 4000,
        ElementType::Bit => 64000,
        _ => 2000,
    }
}

pub struct Ivfflat;

impl Flavor for Ivfflat {
    const NAME: &'static str = "ivfflat";
    const DERIVED: bool = false;

    /// pgvector's checks, in its order, with its texts.
    fn validate(kind: &ValueKind) {
        if kind.column_type == pg_sys::VARBITOID || kind.element == ElementType::SparseVec {
            raise(ERRCODE_FEATURE_NOT_SUPPORTED, "type not supported for ivfflat index");
        }
        if kind.typmod < 0 {
            raise(ERRCODE_INVALID_PARAMETER_VALUE, "column does not have dimensions");
        }
        let max = max_dimensions(kind);
        if kind.typmod > max {
            raise(ERRCODE_PROGRAM_LIMIT_EXCEEDED, format!("column cannot have more than {max} dimensions for ivfflat index"));
        }
        if spherical(kind) && kind.typmod == 1 {
            raise(ERRCODE_INVALID_PARAMETER_VALUE, "dimensions must be greater than one for this opclass");
        }
    }

    unsafe fn lists_option(index: pg_sys::Relation) -> Option<i32> {
        Some(unsafe { options::lists_of_index(index) })
    }

    fn default_lists(_rows: u64) -> i32 {
        options::DEFAULT_LISTS
    }

    unsafe fn meta(_index: pg_sys::Relation, kind: &ValueKind, lists: i32) -> Meta {
        let dims = kind.typmod.max(1) as usize;
        Meta { kind: Kind::Flat, dims: dims as u32, lists: lists as u32, payload_len: payload_len(kind, dims) as u32, rotation_seed: 0, ex_bits: 0 }
    }

    fn derived_payload(_meta: &Meta, _coordinates: &[f32], _centroid: &[f32]) -> Option<Vec<u8>> {
        None
    }
}
