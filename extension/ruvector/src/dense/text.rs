//! The `[1,2,3]` text format of `vector` and `halfvec`, with pgvector's grammar, error order and
//! messages (its `vector_in` / `halfvec_in`), and Postgres' shortest float4 output.

use super::element::Element;
use super::varlena::{Dense, DenseRef};
use crate::checks::check_expected_dim;
use crate::float_text::{SHORTEST_MAX_LEN, parse_prefix, skip_spaces, write_shortest};
use core::ffi::CStr;
use std::ffi::CString;

/// Parse pgvector's text format into validated float4 values that convert to `E` without
/// error. Errors are raised in the order pgvector checks them, which matters for inputs with
/// several problems (e.g. 16001 elements followed by junk).
pub fn parse_dense<E: Element>(literal: &[u8]) -> Vec<f32> {
    let ty = E::TYPE;
    let skip_spaces = |at| skip_spaces(literal, at);

    let mut at = skip_spaces(0);
    if literal.get(at) != Some(&b'[') {
        ty.invalid_syntax(literal, Some(c"Vector contents must start with \"[\"."));
    }
    at = skip_spaces(at + 1);
    if literal.get(at) == Some(&b']') {
        ty.no_dimensions();
    }

    let mut values = Vec::new();
    loop {
        if values.len() == ty.max_dim as usize {
            ty.too_many_dims();
        }
        at = skip_spaces(at);
        // pgvector's own "empty string" check (before strtof), same error as below.
        if at >= literal.len() {
            ty.invalid_syntax(literal, None);
        }
        let Some(parsed) = parse_prefix(&literal[at..]) else {
            ty.invalid_syntax(literal, None);
        };
        // strtof's ERANGE overflow, or (halfvec) a finite float4 beyond the element's range.
        let value = parsed.value;
        if parsed.overflow || (value.is_finite() && E::from_f32_unchecked(value).is_infinite()) {
            ty.out_of_range(&literal[at..at + parsed.len]);
        }
        ty.check_element(value);
        values.push(value);

        at = skip_spaces(at + parsed.len);
        match literal.get(at) {
            Some(b',') => at += 1,
            Some(b']') => {
                at += 1;
                break;
            }
            _ => ty.invalid_syntax(literal, None),
        }
    }

    if skip_spaces(at) != literal.len() {
        ty.invalid_syntax(literal, Some(c"Junk after closing right brace."));
    }
    values
}

/// The whole input function: parse, then the dimension and typmod checks.
pub fn dense_in<E: Element>(input: &CStr, typmod: i32) -> Dense<E> {
    let values = parse_dense::<E>(input.to_bytes());
    E::TYPE.check_dim(values.len() as i64);
    check_expected_dim(typmod, values.len() as i64);
    Dense::from_f32s(&values)
}

/// `[x1,x2,…]`, each element printed as the shortest float4 text (halfvec elements widened).
pub fn dense_out<E: Element>(value: DenseRef<'_, E>) -> CString {
    let values = value.as_slice();
    // "[", "]" plus at most SHORTEST_MAX_LEN - 1 bytes per float and separator; pgrx copies
    // the result into the caller's memory context.
    let mut out = Vec::with_capacity(values.len() * SHORTEST_MAX_LEN + 2);
    out.push(b'[');
    for (i, &v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_shortest(v.to_f32(), &mut out);
    }
    out.push(b']');
    CString::new(out).expect("formatted floats contain no NUL")
}
