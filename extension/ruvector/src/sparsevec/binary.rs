//! `sparsevec_recv` / `sparsevec_send`: pgvector's binary format, big-endian:
//! `int32 dim, int32 nnz, int32 unused, int32 indices[nnz] (0-based), float4 values[nnz]`.

use super::varlena::{Sparse, SparseRef};
use super::{check_index, check_nnz};
use crate::checks::{SPARSEVEC, check_expected_dim};
use crate::dense::binary::{check_unused, recv_buffer, recv_int};
use crate::pgerror::raise;
use crate::sqltypes::{ByteaResult, bytea_with_len};
use pgrx::Internal;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_recv(internal, oid, integer) RETURNS sparsevec
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_shell_type"]
)]
fn sparsevec_recv(buf: Internal, _typioparam: pg_sys::Oid, typmod: i32) -> Sparse {
    let buf = recv_buffer(buf);
    // SAFETY (all reads): Postgres passes a valid StringInfo positioned at this value.
    let (dim, nnz, unused) = unsafe { (recv_int(buf, 4), recv_int(buf, 4), recv_int(buf, 4)) };
    SPARSEVEC.check_dim(dim.into());
    check_nnz(nnz, dim);
    check_expected_dim(typmod, dim.into());
    check_unused(unused);

    let mut result = Sparse::zeroed(dim, nnz as usize);
    let (indices, values) = result.parts_mut();
    for i in 0..indices.len() {
        indices[i] = unsafe { recv_int(buf, 4) };
        check_index(indices, i, dim);
    }
    for v in values.iter_mut() {
        *v = unsafe { pg_sys::pq_getmsgfloat4(buf) };
        SPARSEVEC.check_element(*v);
        if *v == 0.0 {
            raise(
                ERRCODE_DATA_EXCEPTION,
                "binary representation of sparsevec cannot contain zero values",
            );
        }
    }
    result
}

#[pg_extern(
    sql = "CREATE FUNCTION sparsevec_send(sparsevec) RETURNS bytea
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["sparsevec_shell_type"]
)]
fn sparsevec_send(value: SparseRef<'_>) -> ByteaResult {
    let (indices, values) = (value.indices(), value.values());
    let (result, body) = bytea_with_len(12 + 8 * indices.len());
    let (head, rest) = body.split_at_mut(12);
    for (chunk, v) in
        head.chunks_exact_mut(4)
            .zip([value.dim(), indices.len() as i32, value.unused()])
    {
        chunk.copy_from_slice(&v.to_be_bytes());
    }
    let (index_bytes, value_bytes) = rest.split_at_mut(4 * indices.len());
    for (chunk, i) in index_bytes.chunks_exact_mut(4).zip(indices) {
        chunk.copy_from_slice(&i.to_be_bytes());
    }
    for (chunk, v) in value_bytes.chunks_exact_mut(4).zip(values) {
        chunk.copy_from_slice(&v.to_bits().to_be_bytes());
    }
    result
}
