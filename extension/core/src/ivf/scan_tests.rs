//! The two ways a scan estimates a list page — batch kernels over columns (native) and one
//! code at a time straight from the page (wasm32) — must give the same candidates bit for bit,
//! so PGlite and native Postgres rank, rerank and return the same rows.
use super::layout::{self, Kind, Meta, rabitq_payload, rabitq_payload_len};
use super::scan::{Columns, Site, estimate_page_by_code, walk_list};
use super::{Entry, HeapTid, RabitqCandidate, build};
use crate::pagestore::{BlockLimit, MemoryPageStore, PageStore};
use crate::rabitq::{self, QueryPrep, Rotation};
use crate::testutil::Rng;
use alloc::vec::Vec;

/// A RaBitQ index of `n` random rows over `lists` random centroids, every 7th entry of each
/// page marked deleted.
fn index(dims: usize, lists: usize, n: usize, ex_bits: u8, rng: &mut Rng) -> (MemoryPageStore, Meta, Vec<f32>) {
    let seed = 11 + dims as u64;
    let rotation = Rotation::new(dims, seed);
    let meta = Meta { kind: Kind::Rabitq, dims: dims as u32, lists: lists as u32, payload_len: rabitq_payload_len(dims, ex_bits) as u32, rotation_seed: seed, ex_bits };
    let centroids: Vec<f32> = (0..lists * dims).map(|_| rng.unit()).collect();
    let encoded: Vec<(u32, Vec<u8>)> = (0..n)
        .map(|i| {
            let list = i % lists;
            let centroid = &centroids[list * dims..][..dims];
            // Rows near their centroid, a few far from it, and one equal to it (zero residual).
            let scale = [0.3, 0.3, 3.0, 0.0][i % 4];
            let row: Vec<f32> = centroid.iter().map(|c| c + scale * rng.unit()).collect();
            (list as u32, rabitq_payload(&rabitq::encode_bits(&rotation, &row, centroid, ex_bits as u32)))
        })
        .collect();
    let mut store = MemoryPageStore::new();
    let tid = |i: usize| HeapTid { block: (i / 100) as u32, offset: (i % 100) as u16 + 1 };
    build(&mut store, &meta, &centroids, encoded.iter().enumerate().map(|(i, (l, p))| Entry { tid: tid(i), list: *l, payload: p })).unwrap();
    for block in 0..store.page_count() {
        store.write(&[block], |pages| {
            let page = &mut *pages[0];
            if page[0] == layout::KIND_LIST {
                let count = u16::from_le_bytes([page[2], page[3]]) as usize;
                (0..count).step_by(7).for_each(|i| layout::mark_deleted(page, &meta, i));
            }
        });
    }
    (store, meta, centroids)
}

fn bits(c: &RabitqCandidate) -> (HeapTid, u32, u32, u32) {
    (c.tid, c.distance2.to_bits(), c.bound.to_bits(), c.inner_product.to_bits())
}

#[test]
fn estimates_by_code_match_the_batch_kernels_bit_for_bit() {
    let mut rng = Rng::new(31);
    // Code widths 1 (general loop), 2, 6 and 24 words (specialised), 11 (general again).
    for (dims, ex_bits) in [(16, 0), (100, 0), (384, 0), (700, 0), (1536, 0), (100, 1), (384, 3)] {
        let (store, meta, centroids) = index(dims, 3, 700, ex_bits, &mut rng);
        let (_, lists) = layout::read_centroids(&store, &meta).unwrap();
        let rotation = Rotation::new(dims, meta.rotation_seed);
        let queries: Vec<Vec<f32>> = (0..3).map(|q| (0..dims).map(|_| [1.0, 0.01, 50.0][q] * rng.unit()).collect()).collect();
        let mut compared = 0;
        for query in &queries {
            for (list, &(first, _)) in lists.iter().enumerate() {
                let prep = QueryPrep::with_epsilon(&rotation, query, &centroids[list * dims..][..dims], rabitq::EPSILON0);
                let mut columns = Columns::for_pages(&meta);
                let (mut by_columns, mut by_code) = (Vec::new(), Vec::new());
                walk_list(&store, &meta, &BlockLimit::default(), first, |block, page, count| {
                    let site = Site { block, prep: Some(7) };
                    columns.estimate_page_by_columns(page, &meta, count, &prep, site, &mut by_columns);
                    estimate_page_by_code(page, &meta, count, &prep, site, &mut by_code);
                })
                .unwrap();
                assert!(!by_code.is_empty());
                assert_eq!(by_code.iter().map(bits).collect::<Vec<_>>(), by_columns.iter().map(bits).collect::<Vec<_>>(), "dims {dims}");
                assert_eq!(by_code.iter().map(|c| c.refine).collect::<Vec<_>>(), by_columns.iter().map(|c| c.refine).collect::<Vec<_>>());
                compared += by_code.len();
            }
        }
        // Every live entry of every list, for each query: 6 of each 7 entries are live.
        assert!(compared >= 3 * 700 * 6 / 7 - 3 * 3 * 8, "dims {dims}: compared {compared}");
    }
}

/// Time of the two page paths over a 768-dimensional list of 1,000 entries, plain and with 3
/// extra bits (which make entries 3.5x wider, so the columns path copies less of each).
#[test]
#[ignore = "timing benchmark, not a check: run with `cargo test --release -- --ignored --nocapture`"]
fn bench_page_paths() {
    let mut rng = Rng::new(5);
    for ex_bits in [0u8, 3] {
        let dims = 768;
        let (store, meta, centroids) = index(dims, 1, 1000, ex_bits, &mut rng);
        let (_, lists) = layout::read_centroids(&store, &meta).unwrap();
        let rotation = Rotation::new(dims, meta.rotation_seed);
        let query: Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
        let prep = QueryPrep::with_epsilon(&rotation, &query, &centroids[..dims], rabitq::EPSILON0);
        let mut columns = Columns::for_pages(&meta);
        let mut out = Vec::with_capacity(1000);
        for by_code in [false, true, false, true] {
            let start = std::time::Instant::now();
            for _ in 0..2000 {
                out.clear();
                walk_list(&store, &meta, &BlockLimit::default(), lists[0].0, |block, page, count| {
                    let site = Site { block, prep: Some(0) };
                    if by_code {
                        estimate_page_by_code(page, &meta, count, &prep, site, &mut out);
                    } else {
                        columns.estimate_page_by_columns(page, &meta, count, &prep, site, &mut out);
                    }
                })
                .unwrap();
            }
            std::println!("ex_bits {ex_bits} {}: {:.1} ns a code", if by_code { "by code" } else { "by columns" }, start.elapsed().as_nanos() as f64 / 2000.0 / out.len() as f64);
        }
    }
}
