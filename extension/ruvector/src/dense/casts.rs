//! Casts between `vector` and arrays, and the `vector(vector, int4, bool)` typmod coercion,
//! as pgvector's `array_to_vector`, `vector_to_float4` and `vector`.

use super::checks::{check_dim, check_elements, check_expected_dim};
use super::varlena::{Vector, VectorRef};
use crate::pgerror::raise;
use crate::sqltypes::{
    Float4Array, Float4ArrayResult, Float8Array, Int4Array, NumericArray, RawArrayArg,
    construct_1d_array,
};
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

/// Applies a column's `vector(n)` typmod to a value (the `vector AS vector` cast).
#[pg_extern(
    sql = "CREATE FUNCTION vector(vector, integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_typmod_coerce(vector: VectorRef<'_>, typmod: i32, _explicit: bool) -> VectorRef<'_> {
    check_expected_dim(typmod, vector.dim() as i64);
    vector
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(integer[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_int4(array: Int4Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_vector(&array, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(real[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_float4(array: Float4Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_vector(&array, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(double precision[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_float8(array: Float8Array, typmod: i32, _explicit: bool) -> Vector {
    array_to_vector(&array, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION array_to_vector(numeric[], integer, boolean) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn array_to_vector_numeric(array: NumericArray, typmod: i32, _explicit: bool) -> Vector {
    array_to_vector(&array, typmod)
}

/// One body for all element types, dispatching on the array's element type like pgvector, so
/// error precedence (shape, nulls, dimensions, then values) is the same for each overload.
fn array_to_vector(array: &impl RawArrayArg, typmod: i32) -> Vector {
    let ptr = array.as_ptr();
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
    check_dim(elems.len() as i64);
    check_expected_dim(typmod, elems.len() as i64);

    let mut result = Vector::zeroed(elems.len());
    let out = result.as_mut_slice();
    // Datum conversions go through pgrx, which knows float8 is by-reference on 32-bit targets.
    // SAFETY (all arms): the datums come from deconstruct_array for this element type.
    unsafe {
        if elemtype == pg_sys::INT4OID {
            for (x, &d) in out.iter_mut().zip(elems) {
                *x = i32::from_datum(d, false).unwrap_unchecked() as f32;
            }
        } else if elemtype == pg_sys::FLOAT8OID {
            for (x, &d) in out.iter_mut().zip(elems) {
                // Round-to-nearest like C's double -> float; overflow becomes ±inf and is
                // rejected below, as in pgvector.
                *x = f64::from_datum(d, false).unwrap_unchecked() as f32;
            }
        } else if elemtype == pg_sys::FLOAT4OID {
            for (x, &d) in out.iter_mut().zip(elems) {
                *x = f32::from_datum(d, false).unwrap_unchecked();
            }
        } else if elemtype == pg_sys::NUMERICOID {
            for (x, &d) in out.iter_mut().zip(elems) {
                // Postgres' own numeric_float4 keeps its rounding and overflow errors.
                *x = pgrx::direct_function_call::<f32>(pg_sys::numeric_float4, &[Some(d)])
                    .expect("numeric_float4 returned NULL");
            }
        } else {
            raise(ERRCODE_DATA_EXCEPTION, "unsupported array type");
        }
    }
    check_elements(out);
    result
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

/// The implicit `vector AS real[]` cast.
#[pg_extern(
    sql = "CREATE FUNCTION vector_to_float4(vector, integer, boolean) RETURNS real[]
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_type"]
)]
fn vector_to_float4(vector: VectorRef<'_>, _typmod: i32, _explicit: bool) -> Float4ArrayResult {
    let mut datums: Vec<pg_sys::Datum> = vector
        .as_slice()
        .iter()
        .map(|v| v.into_datum().expect("float4 datum"))
        .collect();
    Float4ArrayResult(construct_1d_array(&mut datums, pg_sys::FLOAT4OID))
}

extension_sql!(
    r#"
CREATE CAST (vector AS vector)
	WITH FUNCTION vector(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (vector AS real[])
	WITH FUNCTION vector_to_float4(vector, integer, boolean) AS IMPLICIT;

CREATE CAST (integer[] AS vector)
	WITH FUNCTION array_to_vector(integer[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (real[] AS vector)
	WITH FUNCTION array_to_vector(real[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (double precision[] AS vector)
	WITH FUNCTION array_to_vector(double precision[], integer, boolean) AS ASSIGNMENT;

CREATE CAST (numeric[] AS vector)
	WITH FUNCTION array_to_vector(numeric[], integer, boolean) AS ASSIGNMENT;
"#,
    name = "vector_casts",
    requires = [
        "vector_type",
        vector_typmod_coerce,
        vector_to_float4,
        array_to_vector_int4,
        array_to_vector_float4,
        array_to_vector_float8,
        array_to_vector_numeric,
    ],
);
