//! 8-byte aligned byte buffers: the `Metric` contract promises aligned vectors, so every
//! vector that does not sit in a page (queries, the builder's arena, vectors spanning
//! pages) lives in one of these.
use alloc::vec::Vec;

/// Bytes backed by u64 words, so the start is always 8-aligned.
#[derive(Clone, Default)]
pub(crate) struct AlignedBytes {
    words: Vec<u64>,
    len: usize,
}

impl AlignedBytes {
    pub(crate) fn new() -> Self {
        AlignedBytes {
            words: Vec::new(),
            len: 0,
        }
    }

    pub(crate) fn from_bytes(bytes: &[u8]) -> Self {
        let mut out = AlignedBytes::new();
        out.set(bytes);
        out
    }

    /// Replaces the contents, reusing the allocation.
    pub(crate) fn set(&mut self, bytes: &[u8]) {
        self.resize(bytes.len());
        self.as_mut_bytes().copy_from_slice(bytes);
    }

    /// Sets the length (new bytes are zero or left over), reusing the allocation.
    pub(crate) fn resize(&mut self, len: usize) {
        self.words.resize(len.div_ceil(8), 0);
        self.len = len;
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &words_as_bytes(&self.words)[..self.len]
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8] {
        let len = self.len;
        &mut words_as_bytes_mut(&mut self.words)[..len]
    }

    pub(crate) fn capacity_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

/// An append-only arena of 8-aligned byte strings, addressed by their start word.
#[derive(Clone, Default)]
pub(crate) struct AlignedArena {
    words: Vec<u64>,
}

impl AlignedArena {
    /// Appends bytes (padded to 8), returns the start word.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> usize {
        let start = self.words.len();
        self.words.resize(start + bytes.len().div_ceil(8), 0);
        words_as_bytes_mut(&mut self.words[start..])[..bytes.len()].copy_from_slice(bytes);
        start
    }

    #[inline]
    pub(crate) fn get(&self, start: usize, len: usize) -> &[u8] {
        &words_as_bytes(&self.words[start..])[..len]
    }

    pub(crate) fn clear(&mut self) {
        self.words.clear();
    }

    pub(crate) fn capacity_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

#[inline]
pub(crate) fn u32s_as_bytes(values: &[u32]) -> &[u8] {
    // SAFETY: u32 has no padding and u8 no alignment; same memory, four times the length.
    unsafe { core::slice::from_raw_parts(values.as_ptr().cast::<u8>(), values.len() * 4) }
}

pub(crate) use crate::pagestore::{words_as_bytes, words_as_bytes_mut};

/// Views vector bytes as f32s (native byte order, which is LE on every target ruvector runs on).
/// None when the slice is not 4-aligned or its length is not a multiple of 4; the slices core
/// passes to [`Metric::distance`](super::Metric::distance) are always aligned.
pub fn vector_as_f32(bytes: &[u8]) -> Option<&[f32]> {
    if !(bytes.as_ptr() as usize).is_multiple_of(4) || !bytes.len().is_multiple_of(4) {
        return None;
    }
    // SAFETY: alignment and length were just checked; every bit pattern is a valid f32.
    Some(unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast::<f32>(), bytes.len() / 4) })
}
