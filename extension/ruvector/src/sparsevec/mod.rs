//! pgvector's `sparsevec`: up to 16000 non-zero float4 elements in up to 1,000,000,000
//! dimensions, with its text (`{1:1.5,3:2}/5`) and binary formats, typmod, distances, norms,
//! ordering and casts (pgvector 0.8's `sparsevec.sql`/`sparsevec.c`). The distance kernels are
//! `ruvector_core::sparse`.

mod binary;
mod casts;
mod compare;
mod datum;
mod functions;
mod ops;
mod text;
mod typmod;
pub mod varlena;

pub use varlena::{Sparse, SparseRef};

use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use varlena::SPARSEVEC_MAX_NNZ;

pub(crate) fn too_many_nnz() -> ! {
    raise(
        ERRCODE_PROGRAM_LIMIT_EXCEEDED,
        format!("sparsevec cannot have more than {SPARSEVEC_MAX_NNZ} non-zero elements"),
    )
}

/// pgvector's `CheckNnz`.
pub(crate) fn check_nnz(nnz: i32, dim: i32) {
    if nnz < 0 {
        raise(
            ERRCODE_DATA_EXCEPTION,
            "sparsevec cannot have negative number of elements",
        );
    }
    if nnz > SPARSEVEC_MAX_NNZ {
        too_many_nnz();
    }
    if nnz > dim {
        raise(
            ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            "sparsevec cannot have more elements than dimensions",
        );
    }
}

/// pgvector's `CheckIndex` for `indices[i]`, given the ones before it.
pub(crate) fn check_index(indices: &[i32], i: usize, dim: i32) {
    let index = indices[i];
    if index < 0 || index >= dim {
        raise(ERRCODE_DATA_EXCEPTION, "sparsevec index out of bounds");
    }
    if i > 0 {
        if index < indices[i - 1] {
            raise(
                ERRCODE_DATA_EXCEPTION,
                "sparsevec indices must be in ascending order",
            );
        }
        if index == indices[i - 1] {
            raise(
                ERRCODE_DATA_EXCEPTION,
                "sparsevec indices must not contain duplicates",
            );
        }
    }
}

/// Keeps the non-zero values of a dense row as (index, value) entries.
pub(crate) fn nonzero_entries(values: impl Iterator<Item = f32>) -> Vec<(i32, f32)> {
    values
        .enumerate()
        .filter(|&(_, v)| v != 0.0)
        .map(|(i, v)| (i as i32, v))
        .collect()
}

// As pgvector: int alignment and `external` storage.
extension_sql!(
    r#"
CREATE TYPE sparsevec (
	INPUT     = sparsevec_in,
	OUTPUT    = sparsevec_out,
	TYPMOD_IN = sparsevec_typmod_in,
	RECEIVE   = sparsevec_recv,
	SEND      = sparsevec_send,
	STORAGE   = external
);
"#,
    name = "sparsevec_type",
    requires = [
        "sparsevec_shell_type",
        text::sparsevec_in,
        text::sparsevec_out,
        typmod::sparsevec_typmod_in,
        binary::sparsevec_recv,
        binary::sparsevec_send,
    ],
);
