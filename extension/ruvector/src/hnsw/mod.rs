//! The `hnsw` index access method (pgvector's surface): one concern per file. The graph itself
//! (levels, neighbour selection, search, insert, repair, page layout) is `ruvector_core::hnsw`.

pub mod build;
pub mod cost;
pub mod handler;
pub mod insert;
pub mod options;
mod parallel;
pub mod scan;
mod stored_kind;
mod sql;
pub mod vacuum;

pub fn init() {
    options::init();
}
