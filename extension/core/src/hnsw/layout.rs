//! The on-page format (FORMAT_VERSION 1). All integers are little-endian.
//!
//! **Block 0, the metapage** (see `meta.rs`): magic `"RVHN"`, FORMAT_VERSION, m,
//! ef_construction, the entry point (element id + level, or none), the number of element
//! records ever written, and the last element page, which later inserts try first.
//!
//! **Element pages** start with an 8-byte header:
//! `kind: u8 = 1 | reserved: u8 | count: u16 | free: u16 | reserved: u16`
//! where `free` is the offset of the first unused byte. Element records follow at 8-aligned
//! offsets; an [`ElementId`] is (block, offset of the record).
//!
//! **An element record** (every part at a fixed offset computable from m, level and the
//! vector length, so that neighbour lists can be rewritten in place):
//! ```text
//!  0  state: u8        low 2 bits: 1 live, 2 deleted (no heap tids left, still traversed),
//!                      3 dead (skipped by every traversal); bit 7: vector is out of line
//!  1  level: u8        the element is in layers 0..=level
//!  2  tid_count: u8
//!  3  tid_capacity: u8 (derived: 2, plus whatever fits in the alignment padding, at most 10)
//!  4  vector_len: u32  bytes
//!  8  per layer 0..=level: count: u16, then capacity × 6-byte ElementId (block u32, offset u16)
//!                      capacity is 2m on layer 0 and m above. Record offsets are multiples of
//!                      8, so the low 3 bits of a slot's offset are free: bits 0-1 hold the
//!                      heuristic's verdict on that member (0 unknown, 1 kept as closer than the
//!                      closer members, 2 filled in), which makes re-selecting a full list cheap
//!     tid_capacity × 6-byte HeapTid (block u32, offset u16)
//!     padding to 8
//!     the vector, padded to 8            when the whole record fits on an empty page,
//!     first continuation block: u32 + 4 reserved bytes   otherwise
//! ```
//! A 384-dim f32 vector with m = 16 at level 0 takes 8 + 194 + 12 + 2 (padding) + 1536 = 1752 bytes.
//!
//! **Continuation pages** hold the bytes of out-of-line vectors:
//! `kind: u8 = 2 | reserved: u8 | used: u16 | next: u32 (0 = last)` then `used` vector bytes.
//! They are appended before the record that points to them is written, so a crash can leave
//! orphans; those are harmless (never reached) and not reported by `check`.
//!
//! All-zero pages (kind 0) are pages appended by an insert that crashed before writing them.
//!
//! Levels are capped (see [`max_level`]) so a record head with every neighbour list fits on one page.
use super::{ElementId, Error, HeapTid};
use crate::pagestore::{BlockNumber, PAYLOAD_SIZE};

pub const PAGE_HEADER_SIZE: usize = 8;
pub const KIND_UNUSED: u8 = 0;
pub const KIND_ELEMENT: u8 = 1;
pub const KIND_CONTINUATION: u8 = 2;
/// Vector bytes per continuation page.
pub const CONTINUATION_CAPACITY: usize = PAYLOAD_SIZE - PAGE_HEADER_SIZE;

pub const STATE_LIVE: u8 = 1;
pub const STATE_DELETED: u8 = 2;
pub const STATE_DEAD: u8 = 3;
const STATE_MASK: u8 = 0x03;
const FLAG_OUT_OF_LINE: u8 = 0x80;

/// Heap tids one element can hold (exact duplicates share an element, as in pgvector).
pub const MAX_TIDS: usize = 10;
const MIN_TIDS: usize = 2;
/// Even with m = 2 more layers than this are useless (2^16 elements per layer step).
pub const LEVEL_CAP: u8 = 16;
/// Larger vectors are refused: their continuation chain would make every visit slow.
pub const MAX_VECTOR_BYTES: usize = 4 << 20;

const RECORD_HEADER_SIZE: usize = 8;
const ID_SIZE: usize = 6;
const COUNT_SIZE: usize = 2;
const CONTINUATION_POINTER_SIZE: usize = 8;

#[inline]
pub(crate) const fn align8(n: usize) -> usize {
    (n + 7) & !7
}

/// Neighbour list capacity of a layer.
#[inline]
pub(crate) fn layer_capacity(m: usize, layer: usize) -> usize {
    if layer == 0 { 2 * m } else { m }
}

/// Offset, within a record, of layer `layer`'s neighbour count.
#[inline]
pub(crate) fn neighbours_offset(m: usize, layer: usize) -> usize {
    if layer == 0 {
        RECORD_HEADER_SIZE
    } else {
        RECORD_HEADER_SIZE
            + (COUNT_SIZE + 2 * m * ID_SIZE)
            + (layer - 1) * (COUNT_SIZE + m * ID_SIZE)
    }
}

/// The highest level an element may get with this m: capped so the record head (all
/// neighbour lists, the most tids, a continuation pointer) fits on one page.
pub fn max_level(m: usize) -> u8 {
    let mut level = LEVEL_CAP;
    while level > 0 {
        let head = align8(neighbours_offset(m, level as usize + 1) + MAX_TIDS * ID_SIZE)
            + CONTINUATION_POINTER_SIZE;
        if head <= PAYLOAD_SIZE - PAGE_HEADER_SIZE {
            break;
        }
        level -= 1;
    }
    level
}

/// Everything about a record's geometry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub m: usize,
    pub level: u8,
    pub vector_len: usize,
    pub out_of_line: bool,
}

impl Shape {
    /// The shape a new record gets: the vector inline whenever the whole record fits on an empty page.
    pub(crate) fn new(m: usize, level: u8, vector_len: usize) -> Shape {
        let mut shape = Shape {
            m,
            level,
            vector_len,
            out_of_line: false,
        };
        if shape.size() > PAYLOAD_SIZE - PAGE_HEADER_SIZE {
            shape.out_of_line = true;
        }
        shape
    }

    #[inline]
    fn tids_offset(&self) -> usize {
        neighbours_offset(self.m, self.level as usize + 1)
    }

    /// Two tids, plus as many as fit in the padding that aligns the vector anyway.
    #[inline]
    pub(crate) fn tid_capacity(&self) -> usize {
        let used = self.tids_offset() + MIN_TIDS * ID_SIZE;
        (MIN_TIDS + (align8(used) - used) / ID_SIZE).min(MAX_TIDS)
    }

    #[inline]
    fn vector_offset(&self) -> usize {
        align8(self.tids_offset() + self.tid_capacity() * ID_SIZE)
    }

    /// Record size in bytes (a multiple of 8).
    #[inline]
    pub(crate) fn size(&self) -> usize {
        self.vector_offset()
            + if self.out_of_line {
                CONTINUATION_POINTER_SIZE
            } else {
                align8(self.vector_len)
            }
    }
}

#[inline]
pub(crate) fn get_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}
#[inline]
pub(crate) fn get_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
#[inline]
pub(crate) fn get_u64(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}
#[inline]
pub(crate) fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
#[inline]
pub(crate) fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
#[inline]
pub(crate) fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}
/// A neighbour list slot: the member, and the heuristic's verdict on it (`Scored::closer`).
pub(crate) type Link = (ElementId, Option<bool>);

const VERDICT_MASK: u16 = 0x7;

#[inline]
fn get_link(b: &[u8], at: usize) -> Link {
    let raw = get_u16(b, at + 4);
    let verdict = match raw & VERDICT_MASK {
        1 => Some(true),
        2 => Some(false),
        _ => None,
    };
    (
        ElementId {
            block: get_u32(b, at),
            offset: raw & !VERDICT_MASK,
        },
        verdict,
    )
}
#[inline]
fn put_link(b: &mut [u8], at: usize, (id, verdict): Link) {
    let bits = match verdict {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    };
    put_u32(b, at, id.block);
    put_u16(b, at + 4, (id.offset & !VERDICT_MASK) | bits);
}

#[inline]
pub(crate) fn page_kind(page: &[u8]) -> u8 {
    page[0]
}

/// Element page header fields: (record count, free offset).
#[inline]
pub(crate) fn element_page_header(page: &[u8]) -> (u16, usize) {
    (get_u16(page, 2), get_u16(page, 4) as usize)
}

pub(crate) fn init_element_page(page: &mut [u8]) {
    page[..PAGE_HEADER_SIZE].fill(0);
    page[0] = KIND_ELEMENT;
    put_u16(page, 4, PAGE_HEADER_SIZE as u16);
}

/// Bytes still free on an element page (0 when it is not one).
pub(crate) fn element_page_free_space(page: &[u8]) -> usize {
    if page_kind(page) != KIND_ELEMENT {
        return 0;
    }
    PAYLOAD_SIZE.saturating_sub(element_page_header(page).1)
}

/// Continuation page header fields: (bytes used, next block or 0).
pub(crate) fn continuation_header(
    page: &[u8],
    block: BlockNumber,
) -> Result<(usize, BlockNumber), Error> {
    let used = get_u16(page, 2) as usize;
    if page_kind(page) != KIND_CONTINUATION || used == 0 || used > CONTINUATION_CAPACITY {
        return Err(Error::Corrupt("bad continuation page", block));
    }
    Ok((used, get_u32(page, 4)))
}

pub(crate) fn write_continuation_page(page: &mut [u8], bytes: &[u8], next: BlockNumber) {
    page.fill(0);
    page[0] = KIND_CONTINUATION;
    put_u16(page, 2, bytes.len() as u16);
    put_u32(page, 4, next);
    page[PAGE_HEADER_SIZE..PAGE_HEADER_SIZE + bytes.len()].copy_from_slice(bytes);
}

/// A validated view of one element record on a page.
#[derive(Clone, Copy)]
pub(crate) struct Record<'a> {
    page: &'a [u8],
    offset: usize,
    pub shape: Shape,
    pub state: u8,
    tid_count: usize,
}

impl<'a> Record<'a> {
    /// Parses and bounds-checks the record at `offset`; never reads outside the page.
    pub(crate) fn parse(
        page: &'a [u8],
        offset: usize,
        m: usize,
        block: BlockNumber,
    ) -> Result<Record<'a>, Error> {
        let corrupt = |what| Err(Error::Corrupt(what, block));
        if page.len() != PAYLOAD_SIZE || page_kind(page) != KIND_ELEMENT {
            return corrupt("element id points to a page that holds no elements");
        }
        let free = element_page_header(page).1;
        if free > PAYLOAD_SIZE
            || !offset.is_multiple_of(8)
            || offset < PAGE_HEADER_SIZE
            || offset + RECORD_HEADER_SIZE > free
        {
            return corrupt("element id points outside the page's records");
        }
        let head = &page[offset..offset + RECORD_HEADER_SIZE];
        let state = head[0] & STATE_MASK;
        let level = head[1];
        let tid_count = head[2] as usize;
        let vector_len = get_u32(head, 4) as usize;
        if state == 0 || head[0] & !(STATE_MASK | FLAG_OUT_OF_LINE) != 0 {
            return corrupt("bad element state");
        }
        // max_level(m) is at least 11 for every valid m: skip computing it in the common case.
        if (level > 11 && level > max_level(m)) || vector_len > MAX_VECTOR_BYTES {
            return corrupt("bad element level or vector length");
        }
        let shape = Shape::new(m, level, vector_len);
        if shape.out_of_line != (head[0] & FLAG_OUT_OF_LINE != 0)
            || head[3] as usize != shape.tid_capacity()
            || tid_count > shape.tid_capacity()
            || offset + shape.size() > free
        {
            return corrupt("element record does not match its header");
        }
        Ok(Record {
            page,
            offset,
            shape,
            state,
            tid_count,
        })
    }

    #[inline]
    pub(crate) fn level(&self) -> u8 {
        self.shape.level
    }

    pub(crate) fn tid_count(&self) -> usize {
        self.tid_count
    }

    pub(crate) fn tids(&self) -> impl Iterator<Item = HeapTid> + 'a {
        let start = self.offset + self.shape.tids_offset();
        let page = self.page;
        (0..self.tid_count).map(move |i| {
            let at = start + i * ID_SIZE;
            HeapTid {
                block: get_u32(page, at),
                offset: get_u16(page, at + 4),
            }
        })
    }

    /// The neighbour list of `layer` (which must be <= level).
    pub(crate) fn neighbours(
        &self,
        layer: usize,
        block: BlockNumber,
    ) -> Result<impl Iterator<Item = ElementId> + 'a, Error> {
        Ok(self.links(layer, block)?.map(|(id, _)| id))
    }

    /// The neighbour list of `layer` with the verdicts.
    pub(crate) fn links(
        &self,
        layer: usize,
        block: BlockNumber,
    ) -> Result<impl Iterator<Item = Link> + 'a, Error> {
        debug_assert!(layer <= self.shape.level as usize);
        let at = self.offset + neighbours_offset(self.shape.m, layer);
        let count = get_u16(self.page, at) as usize;
        if count > layer_capacity(self.shape.m, layer) {
            return Err(Error::Corrupt("neighbour count above capacity", block));
        }
        let page = self.page;
        Ok((0..count).map(move |i| get_link(page, at + COUNT_SIZE + i * ID_SIZE)))
    }

    /// The inline vector, or None when it lives in continuation pages.
    #[inline]
    pub(crate) fn inline_vector(&self) -> Option<&'a [u8]> {
        if self.shape.out_of_line {
            return None;
        }
        let at = self.offset + self.shape.vector_offset();
        Some(&self.page[at..at + self.shape.vector_len])
    }

    /// First continuation block of an out-of-line vector.
    pub(crate) fn continuation(&self) -> BlockNumber {
        get_u32(self.page, self.offset + self.shape.vector_offset())
    }
}

/// Where a new record's vector goes.
pub(crate) enum VectorPlacement<'v> {
    Inline(&'v [u8]),
    Continuation(BlockNumber),
}

/// Writes a complete new record at `offset` (the caller has checked it fits).
pub(crate) fn write_record(
    page: &mut [u8],
    offset: usize,
    shape: &Shape,
    tids: &[HeapTid],
    neighbours: &[&[Link]],
    vector: VectorPlacement<'_>,
) {
    let rec = &mut page[offset..offset + shape.size()];
    rec.fill(0);
    rec[0] = STATE_LIVE
        | if shape.out_of_line {
            FLAG_OUT_OF_LINE
        } else {
            0
        };
    rec[1] = shape.level;
    rec[2] = tids.len() as u8;
    rec[3] = shape.tid_capacity() as u8;
    put_u32(rec, 4, shape.vector_len as u32);
    for (layer, list) in neighbours.iter().enumerate() {
        write_neighbour_list(rec, shape.m, layer, list);
    }
    let tids_at = shape.tids_offset();
    for (i, tid) in tids.iter().enumerate() {
        put_u32(rec, tids_at + i * ID_SIZE, tid.block);
        put_u16(rec, tids_at + i * ID_SIZE + 4, tid.offset);
    }
    let vector_at = shape.vector_offset();
    match vector {
        VectorPlacement::Inline(bytes) => {
            rec[vector_at..vector_at + bytes.len()].copy_from_slice(bytes)
        }
        VectorPlacement::Continuation(block) => put_u32(rec, vector_at, block),
    }
}

/// Overwrites one neighbour list of the record starting at `rec[0]`.
fn write_neighbour_list(rec: &mut [u8], m: usize, layer: usize, list: &[Link]) {
    let at = neighbours_offset(m, layer);
    let list = &list[..list.len().min(layer_capacity(m, layer))];
    put_u16(rec, at, list.len() as u16);
    for (i, &link) in list.iter().enumerate() {
        put_link(rec, at + COUNT_SIZE + i * ID_SIZE, link);
    }
}

/// Validates the record at `offset` and replaces its neighbour list on `layer`.
pub(crate) fn set_neighbours(
    page: &mut [u8],
    offset: usize,
    m: usize,
    block: BlockNumber,
    layer: usize,
    list: &[Link],
) -> Result<(), Error> {
    let level = Record::parse(page, offset, m, block)?.level();
    if layer > level as usize {
        return Err(Error::Corrupt(
            "neighbour list above the element's level",
            block,
        ));
    }
    write_neighbour_list(&mut page[offset..], m, layer, list);
    Ok(())
}

/// Validates the record at `offset` and adds `id` at the end of its list on `layer` (verdict
/// unknown), leaving the other slots and their verdicts alone. Fails if the list is full.
pub(crate) fn append_neighbour(
    page: &mut [u8],
    offset: usize,
    m: usize,
    block: BlockNumber,
    layer: usize,
    id: ElementId,
) -> Result<(), Error> {
    let rec = Record::parse(page, offset, m, block)?;
    if layer > rec.level() as usize {
        return Err(Error::Corrupt(
            "neighbour list above the element's level",
            block,
        ));
    }
    let count = rec.links(layer, block)?.count();
    if count >= layer_capacity(m, layer) {
        return Err(Error::Corrupt(
            "neighbour list filled up under a serialized insert",
            block,
        ));
    }
    let at = offset + neighbours_offset(m, layer);
    put_link(page, at + COUNT_SIZE + count * ID_SIZE, (id, None));
    put_u16(page, at, count as u16 + 1);
    Ok(())
}

/// Validates the record at `offset` and replaces its heap tids (at most its capacity).
pub(crate) fn set_tids(
    page: &mut [u8],
    offset: usize,
    m: usize,
    block: BlockNumber,
    tids: &[HeapTid],
) -> Result<(), Error> {
    let shape = Record::parse(page, offset, m, block)?.shape;
    let tids = &tids[..tids.len().min(shape.tid_capacity())];
    let rec = &mut page[offset..];
    rec[2] = tids.len() as u8;
    let at = shape.tids_offset();
    for (i, tid) in tids.iter().enumerate() {
        put_u32(rec, at + i * ID_SIZE, tid.block);
        put_u16(rec, at + i * ID_SIZE + 4, tid.offset);
    }
    Ok(())
}

/// Adds a heap tid to a live record with room for it (an exact duplicate being inserted);
/// false when the record is no longer live or is full.
pub(crate) fn add_tid(
    page: &mut [u8],
    offset: usize,
    m: usize,
    block: BlockNumber,
    tid: HeapTid,
) -> Result<bool, Error> {
    let rec = Record::parse(page, offset, m, block)?;
    if rec.state != STATE_LIVE || rec.tid_count >= rec.shape.tid_capacity() {
        return Ok(false);
    }
    let at = offset + rec.shape.tids_offset() + rec.tid_count * ID_SIZE;
    let count = rec.tid_count as u8;
    put_u32(page, at, tid.block);
    put_u16(page, at + 4, tid.offset);
    page[offset + 2] = count + 1;
    Ok(true)
}

/// Validates the record at `offset` and sets its state (live / deleted / dead).
pub(crate) fn set_state(
    page: &mut [u8],
    offset: usize,
    m: usize,
    block: BlockNumber,
    state: u8,
) -> Result<(), Error> {
    Record::parse(page, offset, m, block)?;
    page[offset] = (page[offset] & !STATE_MASK) | state;
    Ok(())
}

/// Whether a record of `size` bytes can go at `offset`, the page's free offset.
pub(crate) fn has_room_at(page: &[u8], offset: usize, size: usize) -> bool {
    let (_, free) = element_page_header(page);
    page_kind(page) == KIND_ELEMENT && free == offset && offset + size <= PAYLOAD_SIZE
}

/// Appends a record to an element page's bookkeeping; returns its offset, or None if it does not fit.
pub(crate) fn reserve_record(page: &mut [u8], size: usize) -> Option<usize> {
    let (count, free) = element_page_header(page);
    if page_kind(page) != KIND_ELEMENT || free + size > PAYLOAD_SIZE {
        return None;
    }
    put_u16(page, 2, count + 1);
    put_u16(page, 4, (free + size) as u16);
    Some(free)
}

/// Calls `f` with every record of an element page, in order. Stops at the first corrupt one.
pub(crate) fn for_each_record<'a>(
    page: &'a [u8],
    m: usize,
    block: BlockNumber,
    mut f: impl FnMut(Record<'a>, u16),
) -> Result<(), Error> {
    let (count, _) = element_page_header(page);
    let mut offset = PAGE_HEADER_SIZE;
    for _ in 0..count {
        let rec = Record::parse(page, offset, m, block)?;
        f(rec, offset as u16);
        offset += rec.shape.size();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_384_dim_record_with_m16_is_small() {
        let shape = Shape::new(16, 0, 384 * 4);
        assert_eq!(shape.tid_capacity(), 2);
        assert_eq!(shape.size(), 1752);
        assert!(!shape.out_of_line);
    }

    #[test]
    fn record_head_fits_a_page_for_m100() {
        let top = max_level(100);
        assert!((8..LEVEL_CAP).contains(&top), "max level {top}");
        let shape = Shape::new(100, top, MAX_VECTOR_BYTES);
        assert!(shape.out_of_line);
        assert!(shape.size() <= PAYLOAD_SIZE - PAGE_HEADER_SIZE);
        assert!(
            Shape::new(100, top + 1, 0).size() + MAX_TIDS * ID_SIZE
                > PAYLOAD_SIZE - PAGE_HEADER_SIZE
        );
        assert_eq!(max_level(16), LEVEL_CAP);
    }

    #[test]
    fn max_level_is_at_least_11() {
        for m in 2..=100 {
            assert!(max_level(m) >= 11);
        }
    }

    #[test]
    fn large_vectors_go_out_of_line() {
        assert!(Shape::new(16, 0, 16000 * 4).out_of_line);
        assert!(!Shape::new(16, 0, 1900 * 4).out_of_line);
        assert!(Shape::new(16, 0, 2100 * 4).out_of_line);
    }

    #[test]
    fn record_round_trips() {
        let mut page = [0u64; PAYLOAD_SIZE / 8];
        // SAFETY-free: build the page through the aligned helper.
        let page = crate::hnsw::aligned::words_as_bytes_mut(&mut page);
        init_element_page(page);
        let shape = Shape::new(4, 1, 12);
        let offset = reserve_record(page, shape.size()).unwrap();
        let n0 = [
            (
                ElementId {
                    block: 3,
                    offset: 8,
                },
                Some(true),
            ),
            (
                ElementId {
                    block: 4,
                    offset: 16,
                },
                Some(false),
            ),
        ];
        let n1 = [(
            ElementId {
                block: 5,
                offset: 24,
            },
            None,
        )];
        let tid = HeapTid {
            block: 7,
            offset: 9,
        };
        write_record(
            page,
            offset,
            &shape,
            &[tid],
            &[&n0, &n1],
            VectorPlacement::Inline(&[1u8; 12]),
        );
        let rec = Record::parse(page, offset, 4, 1).unwrap();
        assert_eq!(rec.level(), 1);
        assert_eq!(rec.state, STATE_LIVE);
        assert_eq!(rec.tids().collect::<alloc::vec::Vec<_>>(), [tid]);
        assert!(rec.links(0, 1).unwrap().eq(n0.iter().copied()));
        assert!(rec.neighbours(1, 1).unwrap().eq(n1.iter().map(|l| l.0)));
        assert_eq!(rec.inline_vector().unwrap(), &[1u8; 12]);
        assert!(Record::parse(page, offset + 8, 4, 1).is_err());
        assert!(
            Record::parse(page, offset, 5, 1).is_err(),
            "m mismatch changes the shape"
        );
    }
}
