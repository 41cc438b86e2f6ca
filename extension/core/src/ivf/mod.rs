//! IVF index pages shared by ivfflat (entries hold whole encoded vectors, ranked with a
//! [`Metric`](crate::hnsw::Metric)) and IVF-RaBitQ (entries hold [`crate::rabitq`] codes,
//! ranked by estimate for the caller to rerank). See [`layout`] for the format.
//!
//! Errors and check problems reuse the hnsw types, so the extension reports both alike.

pub mod layout;
mod build;
mod check;
mod insert;
mod rerank;
mod scan;
mod vacuum;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod rerank_tests;

pub use build::{Entry, build};
pub use check::check;
pub use insert::{insert, insert_into_list};
pub use layout::{Kind, Meta, read_meta};
pub use scan::{FlatCandidate, RabitqCandidate, RefineAt, Refiner, scan_flat, scan_flat_range, scan_rabitq, scan_rabitq_range, scan_rabitq_refinable};
pub use rerank::Reranker;
pub use vacuum::vacuum_remove;
pub use crate::hnsw::{Error, HeapTid, Problem};

/// The on-page format this code reads and writes; stored in the metapage.
pub const FORMAT_VERSION: u32 = 1;
