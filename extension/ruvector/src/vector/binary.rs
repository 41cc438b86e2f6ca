//! `vector_recv` / `vector_send`: pgvector's binary format (`crate::dense::binary`).

use super::{Vector, VectorRef};
use crate::dense::binary::{dense_recv, dense_send};
use crate::sqltypes::ByteaResult;
use pgrx::Internal;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION vector_recv(internal, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_recv(buf: Internal, _typioparam: pg_sys::Oid, typmod: i32) -> Vector {
    dense_recv(buf, typmod)
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_send(vector) RETURNS bytea
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_send(vector: VectorRef<'_>) -> ByteaResult {
    dense_send(vector)
}
