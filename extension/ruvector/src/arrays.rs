//! Arrays ↔ vector types: decoding `integer[]`, `real[]`, `double precision[]` and `numeric[]`
//! into float4 values as pgvector's `array_to_vector`, `array_to_halfvec` and
//! `array_to_sparsevec` do, and building `real[]` results.

use crate::checks::{VecType, check_expected_dim};
use crate::pgerror::raise;
use crate::sqltypes::{Float4ArrayResult, construct_1d_array};
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

/// Checks the array (shape, nulls, then `ty`'s dimension limits and the typmod, in pgvector's
/// order) and passes each element, rounded to float4, to `each` in order. Element errors
/// (numeric's own range error, an unsupported element type) come from this walk, so a caller
/// that converts further inside `each` reports problems element by element like pgvector.
///
/// `array` must be a detoasted array argument (`RawArrayArg::as_ptr`). Not generic (a `dyn`
/// callback, the array as a pointer), so a dozen casts share one copy.
pub fn for_each_float(
    array: *mut pg_sys::ArrayType,
    ty: &VecType,
    typmod: i32,
    each: &mut dyn FnMut(f32),
) -> usize {
    let ptr = array;
    // SAFETY: a detoasted array argument; the header fields are plain reads.
    let (ndim, has_null_bitmap, elemtype) =
        unsafe { ((*ptr).ndim, (*ptr).dataoffset != 0, (*ptr).elemtype) };
    if ndim > 1 {
        raise(ERRCODE_DATA_EXCEPTION, "array must be 1-D");
    }
    // SAFETY: as above.
    if has_null_bitmap && unsafe { pg_sys::array_contains_nulls(ptr) } {
        raise(
            ERRCODE_NULL_VALUE_NOT_ALLOWED,
            "array must not contain nulls",
        );
    }

    let elems = deconstruct(ptr, elemtype);
    ty.check_dim(elems.len() as i64);
    check_expected_dim(typmod, elems.len() as i64);

    // Datum conversions go through pgrx, which knows float8 is by-reference on 32-bit targets.
    // SAFETY (all arms): the datums come from deconstruct_array for this element type.
    unsafe {
        if elemtype == pg_sys::INT4OID {
            for &d in elems {
                each(i32::from_datum(d, false).unwrap_unchecked() as f32);
            }
        } else if elemtype == pg_sys::FLOAT8OID {
            for &d in elems {
                // Round-to-nearest like C's double -> float; overflow becomes ±inf, which the
                // callers reject as pgvector does.
                each(f64::from_datum(d, false).unwrap_unchecked() as f32);
            }
        } else if elemtype == pg_sys::FLOAT4OID {
            for &d in elems {
                each(f32::from_datum(d, false).unwrap_unchecked());
            }
        } else if elemtype == pg_sys::NUMERICOID {
            for &d in elems {
                // Postgres' own numeric_float4 keeps its rounding and overflow errors.
                each(
                    pgrx::direct_function_call::<f32>(pg_sys::numeric_float4, &[Some(d)])
                        .expect("numeric_float4 returned NULL"),
                );
            }
        } else {
            raise(ERRCODE_DATA_EXCEPTION, "unsupported array type");
        }
    }
    elems.len()
}

/// `deconstruct_array` with the element type's storage properties; the slice lives in the
/// current memory context (freed with it rather than by an early `pfree` as in pgvector).
fn deconstruct<'a>(array: *mut pg_sys::ArrayType, elemtype: pg_sys::Oid) -> &'a [pg_sys::Datum] {
    let mut typlen: i16 = 0;
    let mut typbyval = false;
    let mut typalign: core::ffi::c_char = 0;
    let mut elems: *mut pg_sys::Datum = core::ptr::null_mut();
    let mut count: core::ffi::c_int = 0;
    // SAFETY: a valid array; Postgres fills the out-parameters or raises.
    unsafe {
        pg_sys::get_typlenbyvalalign(elemtype, &mut typlen, &mut typbyval, &mut typalign);
        pg_sys::deconstruct_array(
            array,
            elemtype,
            typlen.into(),
            typbyval,
            typalign,
            &mut elems,
            core::ptr::null_mut(),
            &mut count,
        );
        if count <= 0 || elems.is_null() {
            return &[];
        }
        core::slice::from_raw_parts(elems, count as usize)
    }
}

/// A new `real[]` holding `values`.
pub fn float4_array(values: impl Iterator<Item = f32>) -> Float4ArrayResult {
    let mut datums: Vec<pg_sys::Datum> = values
        .map(|v| v.into_datum().expect("float4 datum"))
        .collect();
    Float4ArrayResult(construct_1d_array(&mut datums, pg_sys::FLOAT4OID))
}
