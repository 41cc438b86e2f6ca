//! The on-disk `vector` value, byte-compatible with pgvector so dumps, replicas and binary
//! copies move between the two extensions:
//!
//! ```text
//! int32 varlena header | int16 dim | int16 unused (= 0) | float4 x[dim]
//! ```
//!
//! Everything here is written for both targets: sizes are `usize` (32-bit on wasm32) and never
//! exceed `8 + 4 * 16000`, so no arithmetic can overflow even there.

use core::marker::PhantomData;
use core::mem::{align_of, size_of};
use core::ptr::NonNull;
use pgrx::pg_sys;

/// The fixed part in front of the floats; `#[repr(C)]` gives pgvector's `struct Vector` layout.
#[repr(C)]
pub struct VectorHeader {
    /// Owned by Postgres' varlena macros; only ever written through `set_varsize_4b`.
    vl_len_: i32,
    pub dim: i16,
    pub unused: i16,
}

/// Bytes before the first float (`offsetof(Vector, x)` in pgvector).
pub const HEADER_SIZE: usize = size_of::<VectorHeader>();
const _: () = assert!(HEADER_SIZE == 8);

/// Total varlena size of a vector with `dim` floats (`VECTOR_SIZE`).
#[inline]
pub const fn vector_size(dim: usize) -> usize {
    HEADER_SIZE + size_of::<f32>() * dim
}

/// A detoasted `vector` argument, borrowed for the duration of the call.
///
/// Reading a vector costs no copy when Postgres hands us an aligned, uncompressed, inline datum
/// (the common case); `pg_detoast_datum` copies only short-header, compressed or out-of-line ones.
#[derive(Clone, Copy)]
pub struct VectorRef<'a> {
    ptr: NonNull<VectorHeader>,
    _borrow: PhantomData<&'a [f32]>,
}

impl<'a> VectorRef<'a> {
    /// # Safety
    /// `datum` must be a non-null `vector` datum that stays valid for `'a` (an argument of the
    /// current call, or something allocated in a context that outlives `'a`).
    pub unsafe fn from_datum(datum: pg_sys::Datum) -> Self {
        let raw = datum.cast_mut_ptr::<pg_sys::varlena>();
        // SAFETY: the caller promises a varlena. A plain 4-byte-header one is used in place
        // (PG_DETOAST_DATUM's own shortcut, saving an FFI round trip per argument); anything
        // else is detoasted into a 4-byte-header copy.
        let detoasted = unsafe {
            if pgrx::varatt_is_4b_u(raw) {
                raw
            } else {
                pg_sys::pg_detoast_datum(raw)
            }
        };
        let ptr =
            NonNull::new(detoasted.cast::<VectorHeader>()).expect("pg_detoast_datum returned NULL");
        // SAFETY: a detoasted varlena has a 4-byte header we may read.
        let total = unsafe { pgrx::varsize_4b(detoasted) };
        // Tuples store `vector` with int alignment and palloc aligns further, so the floats are
        // always 4-byte aligned; a misaligned pointer would mean someone else's bug, and copying
        // is cheaper to reason about than an unaligned `&[f32]`.
        let ptr = if (ptr.as_ptr() as usize) % align_of::<f32>() != 0 {
            // SAFETY: `total` bytes are readable at `ptr`.
            unsafe { copy_to_palloc(ptr.as_ptr().cast(), total) }
        } else {
            ptr
        };
        let this = VectorRef {
            ptr,
            _borrow: PhantomData,
        };
        // A header claiming more floats than the datum holds would make `as_slice` read past
        // the allocation; only corrupt data can get here.
        if this.raw_dim() < 0 || total < vector_size(this.dim()) {
            pgrx::error!(
                "corrupt vector datum: dim {} in {} bytes",
                this.raw_dim(),
                total
            );
        }
        this
    }

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

    /// The floats, borrowed in place.
    #[inline]
    pub fn as_slice(&self) -> &'a [f32] {
        // SAFETY: construction checked that `dim` floats follow the header and that they are
        // 4-byte aligned; Postgres keeps the datum alive for the call.
        unsafe {
            let data = self
                .ptr
                .as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE)
                .cast::<f32>();
            core::slice::from_raw_parts(data, self.dim())
        }
    }

    #[inline]
    pub fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

/// A freshly palloc'd vector being built as a function result.
pub struct Vector {
    ptr: NonNull<VectorHeader>,
}

impl Vector {
    /// A zero-filled vector of `dim` floats in the current memory context. Callers validate
    /// `dim` (1..=16000) first, as pgvector's `InitVector` callers do.
    pub fn zeroed(dim: usize) -> Self {
        debug_assert!(dim <= i16::MAX as usize);
        let size = vector_size(dim);
        // SAFETY: palloc0 either returns `size` zeroed, MAXALIGNed bytes or raises an ERROR.
        let raw = unsafe { pg_sys::palloc0(size) };
        let ptr = NonNull::new(raw.cast::<VectorHeader>()).expect("palloc0 returned NULL");
        // SAFETY: the allocation is ours, aligned and at least HEADER_SIZE bytes long;
        // `size` <= 64008 fits the 30-bit varlena length.
        unsafe {
            pgrx::set_varsize_4b(raw.cast(), size as i32);
            (*ptr.as_ptr()).dim = dim as i16;
        }
        Vector { ptr }
    }

    pub fn from_slice(values: &[f32]) -> Self {
        let mut v = Self::zeroed(values.len());
        v.as_mut_slice().copy_from_slice(values);
        v
    }

    pub fn as_mut_slice(&mut self) -> &mut [f32] {
        // SAFETY: `zeroed` allocated `dim` aligned floats after the header; `&mut self` makes
        // this the only live view.
        unsafe {
            let dim = (*self.ptr.as_ptr()).dim as usize;
            let data = self
                .ptr
                .as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE)
                .cast::<f32>();
            core::slice::from_raw_parts_mut(data, dim)
        }
    }

    #[inline]
    pub fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

/// Copy `len` bytes into a new palloc'd (hence MAXALIGNed) buffer.
///
/// # Safety
/// `src` must be readable for `len` bytes.
unsafe fn copy_to_palloc(src: *const u8, len: usize) -> NonNull<VectorHeader> {
    // SAFETY: palloc returns `len` writable bytes or raises an ERROR; the ranges are disjoint.
    unsafe {
        let dst = pg_sys::palloc(len).cast::<u8>();
        core::ptr::copy_nonoverlapping(src, dst, len);
        NonNull::new_unchecked(dst.cast())
    }
}
