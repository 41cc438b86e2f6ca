//! pgvector's validation rules, with its exact messages and SQLSTATEs (`CheckDim`,
//! `CheckExpectedDim`, `CheckElement`, `CheckDims` in pgvector's `vector.c`, `halfvec.c` and
//! `sparsevec.c`, which differ only in the type name and the dimension limit).

use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;

/// The per-type facts those messages depend on.
pub struct VecType {
    /// The SQL type name, as it appears in messages.
    pub name: &'static str,
    /// Largest dimension count (`VECTOR_MAX_DIM`, `HALFVEC_MAX_DIM`, `SPARSEVEC_MAX_DIM`).
    pub max_dim: i32,
}

pub const VECTOR: VecType = VecType {
    name: "vector",
    max_dim: 16000,
};

pub const HALFVEC: VecType = VecType {
    name: "halfvec",
    max_dim: 16000,
};

pub const SPARSEVEC: VecType = VecType {
    name: "sparsevec",
    max_dim: 1_000_000_000,
};

impl VecType {
    /// Dimension count must be 1..=max_dim. Takes `i64` so callers can pass a raw `int16`, a
    /// `c_int` or a `usize` count without a lossy cast first.
    pub fn check_dim(&self, dim: i64) {
        if dim < 1 {
            self.no_dimensions();
        }
        if dim > i64::from(self.max_dim) {
            self.too_many_dims();
        }
    }

    pub fn no_dimensions(&self) -> ! {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("{} must have at least 1 dimension", self.name),
        )
    }

    pub fn too_many_dims(&self) -> ! {
        raise(
            ERRCODE_PROGRAM_LIMIT_EXCEEDED,
            format!(
                "{} cannot have more than {} dimensions",
                self.name, self.max_dim
            ),
        )
    }

    /// NaN and ±Inf are rejected, NaN first.
    #[inline]
    pub fn check_element(&self, value: f32) {
        if !value.is_finite() {
            self.non_finite(value);
        }
    }

    #[inline]
    pub fn check_elements(&self, values: impl IntoIterator<Item = f32>) {
        values.into_iter().for_each(|v| self.check_element(v));
    }

    #[cold]
    fn non_finite(&self, value: f32) -> ! {
        if value.is_nan() {
            raise(
                ERRCODE_DATA_EXCEPTION,
                format!("NaN not allowed in {}", self.name),
            );
        }
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("infinite value not allowed in {}", self.name),
        )
    }

    /// Binary operations need equal dimension counts.
    #[inline]
    pub fn check_same_dims(&self, a: i64, b: i64) {
        if a != b {
            raise(
                ERRCODE_DATA_EXCEPTION,
                format!("different {} dimensions {a} and {b}", self.name),
            );
        }
    }

    /// `"<token>" is out of range for type <name>`, the token quoted byte for byte.
    pub fn out_of_range(&self, token: &[u8]) -> ! {
        let message = [
            b"\"",
            token,
            b"\" is out of range for type ",
            self.name.as_bytes(),
        ]
        .concat();
        crate::pgerror::raise_bytes(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, message, None)
    }

    /// `invalid input syntax for type <name>: "<literal>"`, the literal quoted byte for byte.
    pub fn invalid_syntax(&self, literal: &[u8], detail: Option<&'static core::ffi::CStr>) -> ! {
        let message = [
            b"invalid input syntax for type ",
            self.name.as_bytes(),
            b": \"",
            literal,
            b"\"",
        ]
        .concat();
        crate::pgerror::raise_bytes(ERRCODE_INVALID_TEXT_REPRESENTATION, message, detail)
    }
}

/// A typmod of -1 means "any dimension count"; the message is the same for every type.
pub fn check_expected_dim(typmod: i32, dim: i64) {
    if typmod != -1 && i64::from(typmod) != dim {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("expected {typmod} dimensions, not {dim}"),
        );
    }
}
