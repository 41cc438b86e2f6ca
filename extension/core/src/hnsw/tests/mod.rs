//! End-to-end tests of the HNSW index on the in-memory page store.
mod data;
mod build;
mod scan;
mod vacuum;
mod check;
mod special;
mod bench;
mod crash;
