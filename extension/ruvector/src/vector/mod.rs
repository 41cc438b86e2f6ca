//! The pgvector-compatible `vector` type: storage layout, I/O, casts and distances.
//! SQL object names, signatures and behaviour follow pgvector 0.8's `vector.sql`/`vector.c`.

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

/// A `vector` argument, borrowed in place, and a new `vector` result (float4 elements).
pub type VectorRef<'a> = crate::dense::varlena::DenseRef<'a, f32>;
pub type Vector = crate::dense::varlena::Dense<f32>;

use pgrx::prelude::*;

// pgvector's definition: int alignment is the default for varlenas, and `external` storage
// keeps large vectors uncompressed out of line, as pgvector chose for speed.
extension_sql!(
    r#"
CREATE TYPE vector (
	INPUT     = vector_in,
	OUTPUT    = vector_out,
	TYPMOD_IN = vector_typmod_in,
	RECEIVE   = vector_recv,
	SEND      = vector_send,
	STORAGE   = external
);
"#,
    name = "vector_type",
    requires = [
        "vector_shell_type",
        text::vector_in,
        text::vector_out,
        typmod::vector_typmod_in,
        binary::vector_recv,
        binary::vector_send,
    ],
);
