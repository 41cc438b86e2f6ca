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
#[cfg(test)]
mod vacuum_tests;

pub use build::{Entry, build};
pub use check::check;
pub use insert::{insert, insert_into_list};
pub use layout::{Kind, Meta, read_meta};
pub use scan::{FlatCandidate, RabitqCandidate, RefineAt, Refiner, scan_flat, scan_flat_range, scan_rabitq, scan_rabitq_range, scan_rabitq_refinable};
pub use rerank::Reranker;
pub use vacuum::vacuum_remove;
pub use crate::hnsw::{Error, HeapTid, Problem};

/// The on-page format this code writes; stored in the metapage. Version 2 lets a list's
/// insert page (`last_page`) stand before the chain's end (see [`layout`]); version 1 indexes
/// are read as they are (their insert page is the end, which version 2 allows too), but code
/// that knows only version 1 would link a new page after a page that is not the end.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format this code reads.
pub const OLDEST_FORMAT_VERSION: u32 = 1;
