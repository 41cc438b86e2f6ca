//! pgvector's `halfvec`: IEEE 754 binary16 elements, up to 16000 dimensions, with the same text
//! and binary formats, typmod, operators, functions and aggregates as pgvector 0.8's
//! `halfvec.sql`/`halfvec.c`. Everything but the SQL objects is shared with `vector`
//! (`crate::dense`); the f16 math is `ruvector_core::f16`.

mod aggregates;
mod arith;
mod binary;
mod casts;
mod compare;
mod datum;
mod functions;
mod ops;
mod text;
mod typmod;

use ruvector_core::f16::F16;

/// A `halfvec` argument, borrowed in place, and a new `halfvec` result.
pub type HalfVecRef<'a> = crate::dense::varlena::DenseRef<'a, F16>;
pub type HalfVec = crate::dense::varlena::Dense<F16>;

use pgrx::prelude::*;

// As pgvector: int alignment (the varlena default) and `external` storage, so large values are
// stored out of line uncompressed.
extension_sql!(
    r#"
CREATE TYPE halfvec (
	INPUT     = halfvec_in,
	OUTPUT    = halfvec_out,
	TYPMOD_IN = halfvec_typmod_in,
	RECEIVE   = halfvec_recv,
	SEND      = halfvec_send,
	STORAGE   = external
);
"#,
    name = "halfvec_type",
    requires = [
        "halfvec_shell_type",
        text::halfvec_in,
        text::halfvec_out,
        typmod::halfvec_typmod_in,
        binary::halfvec_recv,
        binary::halfvec_send,
    ],
);
