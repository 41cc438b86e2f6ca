//! End-to-end tests of the HNSW index on the in-memory page store.
mod bench;
mod build;
mod check;
mod corrupt;
mod crash;
mod data;
mod parallel;
mod meta;
mod placement;
mod scan;
mod special;
mod vacuum;
