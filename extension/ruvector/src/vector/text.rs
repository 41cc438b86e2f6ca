//! `vector_in` / `vector_out`: the `[1,2,3]` text format, with pgvector's grammar, error order
//! and messages (its `vector_in`), and Postgres' shortest float4 output.

use super::checks::{VECTOR_MAX_DIM, check_dim, check_element, check_expected_dim, too_many_dims};
use super::float_text::{SHORTEST_MAX_LEN, parse_prefix, write_shortest};
use super::varlena::{Vector, VectorRef};
use crate::pgerror::{raise, raise_bytes};
use core::ffi::CStr;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use std::ffi::CString;

/// pgvector's `vector_isspace` (the same set as Postgres' `scanner_isspace`).
#[inline]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn invalid_syntax(literal: &[u8]) -> ! {
    invalid_syntax_with_detail(literal, None)
}

/// `invalid input syntax for type vector: "<literal>"`, the literal quoted byte for byte.
fn invalid_syntax_with_detail(literal: &[u8], detail: Option<&'static CStr>) -> ! {
    let message = [b"invalid input syntax for type vector: \"", literal, b"\""].concat();
    raise_bytes(ERRCODE_INVALID_TEXT_REPRESENTATION, message, detail)
}

/// Parse pgvector's text format. Errors are raised in the order pgvector checks them, which
/// matters for inputs with several problems (e.g. 16001 elements followed by junk).
pub fn parse_vector(literal: &[u8]) -> Vec<f32> {
    let skip_spaces = |mut at: usize| {
        while literal.get(at).is_some_and(|&c| is_space(c)) {
            at += 1;
        }
        at
    };

    let mut at = skip_spaces(0);
    if literal.get(at) != Some(&b'[') {
        invalid_syntax_with_detail(literal, Some(c"Vector contents must start with \"[\"."));
    }
    at = skip_spaces(at + 1);
    if literal.get(at) == Some(&b']') {
        raise(
            ERRCODE_DATA_EXCEPTION,
            "vector must have at least 1 dimension",
        );
    }

    let mut values = Vec::new();
    loop {
        if values.len() == VECTOR_MAX_DIM {
            too_many_dims();
        }
        at = skip_spaces(at);
        // pgvector's own "empty string" check (before strtof), same error as below.
        if at >= literal.len() {
            invalid_syntax(literal);
        }
        let Some(parsed) = parse_prefix(&literal[at..]) else {
            invalid_syntax(literal);
        };
        if parsed.overflow {
            let token = &literal[at..at + parsed.len];
            let message = [b"\"", token, b"\" is out of range for type vector"].concat();
            raise_bytes(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, message, None);
        }
        check_element(parsed.value);
        values.push(parsed.value);

        at = skip_spaces(at + parsed.len);
        match literal.get(at) {
            Some(b',') => at += 1,
            Some(b']') => {
                at += 1;
                break;
            }
            _ => invalid_syntax(literal),
        }
    }

    if skip_spaces(at) != literal.len() {
        invalid_syntax_with_detail(literal, Some(c"Junk after closing right brace."));
    }
    values
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_in(cstring, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_in(input: &CStr, _typioparam: pg_sys::Oid, typmod: i32) -> Vector {
    let values = parse_vector(input.to_bytes());
    check_dim(values.len() as i64);
    check_expected_dim(typmod, values.len() as i64);
    Vector::from_slice(&values)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_out(vector) RETURNS cstring
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_out(vector: VectorRef<'_>) -> CString {
    let values = vector.as_slice();
    // "[", "]" plus at most SHORTEST_MAX_LEN - 1 bytes per float and separator; pgrx copies
    // the result into the caller's memory context.
    let mut out = Vec::with_capacity(values.len() * SHORTEST_MAX_LEN + 2);
    out.push(b'[');
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_shortest(v, &mut out);
    }
    out.push(b']');
    CString::new(out).expect("formatted floats contain no NUL")
}
