//! Vector math for ruvector with no Postgres in it: everything here is unit-tested with
//! `cargo test` on the host and compiled unchanged into both the native and the wasm32 module.
#![no_std]
extern crate alloc;
#[cfg(test)]
extern crate std;

/// bfloat16 values and their distances (hnsw's format-2 `vector` indexes).
pub mod bf16;
/// Hamming and Jaccard distances over `bit(n)` strings.
pub mod bits;
/// Run-time CPU feature detection (x86_64), cached; `false` everywhere else.
pub mod cpu;
/// Dense f32 distances (L2, inner product, cosine, L1, norm) with SIMD dispatch.
pub mod distance;
/// IEEE 754 half precision (`halfvec`): rounding conversions and distances.
pub mod f16;
/// HNSW graph index: build, insert, scan, vacuum and check over a [`pagestore::PageStore`].
pub mod hnsw;
/// IVF index pages (ivfflat and IVF-RaBitQ): build, insert, scan, vacuum, check.
pub mod ivf;
/// Deterministic k-means (k-means++ seeding, Lloyd, spherical variant) for IVF centroids.
pub mod kmeans;
/// Fetching memory ahead of use (a prefetch instruction, or on wasm32 a load nothing waits for).
pub mod prefetch;
/// Index pages: the storage trait the index algorithms run on, and an in-memory store.
pub mod pagestore;
/// RaBitQ one-bit codes with unbiased distance estimates and error bounds (IVF lists).
pub mod rabitq;
/// `binary_quantize`: one sign bit per dimension, as a Postgres bit string.
pub mod quantize;
/// Distances between sparse vectors (`sparsevec`) by merging sorted indices.
pub mod sparse;

pub use quantize::binary_quantize;

mod math;
pub mod splitmix;
#[cfg(test)]
mod testutil;
