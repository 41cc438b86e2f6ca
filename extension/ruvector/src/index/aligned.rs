//! Byte buffers with 8-byte alignment: the core's `Metric` reinterprets encoded vectors as
//! `f32`/`u16`/`i32` slices in place, which needs aligned starts (page payloads are aligned by
//! Postgres; encoded query and heap values are aligned by living here).

/// An owned, 8-byte-aligned byte string.
#[derive(Clone, Default)]
pub struct AlignedBytes {
    words: Vec<u64>,
    len: usize,
}

impl AlignedBytes {
    pub fn zeroed(len: usize) -> Self {
        AlignedBytes { words: vec![0u64; len.div_ceil(8)], len }
    }

    pub fn from_slice(bytes: &[u8]) -> Self {
        let mut out = Self::zeroed(bytes.len());
        out.as_mut_slice().copy_from_slice(bytes);
        out
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `words` holds at least `len` initialised bytes.
        unsafe { core::slice::from_raw_parts(self.words.as_ptr().cast::<u8>(), self.len) }
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as above, uniquely borrowed.
        unsafe { core::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast::<u8>(), self.len) }
    }
}

/// Views an 8-byte-aligned byte slice as `T`s (the core guarantees alignment for page data).
/// Falls back to `None` if a caller broke that promise, so a bug costs speed, never UB.
#[inline]
pub fn cast_slice<T: Copy>(bytes: &[u8]) -> Option<&[T]> {
    // SAFETY: T is a plain number type here (f32, u16, i32); align_to checks alignment.
    let (head, body, tail) = unsafe { bytes.align_to::<T>() };
    (head.is_empty() && tail.is_empty()).then_some(body)
}
