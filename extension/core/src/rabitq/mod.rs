//! RaBitQ (Gao & Long, SIGMOD 2024): one bit per dimension for a vector's residual from its
//! IVF centroid, plus correction factors that make the distance estimate unbiased and give
//! it a probabilistic error bound, so a scan can rank by estimates and rerank only the
//! candidates whose bound overlaps the current top-k.
//!
//! Pipeline, for a vector x in list c and a query q:
//! 1. [`Rotation`]: a seeded random orthogonal map P on the dimension padded to a multiple
//!    of 64 (randomised Hadamard transforms, see `rotation.rs`).
//! 2. [`encode`]: r = x − c, o = P·r / ‖r‖; the code is the signs of o (bit set = positive)
//!    and the factors ‖r‖ and ⟨ō, o⟩ = Σ|oᵢ|/√D, where ō = sign(o)/√D is the quantized unit
//!    vector. Also ⟨r, c⟩, which only inner-product estimates need.
//! 3. [`QueryPrep`]: q_r = q − c rotated and normalised, then scalar-quantised to 4 bits per
//!    dimension (bit planes), so ⟨ō, q'⟩ becomes integer popcounts.
//! 4. [`estimate`]: ⟨o, q'⟩ ≈ ⟨ō, q'⟩ / ⟨ō, o⟩ (the paper's unbiased estimator), hence
//!    ‖x − q‖² ≈ ‖r‖² + ‖q_r‖² − 2‖r‖‖q_r‖⟨o, q'⟩, with the bound
//!    2‖r‖‖q_r‖ · √(1 − ⟨ō,o⟩²)/⟨ō,o⟩ · ε0/√(D − 1), ε0 = 1.9.
//!
//! D in those formulas is the padded dimension: the rotation spreads the residual over all
//! of it, and the bits cover all of it.

mod code;
mod ex;
mod query;
mod rotation;
pub mod scan;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod recall_tests;

pub use code::{Code, encode, encode_bits};
pub use ex::{ExCode, FINE_QUERY_BITS, MAX_EX_BITS, refine};
pub use query::QueryPrep;
pub use rotation::Rotation;
pub use scan::{CodeSlices, estimate};

/// The paper's confidence parameter ε0. The estimator's error is close to Gaussian with
/// standard deviation √(1 − ⟨ō,o⟩²)/⟨ō,o⟩/√(D − 1) (times √(1 − ⟨o,q⟩²) ≤ 1), so ε0 counts
/// standard deviations: 1.9 covers ≈ 94% of pairs (what the paper tunes for recall, not a
/// per-pair guarantee) and [`EPSILON0_99`] ≥ 99%. The tests measure both.
pub const EPSILON0: f64 = 1.9;

/// ε0 for a bound that holds on ≥ 99% of pairs: the two-sided Gaussian 99.5% point, the
/// margin absorbing the 4-bit query quantisation error that the Gaussian model omits.
pub const EPSILON0_99: f64 = 2.8;

/// The narrowest one-bit bound, in standard deviations, when codes have extra bits: a miss
/// there costs a refinement rather than an exact rerank, so that stage is wider than the
/// refined one (it holds on ≈ 98% of pairs). On 20,000 noisy 768-dim rows with every list
/// probed (`ivf` tuning test), at 4 bits and a rerank batch of 20: 1.9 / 2.3 / 2.8 give
/// recall@10 0.996 / 1.000 / 1.000 with 151 / 218 / 356 refinements and 20 reranks a query.
pub const FIRST_STAGE_EPSILON0: f64 = 2.3;

/// Bits per dimension of the quantized query (the paper's B_q = 4: its error is negligible
/// next to the code's, and four bit planes keep the inner loop to popcounts).
pub const QUERY_BITS: u32 = 4;

/// Dimension after padding: a multiple of 64 (whole u64 words of code bits), at least 64.
pub const fn padded_dims(dims: usize) -> usize {
    if dims == 0 { 64 } else { dims.div_ceil(64) * 64 }
}

/// u64 words of code bits per vector.
pub const fn code_words(dims: usize) -> usize {
    padded_dims(dims) / 64
}
