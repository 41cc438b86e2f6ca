//! Placeholder for the `pgrx_embed_ruvector` bin target declared in Cargo.toml. pgrx 0.19
//! reads the SQL schema from metadata embedded in the extension library itself, has no
//! `pgrx_embed!` macro any more, and never runs this binary; the target can be dropped.
fn main() {}
