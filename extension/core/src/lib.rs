//! Vector math for ruvector with no Postgres in it: everything here is unit-tested with
//! `cargo test` on the host and compiled unchanged into both the native and the wasm32 module.
#![no_std]
extern crate alloc;
