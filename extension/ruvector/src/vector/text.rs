//! `vector_in` / `vector_out`: the `[1,2,3]` text format (`crate::dense::text`).

use super::{Vector, VectorRef};
use crate::dense::text::{dense_in, dense_out};
use core::ffi::CStr;
use pgrx::prelude::*;
use std::ffi::CString;

#[pg_extern(
    sql = "CREATE FUNCTION vector_in(cstring, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_in(input: &CStr, _typioparam: pg_sys::Oid, typmod: i32) -> Vector {
    dense_in(input, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_out(vector) RETURNS cstring
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_out(vector: VectorRef<'_>) -> CString {
    dense_out(vector)
}
