//! `halfvec_recv` / `halfvec_send`: `int16 dim, int16 unused, binary16 x[dim]`, big-endian
//! (`crate::dense::binary`).

use super::{HalfVec, HalfVecRef};
use crate::dense::binary::{dense_recv, dense_send};
use crate::sqltypes::ByteaResult;
use pgrx::Internal;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_recv(internal, oid, integer) RETURNS halfvec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_shell_type"]
)]
fn halfvec_recv(buf: Internal, _typioparam: pg_sys::Oid, typmod: i32) -> HalfVec {
    dense_recv(buf, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION halfvec_send(halfvec) RETURNS bytea
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["halfvec_shell_type"]
)]
fn halfvec_send(value: HalfVecRef<'_>) -> ByteaResult {
    dense_send(value)
}
