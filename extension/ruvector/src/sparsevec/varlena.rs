//! The on-disk `sparsevec` value, byte-compatible with pgvector:
//!
//! ```text
//! int32 varlena header | int32 dim | int32 nnz | int32 unused (= 0)
//! | int32 indices[nnz] (0-based, strictly increasing) | float4 values[nnz] (non-zero)
//! ```
//!
//! At most 16000 non-zero elements, so sizes stay below 128 KB on both targets.

use crate::checks::SPARSEVEC;
use crate::datum::{VarlenaArg, VarlenaResult, corrupt, detoast_aligned};
use core::marker::PhantomData;
use core::mem::size_of;
use core::ptr::NonNull;
use pgrx::pg_sys;
use ruvector_core::sparse::SparseView;

/// pgvector's `SPARSEVEC_MAX_NNZ`.
pub const SPARSEVEC_MAX_NNZ: i32 = 16000;

#[repr(C)]
pub struct SparseHeader {
    /// Owned by Postgres' varlena macros; only ever written through `set_varsize_4b`.
    vl_len_: i32,
    pub dim: i32,
    pub nnz: i32,
    pub unused: i32,
}

const HEADER_SIZE: usize = size_of::<SparseHeader>();
const _: () = assert!(HEADER_SIZE == 16);

/// `SPARSEVEC_SIZE(nnz)`.
#[inline]
pub const fn sparse_size(nnz: usize) -> usize {
    HEADER_SIZE + (size_of::<i32>() + size_of::<f32>()) * nnz
}

/// A detoasted `sparsevec` argument, borrowed for the duration of the call.
#[derive(Clone, Copy)]
pub struct SparseRef<'a> {
    ptr: NonNull<SparseHeader>,
    _borrow: PhantomData<&'a [u8]>,
}

impl VarlenaArg for SparseRef<'_> {
    unsafe fn from_datum(datum: pg_sys::Datum) -> Self {
        // SAFETY: forwarded from the caller.
        let (ptr, total) = unsafe { detoast_aligned::<SparseHeader>(datum, 4) };
        let this = SparseRef {
            ptr,
            _borrow: PhantomData,
        };
        if this.header().nnz < 0 || total < sparse_size(this.nnz()) {
            corrupt(SPARSEVEC.name, this.header().dim.into(), total);
        }
        this
    }

    #[inline]
    fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

impl<'a> SparseRef<'a> {
    #[inline]
    fn header(&self) -> &'a SparseHeader {
        // SAFETY: `ptr` points at a readable header (checked at construction).
        unsafe { &*self.ptr.as_ptr() }
    }

    #[inline]
    pub fn dim(&self) -> i32 {
        self.header().dim
    }

    #[inline]
    pub fn nnz(&self) -> usize {
        self.header().nnz.max(0) as usize
    }

    #[inline]
    pub fn unused(&self) -> i32 {
        self.header().unused
    }

    /// 0-based positions of the non-zero elements, increasing.
    #[inline]
    pub fn indices(&self) -> &'a [i32] {
        // SAFETY: construction checked that nnz indices and values follow the header.
        unsafe {
            let data = self
                .ptr
                .as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE)
                .cast::<i32>();
            core::slice::from_raw_parts(data, self.nnz())
        }
    }

    #[inline]
    pub fn values(&self) -> &'a [f32] {
        // SAFETY: as in `indices`; the values follow them, 4-byte aligned.
        unsafe {
            let data = self
                .ptr
                .as_ptr()
                .cast::<u8>()
                .add(HEADER_SIZE + 4 * self.nnz())
                .cast::<f32>();
            core::slice::from_raw_parts(data, self.nnz())
        }
    }

    #[inline]
    pub fn view(&self) -> SparseView<'a> {
        SparseView::new(self.indices(), self.values())
    }
}

/// A freshly palloc'd `sparsevec` being built as a function result.
pub struct Sparse {
    ptr: NonNull<SparseHeader>,
}

impl VarlenaResult for Sparse {
    #[inline]
    fn into_datum(self) -> pg_sys::Datum {
        pg_sys::Datum::from(self.ptr.as_ptr())
    }
}

impl Sparse {
    /// A zeroed value with room for `nnz` elements (pgvector's `InitSparseVector`); callers
    /// validate `dim` and keep `nnz` within 0..=16000 (so the size fits easily in 32 bits).
    pub fn zeroed(dim: i32, nnz: usize) -> Self {
        let size = sparse_size(nnz);
        // SAFETY: palloc0 returns `size` zeroed, MAXALIGNed bytes or raises an ERROR.
        let raw = unsafe { pg_sys::palloc0(size) };
        let ptr = NonNull::new(raw.cast::<SparseHeader>()).expect("palloc0 returned NULL");
        // SAFETY: the allocation is ours and holds the header.
        unsafe {
            pgrx::set_varsize_4b(raw.cast(), size as i32);
            (*ptr.as_ptr()).dim = dim;
            (*ptr.as_ptr()).nnz = nnz as i32;
        }
        Sparse { ptr }
    }

    /// `(index, value)` pairs, already in increasing index order.
    pub fn from_entries(dim: i32, entries: impl ExactSizeIterator<Item = (i32, f32)>) -> Self {
        let mut result = Sparse::zeroed(dim, entries.len());
        let (indices, values) = result.parts_mut();
        for ((i, v), (index, value)) in indices.iter_mut().zip(values.iter_mut()).zip(entries) {
            *i = index;
            *v = value;
        }
        result
    }

    /// The indices and values to fill in.
    pub fn parts_mut(&mut self) -> (&mut [i32], &mut [f32]) {
        // SAFETY: `zeroed` allocated nnz indices then nnz values after the header; `&mut self`
        // makes these the only live views.
        unsafe {
            let nnz = (*self.ptr.as_ptr()).nnz as usize;
            let base = self.ptr.as_ptr().cast::<u8>().add(HEADER_SIZE);
            (
                core::slice::from_raw_parts_mut(base.cast::<i32>(), nnz),
                core::slice::from_raw_parts_mut(base.add(4 * nnz).cast::<f32>(), nnz),
            )
        }
    }
}
