//! Adding one row after the build: to the list of its nearest centroid, on the list's insert
//! page (its last page, or an earlier one where VACUUM freed room) or a page after it with
//! room, else on a new page linked after the last by the same atomic write.
use super::layout::{self, Meta};
use super::{Error, HeapTid};
use crate::pagestore::{BlockNumber, PageStore};

/// Inserts `tid`, whose vector is `vector` (`dims` floats, used to pick the list).
/// `make_payload(list, centroid)` encodes the entry (RaBitQ codes depend on the centroid).
/// Returns the list chosen.
pub fn insert(store: &mut impl PageStore, tid: HeapTid, vector: &[f32], make_payload: impl FnOnce(u32, &[f32]) -> alloc::vec::Vec<u8>) -> Result<u32, Error> {
    let meta = layout::read_meta(store)?;
    if vector.len() != meta.dims as usize {
        return Err(Error::BadParams);
    }
    let dims = meta.dims as usize;
    let (centroids, _) = layout::read_centroids(store, &meta)?;
    let (list, _) = crate::kmeans::nearest(&centroids, dims, vector);
    let payload = make_payload(list as u32, &centroids[list * dims..(list + 1) * dims]);
    if payload.len() != meta.payload_len as usize {
        return Err(Error::BadParams);
    }
    insert_into_list(store, &meta, list as u32, tid, &payload)?;
    Ok(list as u32)
}

/// Appends an entry to list `list`: the second half of [`insert`], for callers that chose the
/// list themselves (a build inserting rows that did not fit in memory keeps the centroids
/// rather than reading them for every row).
pub fn insert_into_list(store: &mut impl PageStore, meta: &Meta, list: u32, tid: HeapTid, payload: &[u8]) -> Result<(), Error> {
    if list >= meta.lists || payload.len() != meta.payload_len as usize {
        return Err(Error::BadParams);
    }
    let meta = *meta;
    let (centroid_block, centroid_at) = meta.centroid_location(list);
    let limit = crate::pagestore::BlockLimit::default();
    let mut steps = 0;
    // The insert page is re-read under each write: another insert may have filled it, moved
    // it on, or moved the list's end since we looked.
    loop {
        let (_, last) = store.read(centroid_block, |p| layout::centroid_pages_of(p, centroid_at));
        if last != 0 {
            if !limit.contains(store, last) || !limit.within(store, steps) {
                return Err(Error::Corrupt("list's insert page is beyond the index, or its chain loops", centroid_block));
            }
            steps += 1;
            match store.write(&[last], |p| try_push(p[0], &meta, last, tid, payload))? {
                Pushed::Yes => return Ok(()),
                Pushed::FullBefore(next) => {
                    // Full, and not the end: move the insert page on (unless someone did).
                    store.write(&[centroid_block], |p| {
                        let (first, current) = layout::centroid_pages_of(p[0], centroid_at);
                        if current == last {
                            layout::set_centroid_pages(p[0], centroid_at, first, next);
                        }
                    });
                    continue;
                }
                Pushed::FullAtEnd => {}
            }
        }
        let fresh = store.append();
        let moved = if last == 0 {
            store.write(&[fresh, centroid_block], |p| {
                let [page, centroids] = p else { unreachable!() };
                if layout::centroid_pages_of(centroids, centroid_at).1 != 0 {
                    return false; // a concurrent insert started the list; the page stays unused
                }
                layout::init_list_page(page);
                layout::push_entry(page, &meta, tid, payload);
                layout::set_centroid_pages(centroids, centroid_at, fresh, fresh);
                true
            })
        } else {
            store.write(&[fresh, last, centroid_block], |p| {
                let [page, previous, centroids] = p else { unreachable!() };
                let (first, current_last) = layout::centroid_pages_of(centroids, centroid_at);
                // Still the insert page and still the end (a vacuum may have moved the insert
                // page back; an insert may have linked a page after it).
                if current_last != last || !matches!(layout::list_header(previous, &meta, last), Ok((_, 0))) {
                    return false;
                }
                layout::init_list_page(page);
                layout::push_entry(page, &meta, tid, payload);
                layout::set_next(previous, fresh);
                layout::set_centroid_pages(centroids, centroid_at, first, fresh);
                true
            })
        };
        if moved {
            return Ok(());
        }
    }
}

enum Pushed {
    Yes,
    /// Full, and `next` follows it.
    FullBefore(BlockNumber),
    FullAtEnd,
}

fn try_push(page: &mut [u8], meta: &Meta, block: BlockNumber, tid: HeapTid, payload: &[u8]) -> Result<Pushed, Error> {
    let (count, next) = layout::list_header(page, meta, block)?;
    if count < meta.entries_per_page() {
        layout::push_entry(page, meta, tid, payload);
        return Ok(Pushed::Yes);
    }
    Ok(if next != 0 { Pushed::FullBefore(next) } else { Pushed::FullAtEnd })
}
