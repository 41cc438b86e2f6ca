//! The metapage (block 0):
//! ```text
//!  0 magic "RVHN" | 4 version u32 | 8 m u16 | 10 ef_construction u16
//! 12 has_entry u8 | 13 entry level u8 | 14 entry offset u16 | 16 entry block u32
//! 20 insert page u32 (last element page, 0 = none) | 24 element_count u64
//! 32 value encoding u8 (format 2; the caller's, see `Params::value_encoding`)
//! ```
//! Format 1 had no value-encoding byte; it reads as encoding 0.
use super::layout::{get_u16, get_u32, get_u64, max_level, put_u16, put_u32, put_u64};
use super::{ElementId, Error, FORMAT_VERSION, Params};
use crate::pagestore::{BlockNumber, PageStore};

const MAGIC: u32 = u32::from_le_bytes(*b"RVHN");
pub(crate) const META_BLOCK: BlockNumber = 0;

/// The contents of the metapage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meta {
    pub version: u32,
    pub m: u16,
    pub ef_construction: u16,
    /// The element searches start from, and its level (the highest of any non-dead element).
    pub entry: Option<(ElementId, u8)>,
    /// Live + deleted records written (dead ones included: space is not reused).
    pub element_count: u64,
    /// The last element page, tried first for the next insert; 0 when there is none yet.
    pub insert_page: BlockNumber,
    /// How the caller encodes values in this index (opaque to core): fixed at CREATE INDEX,
    /// so that an index keeps being read the way it was written.
    pub value_encoding: u8,
}

impl Meta {
    pub(crate) fn m(&self) -> usize {
        self.m as usize
    }

    pub(crate) fn decode(page: &[u8]) -> Result<Meta, Error> {
        let corrupt = |what| Err(Error::Corrupt(what, META_BLOCK));
        if get_u32(page, 0) != MAGIC {
            return corrupt("bad metapage magic");
        }
        let version = get_u32(page, 4);
        if !(1..=FORMAT_VERSION).contains(&version) {
            return corrupt("unsupported index format version");
        }
        let m = get_u16(page, 8);
        let ef_construction = get_u16(page, 10);
        if !(2..=100).contains(&m) || ef_construction < 1 {
            return corrupt("bad parameters in metapage");
        }
        let entry = match page[12] {
            0 => None,
            1 => {
                let level = page[13];
                if level > max_level(m as usize) {
                    return corrupt("entry point level above the cap");
                }
                Some((
                    ElementId {
                        block: get_u32(page, 16),
                        offset: get_u16(page, 14),
                    },
                    level,
                ))
            }
            _ => return corrupt("bad entry point flag"),
        };
        Ok(Meta {
            version,
            m,
            ef_construction,
            entry,
            element_count: get_u64(page, 24),
            insert_page: get_u32(page, 20),
            value_encoding: if version >= 2 { page[32] } else { 0 },
        })
    }

    pub(crate) fn encode(&self, page: &mut [u8]) {
        page[..33].fill(0);
        put_u32(page, 0, MAGIC);
        // Whatever version it was read as, it is written as this code's: byte 32 now holds
        // the encoding (0 for a format-1 index, the only encoding format 1 had).
        put_u32(page, 4, FORMAT_VERSION);
        put_u16(page, 8, self.m);
        put_u16(page, 10, self.ef_construction);
        if let Some((id, level)) = self.entry {
            page[12] = 1;
            page[13] = level;
            put_u16(page, 14, id.offset);
            put_u32(page, 16, id.block);
        }
        put_u32(page, 20, self.insert_page);
        put_u64(page, 24, self.element_count);
        page[32] = self.value_encoding;
    }
}

pub(crate) fn validate_params(params: Params) -> Result<(), Error> {
    let ok = (2..=100).contains(&params.m) && (1..=1000).contains(&params.ef_construction);
    if ok { Ok(()) } else { Err(Error::BadParams) }
}

/// Block 0 is the metapage. Call once on an empty store (CREATE INDEX on an empty table, or before build).
pub fn init(store: &mut impl PageStore, params: Params) -> Result<(), Error> {
    validate_params(params)?;
    if store.page_count() != 0 {
        return Err(Error::StoreNotEmpty);
    }
    let block = store.append();
    debug_assert_eq!(block, META_BLOCK);
    let meta = Meta {
        version: FORMAT_VERSION,
        m: params.m,
        ef_construction: params.ef_construction,
        entry: None,
        element_count: 0,
        insert_page: 0,
        value_encoding: params.value_encoding,
    };
    store.write(&[META_BLOCK], |pages| meta.encode(pages[0]));
    Ok(())
}

pub fn read_meta(store: &impl PageStore) -> Result<Meta, Error> {
    if store.page_count() == 0 {
        return Err(Error::Corrupt("index has no metapage", META_BLOCK));
    }
    store.read(META_BLOCK, Meta::decode)
}
