//! HNSW (Malkov & Yashunin) graph index over opaque vectors, stored in pages of a
//! [`PageStore`](crate::pagestore::PageStore).
//!
//! The algorithms (search, neighbour selection, linking) are written once against the
//! private `graph::Graph` trait, which both the fast in-memory [`Builder`](crate::hnsw::Builder) and the
//! on-page graph implement. See [`layout`](crate::hnsw::layout) for the page format.
//!
//! Typical use by an access method:
//! - CREATE INDEX: [`init`](crate::hnsw::init), then [`Builder::insert`](crate::hnsw::Builder::insert) every row; if [`Builder::memory_bytes`](crate::hnsw::Builder::memory_bytes)
//!   outgrows maintenance_work_mem, [`Builder::write_to`](crate::hnsw::Builder::write_to) what there is and go on with [`insert`](crate::hnsw::insert).
//!   A parallel build takes rows in batches instead: [`Builder::insert_batch`](crate::hnsw::Builder::insert_batch), whose steps run
//!   on the caller's [`Workers`](crate::hnsw::Workers) (see `parallel.rs`).
//! - INSERT: [`insert`](crate::hnsw::insert).
//! - Index scan: [`Scan::new`](crate::hnsw::Scan::new), then [`Scan::next_batch`](crate::hnsw::Scan::next_batch) until it returns an empty Vec (or the
//!   executor has enough rows).
//! - VACUUM: [`vacuum_remove`](crate::hnsw::vacuum_remove) with the dead-tuple callback, then [`vacuum_repair`](crate::hnsw::vacuum_repair).
//! - `ruvector_index_check`: [`check`](crate::hnsw::check).
//!
//! Concurrency contract (what the caller's locks must ensure):
//! - [`insert`](crate::hnsw::insert) calls are serialized with each other and with [`vacuum_repair`](crate::hnsw::vacuum_repair), which rewrites
//!   neighbour lists from what it read earlier (one exclusive "graph update" lock).
//! - Scans need no lock beyond the store's per-page share locks: they read one page at a time
//!   and tolerate pages and elements appearing meanwhile. [`vacuum_remove`](crate::hnsw::vacuum_remove) also runs alongside
//!   inserts (it removes tids by value inside its page writes).
//! - No function calls the store from inside a `read`/`write` closure, nor the caller's
//!   callbacks (`is_dead`, `heap_tid_exists`) while a page is locked.

mod aligned;
mod builder;
mod check;
mod graph;
mod insert;
mod inventory;
pub mod layout;
mod level;
mod link;
mod memo;
mod memory_graph;
mod meta;
mod page_graph;
mod parallel;
mod placement;
mod reachability;
mod reconnect;
mod repair;
mod scan;
mod search;
mod select;
mod u64map;
mod vacuum;
mod visited;

#[cfg(test)]
mod tests;

use alloc::string::String;

pub use aligned::vector_as_f32;
pub use builder::Builder;
pub use check::{Problem, check};
pub use insert::insert;
pub use meta::{Meta, init, read_meta};
pub use parallel::{Batch, Planner, Workers};
pub use scan::Scan;
pub use vacuum::{VacuumStats, vacuum_remove, vacuum_repair};

use crate::pagestore::BlockNumber;

/// The on-page format this code reads and writes; stored in the metapage.
/// Format 2 added the value-encoding byte to the metapage; format 1 indexes are read as well.
pub const FORMAT_VERSION: u32 = 2;

/// A Postgres ItemPointer: where a row lives in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeapTid {
    pub block: u32,
    pub offset: u16,
}

/// Where an element's record starts: its block and its offset within the page payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ElementId {
    pub block: u32,
    pub offset: u16,
}

impl ElementId {
    /// A unique u64 per element, for hashing into visited sets.
    #[inline]
    pub(crate) fn key(self) -> u64 {
        ((self.block as u64) << 16) | self.offset as u64
    }
}

/// Index build parameters; validated by the caller: m 2..=100, ef_construction 4..=1000, >= 2m.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub m: u16,
    pub ef_construction: u16,
    /// The caller's encoding of values, kept in the metapage for it ([`Meta::value_encoding`]);
    /// core never looks at it.
    pub value_encoding: u8,
}

/// Distance between two encoded vectors. The caller decides the encoding (f32 LE array, f16 array,
/// a sparse encoding, bit bytes) — core treats vectors as opaque bytes. Both slices are 8-byte
/// aligned (core lays vectors at 8-aligned offsets in pages, and copies into an aligned scratch
/// buffer when a vector spans pages). Smaller = closer; may be negative.
///
/// On damaged pages a slice may have any length (core bounds-checks records, not vector
/// contents): implementations should return a large distance (or NaN) rather than panic.
/// Metrics must be symmetric, as the neighbour heuristic assumes.
pub trait Metric {
    fn distance(&self, a: &[u8], b: &[u8]) -> f32;
}

impl<T: Metric + ?Sized> Metric for &T {
    #[inline]
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        (**self).distance(a, b)
    }
}

/// Why an index operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// Page data that cannot be right: what was wrong, and on which block.
    Corrupt(&'static str, BlockNumber),
    /// The vector is longer than [`layout::MAX_VECTOR_BYTES`].
    VectorTooLarge,
    /// `init` or `Builder::write_to` was given a store that already has pages of another shape.
    StoreNotEmpty,
    /// Parameters outside the documented ranges.
    BadParams,
}

impl Error {
    /// A human-readable message for ereport.
    pub fn message(&self) -> String {
        match self {
            Error::Corrupt(what, block) => {
                alloc::format!("index is corrupt: {what} (block {block})")
            }
            Error::VectorTooLarge => alloc::format!(
                "vector too large for the index (more than {} bytes)",
                layout::MAX_VECTOR_BYTES
            ),
            Error::StoreNotEmpty => String::from("index storage is not in the expected state"),
            Error::BadParams => String::from("invalid hnsw parameters"),
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}
