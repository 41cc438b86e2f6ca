//! Writing a whole index in one sequential pass: metapage, centroid pages, then each list's
//! pages in list order, so that the same input always gives the same bytes.
use super::layout::{self, FIRST_CENTROID_BLOCK, KIND_CENTROIDS, Meta, PAGE_HEADER_SIZE};
use super::{Error, HeapTid};
use crate::hnsw::layout::put_u16;
use crate::pagestore::{BlockNumber, PageStore};
use alloc::vec::Vec;

/// One row to index: its heap tid, the list (centroid index) it belongs to, and its payload
/// (`meta.payload_len` bytes: the encoded vector, or [`layout::rabitq_payload`]).
pub struct Entry<'a> {
    pub tid: HeapTid,
    pub list: u32,
    pub payload: &'a [u8],
}

/// Builds the index into an empty store. `centroids` holds `meta.lists` rows of `meta.dims`
/// floats. Entries keep their given order within each list.
pub fn build<'a>(store: &mut impl PageStore, meta: &Meta, centroids: &[f32], entries: impl IntoIterator<Item = Entry<'a>>) -> Result<(), Error> {
    if store.page_count() != 0 {
        return Err(Error::StoreNotEmpty);
    }
    if !meta.is_valid() || centroids.len() != meta.lists as usize * meta.dims as usize {
        return Err(Error::BadParams);
    }
    let mut by_list: Vec<Vec<Entry<'a>>> = (0..meta.lists).map(|_| Vec::new()).collect();
    for e in entries {
        if e.list >= meta.lists || e.payload.len() != meta.payload_len as usize {
            return Err(Error::BadParams);
        }
        by_list[e.list as usize].push(e);
    }
    let meta_block = store.append();
    store.write(&[meta_block], |p| meta.encode(p[0]));
    for _ in 0..meta.centroid_pages() {
        store.append();
    }
    // Lists take consecutive blocks after the centroid pages, so every page's successor is
    // known before it is written.
    let mut ranges: Vec<(BlockNumber, BlockNumber)> = Vec::with_capacity(by_list.len());
    let per_page = meta.entries_per_page();
    for list in &by_list {
        if list.is_empty() {
            ranges.push((0, 0));
            continue;
        }
        let first = store.page_count();
        let pages = list.len().div_ceil(per_page);
        for (i, chunk) in list.chunks(per_page).enumerate() {
            let block = store.append();
            let next = if i + 1 < pages { block + 1 } else { 0 };
            store.write(&[block], |p| {
                layout::init_list_page(p[0]);
                layout::set_next(p[0], next);
                chunk.iter().for_each(|e| layout::push_entry(p[0], meta, e.tid, e.payload));
            });
        }
        ranges.push((first, first + pages as u32 - 1));
    }
    write_centroid_pages(store, meta, centroids, &ranges);
    Ok(())
}

fn write_centroid_pages(store: &mut impl PageStore, meta: &Meta, centroids: &[f32], ranges: &[(BlockNumber, BlockNumber)]) {
    let dims = meta.dims as usize;
    let per_page = meta.centroids_per_page();
    let mut record = alloc::vec![0u8; meta.centroid_record_size()];
    if per_page == 0 {
        for (list, &(first, last)) in ranges.iter().enumerate() {
            layout::encode_centroid_record(&mut record, first, last, &centroids[list * dims..(list + 1) * dims]);
            let (first_block, _) = meta.centroid_location(list as u32);
            for i in 0..meta.pages_per_centroid() {
                store.write(&[first_block + i as u32], |p| {
                    let page = &mut *p[0];
                    page.fill(0);
                    page[0] = KIND_CENTROIDS;
                    put_u16(page, 2, if i == 0 { 1 } else { 0 });
                    let chunk = layout::span_chunk(&record, i);
                    page[PAGE_HEADER_SIZE..PAGE_HEADER_SIZE + chunk.len()].copy_from_slice(chunk);
                });
            }
        }
        return;
    }
    for (page_index, lists) in ranges.chunks(per_page).enumerate() {
        let block = FIRST_CENTROID_BLOCK + page_index as u32;
        store.write(&[block], |p| {
            let page = &mut *p[0];
            page.fill(0);
            page[0] = KIND_CENTROIDS;
            put_u16(page, 2, lists.len() as u16);
            for (i, &(first, last)) in lists.iter().enumerate() {
                let list = page_index * per_page + i;
                let at = PAGE_HEADER_SIZE + i * meta.centroid_record_size();
                layout::encode_centroid_record(&mut record, first, last, &centroids[list * dims..(list + 1) * dims]);
                page[at..at + record.len()].copy_from_slice(&record);
            }
        });
    }
}
