//! The on-disk `vector` and `halfvec` values, byte-compatible with pgvector so dumps, replicas
//! and binary copies move between the two extensions:
//!
//! ```text
//! int32 varlena header | int16 dim | int16 unused (= 0) | element x[dim]
//! ```
//!
//! with float4 elements for `vector` and binary16 ones for `halfvec`. Everything here is written
//! for both targets: sizes are `usize` (32-bit on wasm32) and never exceed `8 + 4 * 16000`, so
//! no arithmetic can overflow even there.

use super::element::Element;
use crate::datum::{VarlenaArg, VarlenaResult, corrupt, detoast_aligned};
use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;
use pgrx::pg_sys;

/// The fixed part in front of the elements; `#[repr(C)]` gives pgvector's `struct Vector` and
/// `struct HalfVector` layout.
#[repr(C)]
pub struct DenseHeader {
    /// Owned by Postgres' varlena macros; only ever written through `set_varsize_4b`.
    vl_len_: i32,
    pub dim: i16,
    pub unused: i16,
}

/// Bytes before the first element (`offsetof(Vector, x)` in pgvector).
pub const HEADER_SIZE: usize = size_of::<DenseHeader>();
const _: () = assert!(HEADER_SIZE == 8);

/// Total varlena size of a value with `dim` elements (`VECTOR_SIZE`, `HALFVEC_SIZE`).
#[inline]
pub const fn dense_size<E: Element>(dim: usize) -> usize {
    HEADER_SIZE + E::SIZE * dim
}

/// A detoasted argument, borrowed for the duration of the call.
///
/// Reading one costs no copy when Postgres hands us an aligned, uncompressed, inline datum (the
/// common case); `pg_detoast_datum` copies only short-header, compressed or out-of-line ones.
pub struct DenseRef<'a, E> {
    ptr: NonNull<DenseHeader>,
    _borrow: PhantomData<&'a [E]>,
}

impl<E> Clone for DenseRef<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for DenseRef<'_, E> {}

impl<'a, E: Element> VarlenaArg for DenseRef<'a, E> {
    unsafe fn from_datum(datum: pg_sys::Datum) -> Self {
        // SAFETY: forwarded from the caller.
        let (ptr, total) = unsafe { detoast_aligned::<DenseHeader>(datum, align_of::<E>()) };
        let this = DenseRef {
            ptr,
            _borrow: PhantomData,
        };
        // A header claiming more elements than the datum holds would make `as_slice` read past
        // the allocation; only corrupt data can get here.
        if this.raw_dim() < 0 || total < dense_size::<E>(this.dim()) {
            corrupt(E::TYPE.name, this.raw_dim().into(), total);
        }
        this
    }

    #[inline]
    fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

impl<'a, E: Element> DenseRef<'a, E> {
    #[inline]
    fn raw_dim(&self) -> i16 {
        // SAFETY: `ptr` points at a readable header (checked at construction).
        unsafe { self.ptr.as_ref().dim }
    }

    /// Number of dimensions; never negative for a validated datum.
    #[inline]
    pub fn dim(&self) -> usize {
        self.raw_dim().max(0) as usize
    }

    #[inline]
    pub fn unused(&self) -> i16 {
        // SAFETY: as in `raw_dim`.
        unsafe { self.ptr.as_ref().unused }
    }

    /// The elements, borrowed in place.
    #[inline]
    pub fn as_slice(&self) -> &'a [E] {
        // SAFETY: construction checked that `dim` elements follow the header and that they are
        // aligned; Postgres keeps the datum alive for the call.
        unsafe {
            let data = self.ptr.as_ptr().cast::<u8>().add(HEADER_SIZE).cast::<E>();
            core::slice::from_raw_parts(data, self.dim())
        }
    }

    /// The elements widened to f32 (a copy for `halfvec`).
    pub fn to_f32_vec(&self) -> Vec<f32> {
        let values = self.as_slice();
        let mut out = vec![0.0f32; values.len()];
        E::to_f32_slice(values, &mut out);
        out
    }
}

/// A freshly palloc'd value being built as a function result.
pub struct Dense<E> {
    ptr: NonNull<DenseHeader>,
    _elements: PhantomData<E>,
}

impl<E: Element> VarlenaResult for Dense<E> {
    #[inline]
    fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

impl<E: Element> Dense<E> {
    /// A zero-filled value of `dim` elements in the current memory context. Callers validate
    /// `dim` (1..=16000) first, as pgvector's `InitVector`/`InitHalfVector` callers do.
    pub fn zeroed(dim: usize) -> Self {
        debug_assert!(dim <= i16::MAX as usize);
        let size = dense_size::<E>(dim);
        // SAFETY: palloc0 either returns `size` zeroed, MAXALIGNed bytes or raises an ERROR.
        let raw = unsafe { pg_sys::palloc0(size) };
        let ptr = NonNull::new(raw.cast::<DenseHeader>()).expect("palloc0 returned NULL");
        // SAFETY: the allocation is ours, aligned and at least HEADER_SIZE bytes long;
        // `size` <= 64008 fits the 30-bit varlena length. All-zero bits are 0.0 for both
        // element types.
        unsafe {
            pgrx::set_varsize_4b(raw.cast(), size as i32);
            (*ptr.as_ptr()).dim = dim as i16;
        }
        Dense {
            ptr,
            _elements: PhantomData,
        }
    }

    pub fn from_slice(values: &[E]) -> Self {
        let mut v = Self::zeroed(values.len());
        v.as_mut_slice().copy_from_slice(values);
        v
    }

    /// Converts with [`Element::from_f32_slice`] (pgvector's range error for halfvec).
    pub fn from_f32s(values: &[f32]) -> Self {
        let mut v = Self::zeroed(values.len());
        E::from_f32_slice(values, v.as_mut_slice());
        v
    }

    pub fn as_mut_slice(&mut self) -> &mut [E] {
        // SAFETY: `zeroed` allocated `dim` aligned elements after the header; `&mut self` makes
        // this the only live view.
        unsafe {
            let dim = (*self.ptr.as_ptr()).dim as usize;
            let data = self.ptr.as_ptr().cast::<u8>().add(HEADER_SIZE).cast::<E>();
            core::slice::from_raw_parts_mut(data, dim)
        }
    }
}
