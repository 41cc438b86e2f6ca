//! The `rabitq` index access method: IVF lists whose entries are RaBitQ codes (one bit per
//! dimension of the rotated residual plus three factors: 64 bytes at 384 dimensions instead
//! of 1,536; with `bits` > 1 also that many − 1 extra bits per dimension that refine the
//! estimates of the likely neighbours), scanned by popcount estimates and reranked exactly
//! from the heap, so rows come out in true distance order. What is rabitq's own lives here: options, validation, the scan
//! with its rerank, and the SQL; the build, inserts, VACUUM and costs are the IVF glue it
//! shares with ivfflat (`index::ivf`); lists, codes and estimates are `ruvector_core`.

mod cost;
pub mod handler;
mod heap_values;
pub mod options;
pub mod scan;
mod sql;

use crate::index::ivf::{Flavor, spherical};
use crate::index::value::{ElementType, ValueKind};
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::layout::{rabitq_payload, rabitq_payload_len};
use ruvector_core::ivf::{Kind, Meta};
use ruvector_core::rabitq::{Rotation, encode_bits};

pub fn init() {
    options::init();
}

/// The types' own limit: vector and halfvec both stop at 16,000 dimensions.
pub const MAX_DIMENSIONS: i32 = 16000;

/// Seed of the rotation, fixed so the same rows give the same index on every target.
const ROTATION_SEED: u64 = 0x7261_6269_7471_0001;

pub struct Rabitq;

impl Flavor for Rabitq {
    const NAME: &'static str = "rabitq";
    const DERIVED: bool = true;

    fn validate(kind: &ValueKind) {
        if !matches!(kind.element, ElementType::Vector | ElementType::HalfVec) {
            raise(ERRCODE_FEATURE_NOT_SUPPORTED, "type not supported for rabitq index");
        }
        if kind.typmod < 0 {
            raise(ERRCODE_INVALID_PARAMETER_VALUE, "column does not have dimensions");
        }
        if kind.typmod > MAX_DIMENSIONS {
            raise(
                ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                format!("column cannot have more than {MAX_DIMENSIONS} dimensions for rabitq index"),
            );
        }
        if spherical(kind) && kind.typmod == 1 {
            raise(ERRCODE_INVALID_PARAMETER_VALUE, "dimensions must be greater than one for this opclass");
        }
    }

    unsafe fn lists_option(index: pg_sys::Relation) -> Option<i32> {
        unsafe { options::lists_option(index) }
    }

    fn default_lists(rows: u64) -> i32 {
        options::default_lists(rows)
    }

    unsafe fn meta(index: pg_sys::Relation, kind: &ValueKind, lists: i32) -> Meta {
        let dims = kind.typmod.max(1) as usize;
        let bits = unsafe { options::bits_option(index) }.unwrap_or_else(|| options::default_bits(kind.element, kind.typmod));
        let ex_bits = (bits - 1) as u8;
        Meta {
            kind: Kind::Rabitq,
            dims: dims as u32,
            lists: lists as u32,
            payload_len: rabitq_payload_len(dims, ex_bits) as u32,
            rotation_seed: ROTATION_SEED,
            ex_bits,
        }
    }

    fn derived_payload(meta: &Meta, coordinates: &[f32], centroid: &[f32]) -> Option<Vec<u8>> {
        let rotation = Rotation::new(meta.dims as usize, meta.rotation_seed);
        Some(rabitq_payload(&encode_bits(&rotation, coordinates, centroid, meta.ex_bits as u32)))
    }
}
