// The metapage keeps the caller's value encoding through a build and later inserts, and a
// format-1 metapage (no encoding byte) still reads, as encoding 0.
use super::data::*;
use crate::hnsw::{self, Builder, Params};
use crate::pagestore::{MemoryPageStore, PageStore};

const ENCODED: Params = Params { value_encoding: 7, ..PARAMS };

#[test]
fn value_encoding_survives_build_and_inserts() {
    let data = Clustered::new(5, 16, 4).take(300);
    let mut store = MemoryPageStore::new();
    hnsw::init(&mut store, ENCODED).unwrap();
    assert_eq!(hnsw::read_meta(&store).unwrap().value_encoding, 7);
    let mut builder = Builder::new(ENCODED, L2);
    for (row, v) in data.iter().enumerate().take(200) {
        builder.insert(&bytes(v), tid(row));
    }
    builder.write_to(&mut store).unwrap();
    insert_rows(&mut store, &data, 200, 300);
    let meta = hnsw::read_meta(&store).unwrap();
    assert_eq!((meta.version, meta.value_encoding, meta.element_count), (hnsw::FORMAT_VERSION, 7, 300));
}

#[test]
fn format_1_metapage_reads_as_encoding_0_and_is_rewritten_as_format_2() {
    let data = Clustered::new(6, 16, 4).take(100);
    let mut store = build_in_memory(&data);
    // What a format-1 build left: version 1, and byte 32 never written.
    store.write(&[0], |pages| {
        pages[0][4..8].copy_from_slice(&1u32.to_le_bytes());
        pages[0][32] = 0;
    });
    let meta = hnsw::read_meta(&store).unwrap();
    assert_eq!((meta.version, meta.value_encoding), (1, 0));
    insert_rows(&mut store, &Clustered::new(7, 16, 4).take(100), 0, 10);
    let meta = hnsw::read_meta(&store).unwrap();
    assert_eq!((meta.version, meta.value_encoding), (2, 0));
    // A version this code does not know is refused.
    store.write(&[0], |pages| pages[0][4..8].copy_from_slice(&3u32.to_le_bytes()));
    assert!(hnsw::read_meta(&store).is_err());
}
