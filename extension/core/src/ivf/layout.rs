//! The IVF page format (FORMAT_VERSION 2; version 1 differs only in where `last_page` may point). Integers and floats are little-endian.
//!
//! **Block 0, the metapage:**
//! `0 magic "RVIV" | 4 version u32 | 8 kind u8 (1 flat, 2 rabitq) | 9 ex_bits u8 (rabitq's
//! extra bits per dimension, 0..=3; 0 in indexes from before they existed) | 10..12 reserved |
//! 12 dims u32 | 16 lists u32 | 20 payload_len u32 | 24 rotation seed u64`
//!
//! **Centroid pages**, blocks 1.. (as many as the lists need, consecutive): header
//! `kind u8 = 3 | reserved | count u16 | reserved u32`, then `count` centroid records of
//! `first_page u32 | last_page u32 | dims × f32`, padded to 8. first/last are 0 for an empty
//! list; `last_page` is the page inserts try first: the chain's end, or (since format version
//! 2) an earlier page where VACUUM freed room, from which inserts follow `next` to a page with
//! room and move `last_page` on as they pass full pages; only a page whose `next` is 0 gets a
//! new page linked after it. A record too large for one page (more than 2,040
//! dimensions) spans consecutive pages instead, one record per span: its bytes continue
//! after the header of each next page; the span's first page has count 1, the others 0.
//! first/last then sit on the span's first page, where inserts update them.
//!
//! **List pages**, chained per list: header `kind u8 = 4 | reserved | count u16 | next u32
//! (0 = end)`, then `count` entries (VACUUM removes deleted ones, moving the rest down within
//! the page) of `heap block u32 | heap offset u16 | flags u8 (bit 0
//! deleted) | reserved u8 | payload (payload_len bytes, padded to 8)`. Payloads therefore sit
//! at 8-aligned offsets, as [`Metric`](crate::hnsw::Metric) requires. A RaBitQ payload is
//! `norm f32 | dot f32 | center_dot f32 | ex_dot f32 | code words u64...` (ex_dot is 0 without
//! extra bits). With extra bits ([`crate::rabitq::ExCode`]) each entry also has a *sidecar*,
//! `ex_bits planes of code words u64 | ex_scale f32 | reserved u32`, kept apart from the
//! entries: sidecars start after room for the page's full count of entries, sidecar i at
//! `8 + entries_per_page × entry size + i × sidecar size`. A scan reads every entry and only the
//! sidecars of the candidates it refines, so the entries stay contiguous (the sidecar is 2.5×
//! the entry at 4 bits a dimension; interleaved, each entry's first read was a cache miss).
//!
//! All-zero pages (kind 0) are pages appended by an insert that crashed before writing them.
use super::{Error, FORMAT_VERSION, HeapTid, OLDEST_FORMAT_VERSION};
use crate::hnsw::layout::{get_u16, get_u32, get_u64, put_u16, put_u32, put_u64};
use crate::pagestore::{BlockLimit, BlockNumber, PAYLOAD_SIZE, PageStore};

const MAGIC: u32 = u32::from_le_bytes(*b"RVIV");
pub const META_BLOCK: BlockNumber = 0;
pub const FIRST_CENTROID_BLOCK: BlockNumber = 1;
pub const PAGE_HEADER_SIZE: usize = 8;
pub const KIND_CENTROIDS: u8 = 3;
pub const KIND_LIST: u8 = 4;
pub const ENTRY_HEADER_SIZE: usize = 8;
pub const FLAG_DELETED: u8 = 1;
pub const RABITQ_FACTORS_SIZE: usize = 16;
/// Most dimensions an IVF index stores: the largest any indexed type has (`bit`'s 64,000).
pub const MAX_DIMS: u32 = 64_000;
/// Bytes for records on a centroid page, after its header.
const CENTROID_CAPACITY: usize = PAYLOAD_SIZE - PAGE_HEADER_SIZE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Flat,
    Rabitq,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    pub kind: Kind,
    pub dims: u32,
    pub lists: u32,
    /// Bytes of each entry's payload (the encoded vector, or the RaBitQ code + factors).
    pub payload_len: u32,
    /// Seed of the RaBitQ rotation (unused by ivfflat).
    pub rotation_seed: u64,
    /// RaBitQ's extra bits per dimension for refinement (0 for ivfflat and plain RaBitQ).
    pub ex_bits: u8,
}

#[inline]
pub(crate) const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

impl Meta {
    pub(crate) fn centroid_record_size(&self) -> usize {
        8 + align8(self.dims as usize * 4)
    }

    /// Records per centroid page; 0 when one record spans several pages.
    pub(crate) fn centroids_per_page(&self) -> usize {
        CENTROID_CAPACITY / self.centroid_record_size()
    }

    /// Pages one record takes: 1 when records share pages.
    pub(crate) fn pages_per_centroid(&self) -> usize {
        if self.centroids_per_page() > 0 { 1 } else { self.centroid_record_size().div_ceil(CENTROID_CAPACITY) }
    }

    pub(crate) fn centroid_pages(&self) -> u32 {
        match self.centroids_per_page() {
            0 => self.lists * self.pages_per_centroid() as u32,
            per_page => (self.lists as usize).div_ceil(per_page) as u32,
        }
    }

    /// Block and byte offset of list `list`'s centroid record (its first/last page fields).
    pub(crate) fn centroid_location(&self, list: u32) -> (BlockNumber, usize) {
        match self.centroids_per_page() {
            0 => (FIRST_CENTROID_BLOCK + list * self.pages_per_centroid() as u32, PAGE_HEADER_SIZE),
            per_page => {
                let block = FIRST_CENTROID_BLOCK + (list as usize / per_page) as u32;
                (block, PAGE_HEADER_SIZE + (list as usize % per_page) * self.centroid_record_size())
            }
        }
    }

    /// Bytes of an entry's payload kept in the entry: all of it but a RaBitQ sidecar.
    pub(crate) fn scanned_len(&self) -> usize {
        self.payload_len as usize - self.sidecar_size()
    }

    /// Bytes of an entry's sidecar (extra bits and their factor); 0 without extra bits.
    pub(crate) fn sidecar_size(&self) -> usize {
        rabitq_sidecar_len(self.dims as usize, self.ex_bits)
    }

    pub(crate) fn entry_size(&self) -> usize {
        ENTRY_HEADER_SIZE + align8(self.scanned_len())
    }

    /// Offset of sidecar `i` on a list page.
    fn sidecar_at(&self, i: usize) -> usize {
        PAGE_HEADER_SIZE + self.entries_per_page() * self.entry_size() + i * self.sidecar_size()
    }

    /// The share of an entry's bytes a scan reads for every entry: all of it but the extra
    /// bits of RaBitQ codes, read only for the candidates the scan refines.
    pub fn scanned_fraction(&self) -> f64 {
        self.entry_size() as f64 / (self.entry_size() + self.sidecar_size()) as f64
    }

    pub(crate) fn entries_per_page(&self) -> usize {
        (PAYLOAD_SIZE - PAGE_HEADER_SIZE) / (self.entry_size() + self.sidecar_size())
    }

    /// Whether these parameters give a usable layout (a centroid and an entry fit a page).
    pub(crate) fn is_valid(&self) -> bool {
        self.dims > 0
            && self.lists > 0
            && self.dims <= MAX_DIMS
            && (self.lists as u64) * (self.pages_per_centroid() as u64) < u32::MAX as u64 / 2
            // Extra bits and the payload length first: the entry and sidecar sizes assume them.
            && (self.ex_bits == 0 || (self.kind == Kind::Rabitq && self.ex_bits as u32 <= crate::rabitq::MAX_EX_BITS))
            && (self.kind != Kind::Rabitq || self.payload_len as usize == rabitq_payload_len(self.dims as usize, self.ex_bits))
            && self.entry_size() + self.sidecar_size() <= PAYLOAD_SIZE - PAGE_HEADER_SIZE
    }

    pub(crate) fn encode(&self, page: &mut [u8]) {
        page.fill(0);
        put_u32(page, 0, MAGIC);
        put_u32(page, 4, FORMAT_VERSION);
        page[8] = match self.kind {
            Kind::Flat => 1,
            Kind::Rabitq => 2,
        };
        page[9] = self.ex_bits;
        put_u32(page, 12, self.dims);
        put_u32(page, 16, self.lists);
        put_u32(page, 20, self.payload_len);
        put_u64(page, 24, self.rotation_seed);
    }

    pub(crate) fn decode(page: &[u8]) -> Result<Meta, Error> {
        let corrupt = |what| Err(Error::Corrupt(what, META_BLOCK));
        if get_u32(page, 0) != MAGIC {
            return corrupt("bad metapage magic");
        }
        if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&get_u32(page, 4)) {
            return corrupt("unsupported index format version");
        }
        let kind = match page[8] {
            1 => Kind::Flat,
            2 => Kind::Rabitq,
            _ => return corrupt("bad index kind"),
        };
        let meta = Meta {
            kind,
            dims: get_u32(page, 12),
            lists: get_u32(page, 16),
            payload_len: get_u32(page, 20),
            rotation_seed: get_u64(page, 24),
            ex_bits: page[9],
        };
        if !meta.is_valid() {
            return corrupt("bad parameters in metapage");
        }
        Ok(meta)
    }
}

/// Marks the index as version [`FORMAT_VERSION`] before a change only it allows (an insert
/// page before the chain's end), so that code knowing only version 1 refuses the index.
pub(crate) fn upgrade_format(store: &mut impl PageStore) {
    let current = store.read(META_BLOCK, |page| get_u32(page, 4));
    if current != FORMAT_VERSION {
        store.write(&[META_BLOCK], |p| put_u32(p[0], 4, FORMAT_VERSION));
    }
}

pub fn read_meta(store: &impl PageStore) -> Result<Meta, Error> {
    // The metapage is block 0 (asserted below), so an index without it has no pages at all.
    const _: () = assert!(META_BLOCK == 0);
    if store.page_count() == 0 {
        return Err(Error::Corrupt("index has no metapage", META_BLOCK));
    }
    store.read(META_BLOCK, Meta::decode)
}

/// Payload bytes of a RaBitQ entry for `dims`-dimensional vectors with `ex_bits` extra bits.
pub fn rabitq_payload_len(dims: usize, ex_bits: u8) -> usize {
    RABITQ_FACTORS_SIZE + crate::rabitq::code_words(dims) * 8 + rabitq_sidecar_len(dims, ex_bits)
}

/// Bytes of a RaBitQ entry's sidecar: `ex_bits` planes and the scale factor (none without).
fn rabitq_sidecar_len(dims: usize, ex_bits: u8) -> usize {
    if ex_bits == 0 { 0 } else { ex_bits as usize * crate::rabitq::code_words(dims) * 8 + 8 }
}

/// A RaBitQ code as an entry payload (with its extra bits, if it has them).
pub fn rabitq_payload(code: &crate::rabitq::Code) -> alloc::vec::Vec<u8> {
    let ex_bits = code.ex.as_ref().map_or(0, |ex| ex.planes.len() / code.bits.len());
    let mut out = alloc::vec![0u8; rabitq_payload_len(code.bits.len() * 64, ex_bits as u8)];
    out[0..4].copy_from_slice(&code.norm.to_le_bytes());
    out[4..8].copy_from_slice(&code.dot.to_le_bytes());
    out[8..12].copy_from_slice(&code.center_dot.to_le_bytes());
    let mut at = RABITQ_FACTORS_SIZE;
    for w in &code.bits {
        put_u64(&mut out, at, *w);
        at += 8;
    }
    if let Some(ex) = &code.ex {
        out[12..16].copy_from_slice(&ex.dot.to_le_bytes());
        for w in &ex.planes {
            put_u64(&mut out, at, *w);
            at += 8;
        }
        out[at..at + 4].copy_from_slice(&ex.scale.to_le_bytes());
    }
    out
}

/// The refined (distance², bound) of a RaBitQ entry with `meta.ex_bits` > 0, from its
/// payload (as [`entry`] gives it) and its [`sidecar`].
pub(crate) fn rabitq_refine(payload: &[u8], sidecar: &[u8], meta: &Meta, prep: &crate::rabitq::QueryPrep) -> (f32, f32) {
    let words = crate::rabitq::code_words(meta.dims as usize);
    let ex_bits = meta.ex_bits as usize;
    let signs = &payload[RABITQ_FACTORS_SIZE..RABITQ_FACTORS_SIZE + words * 8];
    let planes = &sidecar[..ex_bits * words * 8];
    let scale = get_f32(sidecar, ex_bits * words * 8);
    crate::rabitq::refine(prep, signs, planes, ex_bits as u32, get_f32(payload, 0), get_f32(payload, 12), scale)
}

#[inline]
pub(crate) fn get_f32(b: &[u8], at: usize) -> f32 {
    f32::from_bits(get_u32(b, at))
}

/// A centroid record: (first page, last page).
pub(crate) fn centroid_pages_of(page: &[u8], offset: usize) -> (BlockNumber, BlockNumber) {
    (get_u32(page, offset), get_u32(page, offset + 4))
}

pub(crate) fn set_centroid_pages(page: &mut [u8], offset: usize, first: BlockNumber, last: BlockNumber) {
    put_u32(page, offset, first);
    put_u32(page, offset + 4, last);
}

pub(crate) fn centroid_vector(page: &[u8], offset: usize, dims: usize, out: &mut alloc::vec::Vec<f32>) {
    // Exact chunks: no bounds check per coordinate (every scan decodes every centroid).
    let bytes = &page[offset + 8..offset + 8 + dims * 4];
    out.extend(bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))));
}

/// Validated list page header: (entry count, next block).
pub(crate) fn list_header(page: &[u8], meta: &Meta, block: BlockNumber) -> Result<(usize, BlockNumber), Error> {
    let count = get_u16(page, 2) as usize;
    if page[0] != KIND_LIST || count > meta.entries_per_page() {
        return Err(Error::Corrupt("bad list page", block));
    }
    Ok((count, get_u32(page, 4)))
}

pub(crate) fn init_list_page(page: &mut [u8]) {
    page.fill(0);
    page[0] = KIND_LIST;
}

pub(crate) fn set_next(page: &mut [u8], next: BlockNumber) {
    put_u32(page, 4, next);
}

/// Appends an entry to a list page with room (the caller checked the count).
pub(crate) fn push_entry(page: &mut [u8], meta: &Meta, tid: HeapTid, payload: &[u8]) {
    let count = get_u16(page, 2) as usize;
    let at = PAGE_HEADER_SIZE + count * meta.entry_size();
    put_u32(page, at, tid.block);
    put_u16(page, at + 4, tid.offset);
    page[at + 6] = 0;
    let (scanned, sidecar) = payload.split_at(meta.scanned_len());
    page[at + ENTRY_HEADER_SIZE..at + ENTRY_HEADER_SIZE + scanned.len()].copy_from_slice(scanned);
    if !sidecar.is_empty() {
        let side = meta.sidecar_at(count);
        page[side..side + sidecar.len()].copy_from_slice(sidecar);
    }
    put_u16(page, 2, (count + 1) as u16);
}

/// Entry `i` of a validated list page: (tid, deleted, payload).
#[inline]
pub(crate) fn entry<'a>(page: &'a [u8], meta: &Meta, i: usize) -> (HeapTid, bool, &'a [u8]) {
    let at = PAGE_HEADER_SIZE + i * meta.entry_size();
    let tid = HeapTid { block: get_u32(page, at), offset: get_u16(page, at + 4) };
    let payload = &page[at + ENTRY_HEADER_SIZE..at + ENTRY_HEADER_SIZE + meta.scanned_len()];
    (tid, page[at + 6] & FLAG_DELETED != 0, payload)
}

/// The sidecar of entry `i` of a validated list page (empty without extra bits).
#[inline]
pub(crate) fn sidecar<'a>(page: &'a [u8], meta: &Meta, i: usize) -> &'a [u8] {
    let at = meta.sidecar_at(i);
    &page[at..at + meta.sidecar_size()]
}

/// The first `count` entries of a validated list page, as [`entry`] gives them, walked as
/// exact chunks (no per-entry bounds checks: the scan's inner loop).
#[inline]
pub(crate) fn entries<'a>(page: &'a [u8], meta: &Meta, count: usize) -> impl Iterator<Item = (HeapTid, bool, &'a [u8])> + 'a {
    let size = meta.entry_size();
    let payload_len = meta.scanned_len();
    page[PAGE_HEADER_SIZE..PAGE_HEADER_SIZE + count * size].chunks_exact(size).map(move |e| {
        let tid = HeapTid { block: get_u32(e, 0), offset: get_u16(e, 4) };
        (tid, e[6] & FLAG_DELETED != 0, &e[ENTRY_HEADER_SIZE..ENTRY_HEADER_SIZE + payload_len])
    })
}

pub(crate) fn mark_deleted(page: &mut [u8], meta: &Meta, i: usize) {
    page[PAGE_HEADER_SIZE + i * meta.entry_size() + 6] |= FLAG_DELETED;
}

/// Removes the deleted entries of a list page with `count` entries, moving the live ones (with
/// their sidecars) down in order, and zeroes what they leave; returns the new count. Scans
/// read a page whole under its lock, so they never see a move half done, and a refinement
/// that looks an entry up again by its slot checks the tid it finds there.
pub(crate) fn compact_list_page(page: &mut [u8], meta: &Meta, count: usize) -> usize {
    let (size, side) = (meta.entry_size(), meta.sidecar_size());
    let mut kept = 0;
    for i in 0..count {
        let at = PAGE_HEADER_SIZE + i * size;
        if page[at + 6] & FLAG_DELETED != 0 {
            continue;
        }
        if kept != i {
            page.copy_within(at..at + size, PAGE_HEADER_SIZE + kept * size);
            page.copy_within(meta.sidecar_at(i)..meta.sidecar_at(i) + side, meta.sidecar_at(kept));
        }
        kept += 1;
    }
    page[PAGE_HEADER_SIZE + kept * size..PAGE_HEADER_SIZE + count * size].fill(0);
    page[meta.sidecar_at(kept)..meta.sidecar_at(count)].fill(0);
    put_u16(page, 2, kept as u16);
    kept
}

/// Every list's centroid, one after another (`dims` values each), and its (first, last) page.
pub(crate) type Centroids = (alloc::vec::Vec<f32>, alloc::vec::Vec<(BlockNumber, BlockNumber)>);

/// Reads every list's (first, last) page and centroid; validates the centroid pages.
pub(crate) fn read_centroids(store: &impl PageStore, meta: &Meta) -> Result<Centroids, Error> {
    let dims = meta.dims as usize;
    let mut vectors = alloc::vec::Vec::with_capacity(meta.lists as usize * dims);
    let mut pages = alloc::vec::Vec::with_capacity(meta.lists as usize);
    let limit = BlockLimit::default();
    if meta.centroids_per_page() == 0 {
        read_spanning_centroids(store, meta, &limit, &mut vectors, &mut pages)?;
        return Ok((vectors, pages));
    }
    for block in FIRST_CENTROID_BLOCK..FIRST_CENTROID_BLOCK + meta.centroid_pages() {
        if !limit.contains(store, block) {
            return Err(Error::Corrupt("centroid page missing", block));
        }
        let first_list = (block - FIRST_CENTROID_BLOCK) as usize * meta.centroids_per_page();
        let want = (meta.lists as usize - first_list).min(meta.centroids_per_page());
        store.read(block, |page| {
            if page[0] != KIND_CENTROIDS || get_u16(page, 2) as usize != want {
                return Err(Error::Corrupt("bad centroid page", block));
            }
            for i in 0..want {
                let at = PAGE_HEADER_SIZE + i * meta.centroid_record_size();
                pages.push(centroid_pages_of(page, at));
                centroid_vector(page, at, dims, &mut vectors);
            }
            Ok(())
        })?;
    }
    Ok((vectors, pages))
}

/// [`read_centroids`] for records that span pages: each record's bytes are gathered from its
/// pages, then parsed as a one-page record would be.
fn read_spanning_centroids(
    store: &impl PageStore,
    meta: &Meta,
    limit: &BlockLimit,
    vectors: &mut alloc::vec::Vec<f32>,
    pages: &mut alloc::vec::Vec<(BlockNumber, BlockNumber)>,
) -> Result<(), Error> {
    let span = meta.pages_per_centroid();
    let mut record = alloc::vec![0u8; span * CENTROID_CAPACITY];
    for list in 0..meta.lists {
        let (first_block, _) = meta.centroid_location(list);
        for (i, chunk) in record.chunks_exact_mut(CENTROID_CAPACITY).enumerate() {
            let block = first_block + i as u32;
            if !limit.contains(store, block) {
                return Err(Error::Corrupt("centroid page missing", block));
            }
            let want = if i == 0 { 1 } else { 0 };
            store.read(block, |page| {
                if page[0] != KIND_CENTROIDS || get_u16(page, 2) != want {
                    return Err(Error::Corrupt("bad centroid page", block));
                }
                chunk.copy_from_slice(&page[PAGE_HEADER_SIZE..PAGE_HEADER_SIZE + CENTROID_CAPACITY]);
                Ok(())
            })?;
        }
        pages.push(centroid_pages_of(&record, 0));
        centroid_vector(&record, 0, meta.dims as usize, vectors);
    }
    Ok(())
}

/// Fills one centroid record: `first`/`last` page of the list, then its `vector`.
pub(crate) fn encode_centroid_record(record: &mut [u8], first: BlockNumber, last: BlockNumber, vector: &[f32]) {
    set_centroid_pages(record, 0, first, last);
    for (d, &x) in vector.iter().enumerate() {
        put_u32(record, 8 + d * 4, x.to_bits());
    }
}

/// Bytes of a spanning record that go on its `i`-th page (after that page's header).
pub(crate) fn span_chunk(record: &[u8], i: usize) -> &[u8] {
    let start = i * CENTROID_CAPACITY;
    &record[start.min(record.len())..(start + CENTROID_CAPACITY).min(record.len())]
}
