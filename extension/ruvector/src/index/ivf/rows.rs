//! Fixed-size rows kept in memory during a build, in chunks of a few MiB: one growing vector
//! would copy itself at every doubling and briefly hold three halves' worth of rows, and in
//! PGlite the wasm heap never shrinks back, so the peak stays for the life of the instance.

const CHUNK_BYTES: usize = 8 << 20;

pub struct Rows {
    row_len: usize,
    per_chunk: usize,
    chunks: Vec<Vec<u8>>,
    count: usize,
}

impl Rows {
    pub fn new(row_len: usize) -> Rows {
        let row_len = row_len.max(1);
        Rows { row_len, per_chunk: (CHUNK_BYTES / row_len).max(1), chunks: Vec::new(), count: 0 }
    }

    pub fn push(&mut self, row: &[u8]) {
        debug_assert_eq!(row.len(), self.row_len);
        if self.count % self.per_chunk == 0 {
            self.chunks.push(Vec::with_capacity(self.per_chunk * self.row_len));
        }
        self.chunks.last_mut().expect("a chunk").extend_from_slice(row);
        self.count += 1;
    }

    pub fn get(&self, i: usize) -> &[u8] {
        let at = (i % self.per_chunk) * self.row_len;
        &self.chunks[i / self.per_chunk][at..at + self.row_len]
    }

    /// Bytes held, counting whole chunks.
    pub fn bytes(&self) -> usize {
        self.chunks.len() * self.per_chunk * self.row_len
    }
}
