//! `check` finds deliberately broken pages, with the documented kind strings.
use super::data::*;
use crate::hnsw::layout::{self, Record};
use crate::hnsw::{self, Error, Scan, read_meta};
use crate::pagestore::{MemoryPageStore, PageStore};

/// The first element on block 1 and the byte offset of its layer-0 neighbour slot 0.
fn first_neighbour_slot(store: &MemoryPageStore) -> (usize, usize) {
    let m = read_meta(store).unwrap().m as usize;
    store.read(1, |page| {
        let rec = Record::parse(page, layout::PAGE_HEADER_SIZE, m, 1).unwrap();
        assert!(rec.neighbours(0, 1).unwrap().count() > 0);
        (
            layout::PAGE_HEADER_SIZE,
            layout::PAGE_HEADER_SIZE + layout::neighbours_offset(m, 0) + 2,
        )
    })
}

#[test]
fn neighbour_past_the_end_is_reported_and_scans_fail_cleanly() {
    let data = Clustered::new(3, 16, 5).take(500);
    let mut store = build_in_memory(&data);
    assert_sound(&store, &|_| true);
    let (record, slot) = first_neighbour_slot(&store);
    let beyond = store.page_count() + 5;
    store.page_mut(1)[slot..slot + 4].copy_from_slice(&beyond.to_le_bytes());
    let problems = hnsw::check(&store, |_| true).unwrap();
    assert!(!problems.is_empty());
    assert!(
        problems.iter().all(|p| p.kind == "bad neighbour"),
        "{problems:?}"
    );
    assert_eq!(
        (problems[0].block, problems[0].offset as usize),
        (1, record)
    );

    // Searches either avoid the broken link or report it; they never panic.
    for q in data.iter().take(50) {
        let mut scan = Scan::new(&bytes(q), 40);
        loop {
            match scan.next_batch(&store, &L2) {
                Ok(batch) if batch.is_empty() => break,
                Ok(_) => {}
                Err(e) => {
                    assert!(matches!(e, Error::Corrupt(_, b) if b == beyond), "{e:?}");
                    break;
                }
            }
        }
    }
}

#[test]
fn missing_heap_tuples_are_reported() {
    let data = Clustered::new(4, 16, 5).take(300);
    let store = build_in_memory(&data);
    let problems = hnsw::check(&store, |t| row(t) != 17 && row(t) != 250).unwrap();
    let mut rows: alloc::vec::Vec<_> = problems
        .iter()
        .map(|p| {
            assert_eq!(p.kind, "missing heap tuple");
            p.detail.clone()
        })
        .collect();
    rows.sort();
    assert_eq!(rows.len(), 2, "{problems:?}");
    assert!(rows.contains(&alloc::format!(
        "heap tid ({},{})",
        tid(17).block,
        tid(17).offset
    )));
}

#[test]
fn broken_pages_and_metapage_are_reported() {
    let data = Clustered::new(5, 16, 5).take(300);
    let mut store = build_in_memory(&data);
    // A record header that no longer matches its shape.
    store.page_mut(1)[layout::PAGE_HEADER_SIZE + 3] = 99;
    // A page of an unknown kind.
    let last = store.page_count() - 1;
    store.page_mut(last)[0] = 77;
    let problems = hnsw::check(&store, |_| true).unwrap();
    let kinds: alloc::vec::Vec<&str> = problems.iter().map(|p| p.kind).collect();
    assert!(kinds.contains(&"bad element"), "{kinds:?}");
    assert!(kinds.contains(&"bad page"), "{kinds:?}");
    assert!(
        kinds.contains(&"bad neighbour"),
        "links into the lost records: {kinds:?}"
    );

    store.page_mut(0)[0] ^= 1;
    let problems = hnsw::check(&store, |_| true).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, "bad metapage");
}

#[test]
fn unreachable_elements_and_bad_entry_points_are_reported() {
    let data = Clustered::new(6, 16, 5).take(200);
    let mut store = build_in_memory(&data);
    let meta = read_meta(&store).unwrap();
    let m = meta.m as usize;
    // Cut every link: all but the entry point become unreachable.
    for block in 1..store.page_count() {
        let mut offsets = alloc::vec::Vec::new();
        store.read(block, |page| {
            layout::for_each_record(page, m, block, |_, o| offsets.push(o)).unwrap()
        });
        for o in offsets {
            let level = store.read(block, |p| {
                Record::parse(p, o as usize, m, block).unwrap().level()
            });
            store.write(&[block], |pages| {
                for layer in 0..=level as usize {
                    layout::set_neighbours(pages[0], o as usize, m, block, layer, &[]).unwrap();
                }
            });
        }
    }
    let problems = hnsw::check(&store, |_| true).unwrap();
    assert_eq!(problems.len(), 199);
    assert!(problems.iter().all(|p| p.kind == "unreachable element"));
    // vacuum_repair links them all back in.
    hnsw::vacuum_repair(&mut store, &L2).unwrap();
    assert_sound(&store, &|_| true);

    // An entry point at the wrong level.
    store.page_mut(0)[13] = store.page_mut(0)[13].wrapping_add(1);
    let problems = hnsw::check(&store, |_| true).unwrap();
    assert!(
        problems.iter().any(|p| p.kind == "bad entry point"),
        "{problems:?}"
    );
}
