//! Postgres glue shared by every index access method (hnsw, ivfflat, rabitq):
//! the buffer + GenericXLog page store, how indexed values become the bytes the core algorithms
//! see, heap-tid conversions and existence checks, build progress, and `ruvector_index_check`.

pub mod aligned;
pub mod am;
mod buffer_ffi;
pub mod check;
pub mod heap;
pub mod ivf;
pub mod page_store;
pub mod pages;
mod recent_buffers;
pub mod progress;
pub mod reloptions;
pub mod scan_support;
pub mod settings;
pub mod value;
