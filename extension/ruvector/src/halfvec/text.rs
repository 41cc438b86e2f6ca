//! `halfvec_in` / `halfvec_out`: the `[1,2,3]` text format (`crate::dense::text`). Input
//! rejects finite literals beyond ±65504 as out of range; output prints each element widened to
//! float4, as pgvector does.

use super::{HalfVec, HalfVecRef};
use crate::dense::text::{dense_in, dense_out};
use core::ffi::CStr;
use pgrx::prelude::*;
use std::ffi::CString;

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_in(cstring, oid, integer) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_shell_type"]
)]
fn halfvec_in(input: &CStr, _typioparam: pg_sys::Oid, typmod: i32) -> HalfVec {
    dense_in(input, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_out(halfvec) RETURNS cstring
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_shell_type"]
)]
fn halfvec_out(value: HalfVecRef<'_>) -> CString {
    dense_out(value)
}
