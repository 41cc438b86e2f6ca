//! `l2_norm` and `l2_normalize` on `sparsevec`, as pgvector's `sparsevec_l2_norm` and
//! `sparsevec_l2_normalize` (which drops values that underflow to zero).

use super::varlena::{Sparse, SparseRef};
use crate::pgerror::float_overflow;
use pgrx::prelude::*;
use ruvector_core::sparse;

#[pg_extern(
    sql = "CREATE FUNCTION l2_norm(sparsevec) RETURNS float8
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_l2_norm(a: SparseRef<'_>) -> f64 {
    sparse::norm(a.view())
}

#[pg_extern(
    sql = "CREATE FUNCTION l2_normalize(sparsevec) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_type"]
)]
fn sparsevec_l2_normalize(a: SparseRef<'_>) -> Sparse {
    let norm = sparse::norm(a.view());
    // A zero vector (no stored values) stays as it is.
    if norm <= 0.0 {
        return Sparse::from_entries(
            a.dim(),
            a.indices().iter().copied().zip(a.values().iter().copied()),
        );
    }
    let scaled: Vec<(i32, f32)> = a
        .indices()
        .iter()
        .zip(a.values())
        .map(|(&i, &x)| {
            // Divided in double like pgvector, then rounded to float4.
            let r = (f64::from(x) / norm) as f32;
            if r.is_infinite() {
                float_overflow();
            }
            (i, r)
        })
        .collect();
    // Values that underflowed to zero are not stored.
    Sparse::from_entries(
        a.dim(),
        scaled
            .into_iter()
            .filter(|&(_, r)| r != 0.0)
            .collect::<Vec<_>>()
            .into_iter(),
    )
}
