//! The `ivfflat` index access method (pgvector's surface): one concern per file. The lists
//! themselves (page layout, build, insert, scan, vacuum, check) are `ruvector_core::ivf`, the
//! centroids `ruvector_core::kmeans`.

pub mod build;
pub mod cost;
pub mod handler;
pub mod insert;
pub mod options;
pub mod scan;
mod sql;
pub mod vacuum;

use crate::index::value::{ElementType, ValueKind};
use ruvector_core::f16::F16;

pub fn init() {
    options::init();
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
    kind.distance == crate::index::value::DistanceKind::InnerProduct
}
