//! `sparsevec_in` / `sparsevec_out`: pgvector's `{1:1.5,3:2}/5` text format (1-based indices,
//! zero values dropped), with its grammar, error order and messages.

use super::varlena::{SPARSEVEC_MAX_NNZ, Sparse, SparseRef};
use super::{check_index, too_many_nnz};
use crate::checks::{SPARSEVEC, check_expected_dim};
use crate::float_text::{SHORTEST_MAX_LEN, parse_prefix, skip_spaces, write_shortest};
use crate::pgerror::raise_bytes;
use core::ffi::CStr;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use std::ffi::CString;

/// C's `strtol(s, &end, 10)` on a string without leading whitespace: the value (saturated, as
/// strtol does on overflow, then kept in `[min, i32::MAX]` as pgvector does) and its length, or
/// `None` when no digits follow the optional sign.
fn parse_int(s: &[u8], min: i32) -> Option<(i32, usize)> {
    let sign = matches!(s.first(), Some(b'+' | b'-')) as usize;
    let digits = s[sign..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let magnitude = s[sign..sign + digits].iter().fold(0i64, |acc, &c| {
        (acc * 10 + i64::from(c - b'0')).min(1 << 40)
    });
    let value = if s[0] == b'-' { -magnitude } else { magnitude };
    Some((
        value.clamp(i64::from(min), i64::from(i32::MAX)) as i32,
        sign + digits,
    ))
}

/// Parse pgvector's sparse text format into (0-based index, value) entries in input order,
/// zeros dropped, and the dimension count; errors in pgvector's order.
fn parse_sparse(literal: &[u8]) -> (Vec<(i32, f32)>, i32) {
    let ty = &SPARSEVEC;
    // pgvector sizes its buffer by the commas first, so this check precedes all others.
    let max_nnz = 1 + literal.iter().filter(|&&c| c == b',').count();
    if max_nnz > SPARSEVEC_MAX_NNZ as usize {
        too_many_nnz();
    }
    let skip_spaces = |at| skip_spaces(literal, at);

    let mut at = skip_spaces(0);
    if literal.get(at) != Some(&b'{') {
        ty.invalid_syntax(literal, Some(c"Vector contents must start with \"{\"."));
    }
    at = skip_spaces(at + 1);
    let mut entries = Vec::new();
    if literal.get(at) == Some(&b'}') {
        at += 1;
    } else {
        let mut parsed_elements = 0;
        loop {
            if parsed_elements == max_nnz {
                let message = [b"ran out of buffer: \"", literal, b"\""].concat();
                raise_bytes(ERRCODE_INVALID_TEXT_REPRESENTATION, message, None);
            }
            at = skip_spaces(at);
            if at >= literal.len() {
                ty.invalid_syntax(literal, None);
            }
            // INT_MIN + 1, so that the 0-based index below stays representable.
            let Some((index, len)) = parse_int(&literal[at..], i32::MIN + 1) else {
                ty.invalid_syntax(literal, None);
            };
            at = skip_spaces(at + len);
            if literal.get(at) != Some(&b':') {
                ty.invalid_syntax(literal, None);
            }
            at = skip_spaces(at + 1);
            let Some(parsed) = parse_prefix(&literal[at..]) else {
                ty.invalid_syntax(literal, None);
            };
            let token = &literal[at..at + parsed.len];
            if parsed.overflow || parsed.underflow(token) {
                ty.out_of_range(token);
            }
            ty.check_element(parsed.value);
            if parsed.value != 0.0 {
                entries.push((index - 1, parsed.value));
                parsed_elements += 1;
            }
            at = skip_spaces(at + parsed.len);
            match literal.get(at) {
                Some(b',') => at += 1,
                Some(b'}') => {
                    at += 1;
                    break;
                }
                _ => ty.invalid_syntax(literal, None),
            }
        }
    }

    at = skip_spaces(at);
    if literal.get(at) != Some(&b'/') {
        ty.invalid_syntax(literal, Some(c"Unexpected end of input."));
    }
    at = skip_spaces(at + 1);
    let Some((dim, len)) = parse_int(&literal[at..], i32::MIN) else {
        ty.invalid_syntax(literal, None);
    };
    if skip_spaces(at + len) != literal.len() {
        ty.invalid_syntax(literal, Some(c"Junk after closing."));
    }
    (entries, dim)
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_in(cstring, oid, integer) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_shell_type"]
)]
fn sparsevec_in(input: &CStr, _typioparam: pg_sys::Oid, typmod: i32) -> Sparse {
    let (mut entries, dim) = parse_sparse(input.to_bytes());
    SPARSEVEC.check_dim(dim.into());
    check_expected_dim(typmod, dim.into());
    // Equal indices are rejected below whatever their order, so any sort gives pgvector's
    // (qsort's) result and errors.
    entries.sort_by_key(|&(index, _)| index);
    let indices: Vec<i32> = entries.iter().map(|&(index, _)| index).collect();
    for i in 0..indices.len() {
        check_index(&indices, i, dim);
    }
    Sparse::from_entries(dim, entries.into_iter())
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_out(sparsevec) RETURNS cstring
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_shell_type"]
)]
fn sparsevec_out(value: SparseRef<'_>) -> CString {
    let (indices, values) = (value.indices(), value.values());
    let mut out = Vec::with_capacity((11 + SHORTEST_MAX_LEN) * indices.len() + 13);
    out.push(b'{');
    for (k, (&index, &v)) in indices.iter().zip(values).enumerate() {
        if k > 0 {
            out.push(b',');
        }
        // 1-based in text, 0-based on disk.
        out.extend_from_slice((i64::from(index) + 1).to_string().as_bytes());
        out.push(b':');
        write_shortest(v, &mut out);
    }
    out.extend_from_slice(b"}/");
    out.extend_from_slice(value.dim().to_string().as_bytes());
    CString::new(out).expect("formatted numbers contain no NUL")
}
