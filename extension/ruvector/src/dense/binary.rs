//! `vector_recv` / `vector_send`: pgvector's binary format, in network byte order:
//! `int16 dim, int16 unused, float4 x[dim]`.

use super::checks::{check_dim, check_element, check_expected_dim};
use super::varlena::{Vector, VectorRef};
use crate::pgerror::raise;
use crate::sqltypes::ByteaResult;
use core::ptr::NonNull;
use pgrx::Internal;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

#[pg_extern(
    sql = "CREATE FUNCTION vector_recv(internal, oid, integer) RETURNS vector
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_recv(buf: Internal, _typioparam: pg_sys::Oid, typmod: i32) -> Vector {
    let buf: pg_sys::StringInfo = buf
        .unwrap()
        .expect("vector_recv: NULL buffer")
        .cast_mut_ptr();
    // Postgres' own readers, so a short message fails with its "insufficient data left in
    // message" error exactly as pgvector's does.
    // SAFETY: Postgres passes a valid StringInfo positioned at this value.
    let dim = unsafe { pg_sys::pq_getmsgint(buf, 2) } as u16 as i16;
    let unused = unsafe { pg_sys::pq_getmsgint(buf, 2) } as u16 as i16;

    check_dim(dim.into());
    check_expected_dim(typmod, dim.into());
    if unused != 0 {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("expected unused to be 0, not {unused}"),
        );
    }

    let mut result = Vector::zeroed(dim as usize);
    for x in result.as_mut_slice() {
        // SAFETY: as above.
        *x = unsafe { pg_sys::pq_getmsgfloat4(buf) };
        check_element(*x);
    }
    result
}

#[pg_extern(
    sql = "CREATE FUNCTION vector_send(vector) RETURNS bytea
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;",
    requires = ["vector_shell_type"]
)]
fn vector_send(vector: VectorRef<'_>) -> ByteaResult {
    let values = vector.as_slice();
    let size = pg_sys::VARHDRSZ + 4 + 4 * values.len();
    // SAFETY: palloc returns `size` writable bytes (or raises); we fill every one of them.
    unsafe {
        let raw = pg_sys::palloc(size).cast::<u8>();
        pgrx::set_varsize_4b(raw.cast(), size as i32);
        let body =
            core::slice::from_raw_parts_mut(raw.add(pg_sys::VARHDRSZ), size - pg_sys::VARHDRSZ);
        body[0..2].copy_from_slice(&(values.len() as i16).to_be_bytes());
        body[2..4].copy_from_slice(&vector.unused().to_be_bytes());
        for (chunk, v) in body[4..].chunks_exact_mut(4).zip(values) {
            chunk.copy_from_slice(&v.to_bits().to_be_bytes());
        }
        ByteaResult(NonNull::new_unchecked(raw.cast()))
    }
}
