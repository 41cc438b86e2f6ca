//! The IVF-RaBitQ scan as PGlite runs it (wasm32 estimates each code straight from the list
//! page) against the scalar kernel over the same codes: every candidate's estimate, bound and
//! inner product must be bit-identical, which is what makes PGlite and native Postgres return
//! the same rows. Reported as check 80 + k at "length" = candidates compared, k indexing `DIMS`;
//! refinements as check 90 + k.
use crate::checks::{Rng, check};
use alloc::vec::Vec;
use ruvector_core::ivf::layout::{rabitq_payload, rabitq_payload_len};
use ruvector_core::ivf::{self, Entry, HeapTid, Kind, Meta};
use ruvector_core::pagestore::MemoryPageStore;
use ruvector_core::rabitq::{self, CodeSlices, QueryPrep, Rotation, scan};

/// Code widths 1 (general loop), 6 and 24 words (specialised) and 11 (general), plain; and
/// 384 dimensions with 3 extra bits, whose candidates are also refined (from the page, as a
/// scan does) and compared with refining the code directly.
const DIMS: [(usize, u8); 5] = [(16, 0), (384, 0), (700, 0), (1536, 0), (384, 3)];
const LISTS: usize = 3;
const ROWS: usize = 300;

pub fn run(rng: &mut Rng) {
    for (k, &(dims, ex_bits)) in DIMS.iter().enumerate() {
        dimension(k as u32, dims, ex_bits, rng);
    }
}

fn dimension(k: u32, dims: usize, ex_bits: u8, rng: &mut Rng) {
    let seed = 5 + dims as u64;
    let rotation = Rotation::new(dims, seed);
    let meta = Meta { kind: Kind::Rabitq, dims: dims as u32, lists: LISTS as u32, payload_len: rabitq_payload_len(dims, ex_bits) as u32, rotation_seed: seed, ex_bits };
    let centroids: Vec<f32> = (0..LISTS * dims).map(|_| rng.unit()).collect();
    let centroid = |l: usize| &centroids[l * dims..(l + 1) * dims];
    let codes: Vec<rabitq::Code> = (0..ROWS)
        .map(|i| {
            let scale = [0.3, 3.0, 0.0][i % 3]; // 0: a row equal to its centroid
            let row: Vec<f32> = centroid(i % LISTS).iter().map(|c| c + scale * rng.unit()).collect();
            rabitq::encode_bits(&rotation, &row, centroid(i % LISTS), ex_bits as u32)
        })
        .collect();
    let payloads: Vec<Vec<u8>> = codes.iter().map(rabitq_payload).collect();
    let tid = |i: usize| HeapTid { block: 1 + i as u32 / 100, offset: 1 + (i % 100) as u16 };
    let mut store = MemoryPageStore::new();
    let entries = payloads.iter().enumerate().map(|(i, p)| Entry { tid: tid(i), list: (i % LISTS) as u32, payload: p });
    check(80 + k, 0, ivf::build(&mut store, &meta, &centroids, entries).is_ok());
    let query: Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
    let mut refiner = ivf::Refiner::default();
    let Ok(found) = ivf::scan_rabitq_refinable(&store, &query, 0, LISTS, rabitq::EPSILON0, Some(rabitq::EPSILON0), &mut refiner) else {
        return check(80 + k, 1, false);
    };
    check(80 + k, found.len(), found.len() == ROWS);
    // One prep per list (the checks' allocator never frees).
    let preps: Vec<QueryPrep> = (0..LISTS).map(|l| QueryPrep::with_epsilon(&rotation, &query, centroid(l), rabitq::EPSILON0)).collect();
    for c in &found {
        let i = (c.tid.block as usize - 1) * 100 + c.tid.offset as usize - 1;
        let prep = &preps[i % LISTS];
        let (mut d, mut b) = ([0.0f32], [0.0f32]);
        let one = CodeSlices { bits: &codes[i].bits, norms: &[codes[i].norm], dots: &[codes[i].dot] };
        scan::scalar::estimate(prep, one, &mut d, &mut b);
        let ip = prep.inner_product(codes[i].norm, codes[i].center_dot, d[0]);
        let same = c.distance2.to_bits() == d[0].to_bits() && c.bound.to_bits() == b[0].to_bits() && c.inner_product.to_bits() == ip.to_bits();
        check(80 + k, i, same);
        if let Some(ex) = &codes[i].ex {
            let bytes = |words: &[u64]| words.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
            let fine_prep = QueryPrep::with_refinement(&rotation, &query, centroid(i % LISTS), rabitq::EPSILON0, Some(rabitq::EPSILON0));
            let (d, b) = rabitq::refine(&fine_prep, &bytes(&codes[i].bits), &bytes(&ex.planes), ex_bits as u32, codes[i].norm, ex.dot, ex.scale);
            let refined = c.refine.and_then(|at| refiner.refine(&store, c.tid, at));
            check(90 + k, i, refined.is_some_and(|r| r.distance2.to_bits() == d.to_bits() && r.bound.to_bits() == b.to_bits()));
        }
    }
}
