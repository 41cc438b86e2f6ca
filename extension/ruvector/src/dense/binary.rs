//! The binary format of `vector` and `halfvec` (pgvector's `*_recv` / `*_send`), in network
//! byte order: `int16 dim, int16 unused, element x[dim]` with float4 or binary16 elements.

use super::element::Element;
use super::varlena::{Dense, DenseRef};
use crate::checks::check_expected_dim;
use crate::pgerror::raise;
use crate::sqltypes::{ByteaResult, bytea_with_len};
use pgrx::Internal;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

/// The StringInfo a `*_recv` function is given.
pub fn recv_buffer(buf: Internal) -> pg_sys::StringInfo {
    buf.unwrap().expect("recv: NULL buffer").cast_mut_ptr()
}

/// `pq_getmsgint(buf, 2)` / `pq_getmsgint(buf, 4)` as the signed value pgvector stores.
///
/// # Safety
/// `buf` must be the valid StringInfo Postgres passed to a `*_recv` function.
pub unsafe fn recv_int(buf: pg_sys::StringInfo, bytes: i32) -> i32 {
    // Postgres' own readers, so a short message fails with its "insufficient data left in
    // message" error exactly as pgvector's does.
    // SAFETY: forwarded from the caller.
    let raw = unsafe { pg_sys::pq_getmsgint(buf, bytes) };
    if bytes == 2 {
        raw as u16 as i16 as i32
    } else {
        raw as i32
    }
}

/// `expected unused to be 0, not N`
pub fn check_unused(unused: i32) {
    if unused != 0 {
        raise(
            ERRCODE_DATA_EXCEPTION,
            format!("expected unused to be 0, not {unused}"),
        );
    }
}

pub fn dense_recv<E: Element>(buf: Internal, typmod: i32) -> Dense<E> {
    let buf = recv_buffer(buf);
    // SAFETY: Postgres passes a valid StringInfo positioned at this value.
    let (dim, unused) = unsafe { (recv_int(buf, 2), recv_int(buf, 2)) };

    E::TYPE.check_dim(dim.into());
    check_expected_dim(typmod, dim.into());
    check_unused(unused);

    let mut result = Dense::<E>::zeroed(dim as usize);
    for x in result.as_mut_slice() {
        // SAFETY: as above.
        *x = unsafe { E::recv(buf) };
        // NaN and ±Inf survive widening to float4, so checking the widened value is the same.
        E::TYPE.check_element(x.to_f32());
    }
    result
}

pub fn dense_send<E: Element>(value: DenseRef<'_, E>) -> ByteaResult {
    let values = value.as_slice();
    let (result, body) = bytea_with_len(4 + E::SIZE * values.len());
    body[0..2].copy_from_slice(&(values.len() as i16).to_be_bytes());
    body[2..4].copy_from_slice(&value.unused().to_be_bytes());
    for (chunk, v) in body[4..].chunks_exact_mut(E::SIZE).zip(values) {
        v.send(chunk);
    }
    result
}
