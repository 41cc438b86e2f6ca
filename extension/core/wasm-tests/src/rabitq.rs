//! RaBitQ batch estimates: the dispatched path (simd128 here) and the explicit simd128 path must
//! be bit-identical to the scalar path — the scan module's contract, which `cargo test` only
//! checks against AVX2. Seeded random codes (encoded vectors, raw random bits, and a zero
//! residual) and queries (ordinary, equal to the centroid, large), for every batch size 0..=77
//! taken at varying offsets into a code pool, so every 4-lane block and tail length is hit.
//!
//! Failures are reported as check `60 + k` (dispatched) or `70 + k` (explicit simd128) at
//! "length" = batch size, where k indexes `DIMS`.
use crate::checks::{Rng, check};
use alloc::vec::Vec;
use ruvector_core::rabitq::{self, CodeSlices, QueryPrep, Rotation, scan};

pub const DIMS: [usize; 6] = [64, 100, 320, 1024, 1, 1999];
const MAX_BATCH: usize = 77;
const POOL: usize = MAX_BATCH + 19;

pub fn run(rng: &mut Rng) {
    for (k, &dims) in DIMS.iter().enumerate() {
        dimension(k as u32, dims, rng);
    }
}

fn dimension(k: u32, dims: usize, rng: &mut Rng) {
    let rotation = Rotation::new(dims, 0x0B17 + dims as u64);
    let words = rabitq::code_words(dims);
    let vector = |scale: f32, rng: &mut Rng| -> Vec<f32> { (0..dims).map(|_| scale * rng.unit()).collect() };
    let centroid = vector(0.5, rng);
    let (mut bits, mut norms, mut dots) = (Vec::new(), Vec::new(), Vec::new());
    for c in 0..POOL {
        if c % 3 == 0 {
            // Raw random bits and factors: norm in [0, 3), dot in [0.05, 1].
            bits.extend((0..words).map(|_| rng.next()));
            norms.push(1.5 * (rng.unit() + 1.0));
            dots.push(if c % 15 == 0 { 1.0 } else { 0.05 + 0.475 * (rng.unit() + 1.0) });
        } else {
            let x = if c == 7 { centroid.clone() } else { vector(1.0 + (c % 5) as f32, rng) };
            let code = rabitq::encode(&rotation, &x, &centroid);
            bits.extend_from_slice(&code.bits);
            norms.push(code.norm);
            dots.push(code.dot);
        }
    }
    let queries = [vector(1.0, rng), centroid.clone(), vector(40.0, rng)];
    for (q, query) in queries.iter().enumerate() {
        let prep = QueryPrep::new(&rotation, query, &centroid);
        for n in 0..=MAX_BATCH {
            let start = (n * 13 + q * 5) % (POOL - n + 1);
            let codes = CodeSlices {
                bits: &bits[start * words..(start + n) * words],
                norms: &norms[start..start + n],
                dots: &dots[start..start + n],
            };
            let want = estimate(|d, b| scan::scalar::estimate(&prep, codes, d, b), n);
            let dispatched = estimate(|d, b| scan::estimate(&prep, codes, d, b), n);
            let simd128 = estimate(|d, b| scan::simd128::estimate(&prep, codes, d, b), n);
            check(60 + k, n, same(&dispatched, &want));
            check(70 + k, n, same(&simd128, &want));
        }
    }
}

/// (distance², bound) for `n` codes, outputs pre-filled with a NaN so unwritten slots show.
fn estimate(kernel: impl FnOnce(&mut [f32], &mut [f32]), n: usize) -> (Vec<f32>, Vec<f32>) {
    let (mut d, mut b) = (alloc::vec![f32::NAN; n], alloc::vec![f32::NAN; n]);
    kernel(&mut d, &mut b);
    (d, b)
}

fn same(got: &(Vec<f32>, Vec<f32>), want: &(Vec<f32>, Vec<f32>)) -> bool {
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<u32>>();
    bits(&got.0) == bits(&want.0) && bits(&got.1) == bits(&want.1)
}
