//! What differs between `vector` (float4 elements) and `halfvec` (IEEE binary16 elements) once
//! the shared layout, grammar and checks are taken out: conversions, the binary encoding of one
//! element, and which distance kernels to run.

use crate::checks::{HALFVEC, VECTOR, VecType};
use crate::float_text::write_shortest;
use pgrx::pg_sys;
use ruvector_core::f16::{self, F16};

pub trait Element: Copy + Default + 'static {
    /// The SQL type whose elements these are.
    const TYPE: &'static VecType;
    /// Bytes per element, in memory and on the wire.
    const SIZE: usize;

    fn to_f32(self) -> f32;
    /// Round to this type; a finite value beyond its range becomes ±Inf (pgvector's
    /// `Float4ToHalfUnchecked`; the identity for float4). Callers test for infinity.
    fn from_f32_unchecked(x: f32) -> Self;
    /// Converts `src` into `dst`, raising pgvector's range error at the first finite value that
    /// does not fit (`Float4ToHalf`); NaN and ±Inf pass through for the caller to check.
    fn from_f32_slice(src: &[f32], dst: &mut [Self]);
    /// Widens `src` into `dst` exactly.
    fn to_f32_slice(src: &[Self], dst: &mut [f32]);
    fn is_infinite(self) -> bool;
    fn is_zero(self) -> bool;

    /// One element from a binary message (`pq_getmsgfloat4` / `pq_getmsghalf`).
    ///
    /// # Safety
    /// `buf` must be the valid StringInfo Postgres passed to a `*_recv` function.
    unsafe fn recv(buf: pg_sys::StringInfo) -> Self;
    /// Big-endian bytes into `out[..SIZE]`.
    fn send(self, out: &mut [u8]);

    fn squared_l2(a: &[Self], b: &[Self]) -> f32;
    fn inner_product(a: &[Self], b: &[Self]) -> f32;
    fn cosine_distance(a: &[Self], b: &[Self]) -> f64;
    fn l1(a: &[Self], b: &[Self]) -> f32;
    /// Euclidean norm, summed in f64.
    fn norm(a: &[Self]) -> f64;
    /// One bit per element, set when > 0, into `out[..ceil(len / 8)]`.
    fn binary_quantize_into(a: &[Self], out: &mut [u8]);
}

/// Converts one value the way [`Element::from_f32_slice`] does.
pub fn from_f32_checked<E: Element>(x: f32) -> E {
    let mut out = [E::default()];
    E::from_f32_slice(&[x], &mut out);
    out[0]
}

impl Element for f32 {
    const TYPE: &'static VecType = &VECTOR;
    const SIZE: usize = 4;

    #[inline]
    fn to_f32(self) -> f32 {
        self
    }
    #[inline]
    fn from_f32_unchecked(x: f32) -> Self {
        x
    }
    fn from_f32_slice(src: &[f32], dst: &mut [Self]) {
        dst.copy_from_slice(src);
    }
    fn to_f32_slice(src: &[Self], dst: &mut [f32]) {
        dst.copy_from_slice(src);
    }
    #[inline]
    fn is_infinite(self) -> bool {
        f32::is_infinite(self)
    }
    #[inline]
    fn is_zero(self) -> bool {
        self == 0.0
    }
    unsafe fn recv(buf: pg_sys::StringInfo) -> Self {
        // SAFETY: forwarded from the caller.
        unsafe { pg_sys::pq_getmsgfloat4(buf) }
    }
    fn send(self, out: &mut [u8]) {
        out[..4].copy_from_slice(&self.to_bits().to_be_bytes());
    }
    fn squared_l2(a: &[Self], b: &[Self]) -> f32 {
        ruvector_core::distance::squared_l2(a, b)
    }
    fn inner_product(a: &[Self], b: &[Self]) -> f32 {
        ruvector_core::distance::inner_product(a, b)
    }
    fn cosine_distance(a: &[Self], b: &[Self]) -> f64 {
        ruvector_core::distance::cosine_distance(a, b)
    }
    fn l1(a: &[Self], b: &[Self]) -> f32 {
        ruvector_core::distance::l1(a, b)
    }
    fn norm(a: &[Self]) -> f64 {
        ruvector_core::distance::norm(a)
    }
    fn binary_quantize_into(a: &[Self], out: &mut [u8]) {
        ruvector_core::quantize::binary_quantize_into(a, out)
    }
}

impl Element for F16 {
    const TYPE: &'static VecType = &HALFVEC;
    const SIZE: usize = 2;

    #[inline]
    fn to_f32(self) -> f32 {
        F16::to_f32(self)
    }
    #[inline]
    fn from_f32_unchecked(x: f32) -> Self {
        F16::from_f32_unchecked(x)
    }
    fn from_f32_slice(src: &[f32], dst: &mut [Self]) {
        if let Err(overflow) = f16::f32_to_f16_slice(src, dst) {
            // pgvector prints the float4 that did not fit, as float4out would.
            let mut text = Vec::new();
            write_shortest(overflow.value, &mut text);
            HALFVEC.out_of_range(&text);
        }
    }
    fn to_f32_slice(src: &[Self], dst: &mut [f32]) {
        f16::f16_to_f32_slice(src, dst)
    }
    #[inline]
    fn is_infinite(self) -> bool {
        F16::is_infinite(self)
    }
    #[inline]
    fn is_zero(self) -> bool {
        F16::is_zero(self)
    }
    unsafe fn recv(buf: pg_sys::StringInfo) -> Self {
        // SAFETY: forwarded from the caller.
        F16::from_bits(unsafe { pg_sys::pq_getmsgint(buf, 2) } as u16)
    }
    fn send(self, out: &mut [u8]) {
        out[..2].copy_from_slice(&self.to_bits().to_be_bytes());
    }
    fn squared_l2(a: &[Self], b: &[Self]) -> f32 {
        f16::distance::squared_l2(a, b)
    }
    fn inner_product(a: &[Self], b: &[Self]) -> f32 {
        f16::distance::inner_product(a, b)
    }
    fn cosine_distance(a: &[Self], b: &[Self]) -> f64 {
        f16::distance::cosine_distance(a, b)
    }
    fn l1(a: &[Self], b: &[Self]) -> f32 {
        f16::distance::l1(a, b)
    }
    fn norm(a: &[Self]) -> f64 {
        f16::distance::norm(a)
    }
    fn binary_quantize_into(a: &[Self], out: &mut [u8]) {
        ruvector_core::quantize::binary_quantize_f16_into(a, out)
    }
}
