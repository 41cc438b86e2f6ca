//! Every kernel this CPU can run, forced one at a time, against `scalar` bit for bit, on
//! synthetic shapes chosen to hit each path's block and lane edges: code widths that are
//! not multiples of 256 or 512 bits, code counts that are not multiples of 4, 8 or 16,
//! all-zero and all-one words, and float inputs from zero norms to dots of exactly 1.
use super::{CodeSlices, QueryPrep, scalar};
use crate::rabitq::QUERY_BITS;
use crate::testutil::Rng;
use alloc::vec::Vec;

type Kernel = fn(&QueryPrep, CodeSlices<'_>, &mut [f32], &mut [f32]);

/// (name, kernel) for every path this machine can run, scalar first.
pub(super) fn available_kernels() -> Vec<(&'static str, Kernel)> {
    let mut kernels: Vec<(&'static str, Kernel)> = alloc::vec![("scalar", scalar::estimate)];
    #[cfg(target_arch = "x86_64")]
    {
        if crate::cpu::has_avx2_fma() && crate::cpu::has_popcnt() {
            // SAFETY: AVX2 and POPCNT were just checked.
            kernels.push(("avx2", |p, c, d, b| unsafe { super::avx2::estimate(p, c, d, b) }));
        }
        if crate::cpu::has_avx512_vpopcntdq() {
            // SAFETY: AVX-512F, VPOPCNTDQ and ZMM state were just checked.
            kernels.push(("avx512", |p, c, d, b| unsafe { super::avx512::estimate(p, c, d, b) }));
        }
    }
    kernels
}

/// A word with one of several bit densities, all-zero and all-one included.
fn word(rng: &mut Rng) -> u64 {
    match rng.below(8) {
        0 => 0,
        1 => u64::MAX,
        2 => rng.next_u64() & rng.next_u64() & rng.next_u64(),
        3 => rng.next_u64() | rng.next_u64(),
        _ => rng.next_u64(),
    }
}

/// A query with random planes and scale factors of realistic signs and magnitudes.
pub(super) fn random_prep(rng: &mut Rng, words: usize) -> QueryPrep {
    let positive = |rng: &mut Rng| rng.unit().abs() + 1e-3;
    QueryPrep {
        planes: (0..QUERY_BITS as usize * words).map(|_| word(rng)).collect(),
        words,
        scale_sum: positive(rng) * 0.1,
        scale_popcount: rng.unit() * 0.1,
        offset: rng.unit() * 10.0,
        query_norm2: positive(rng) * 100.0,
        two_query_norm: positive(rng) * 20.0,
        bound_scale: positive(rng) * 0.2,
        center_query_dot: 0.0,
        fine: None,
    }
}

pub(super) struct Codes {
    pub bits: Vec<u64>,
    pub norms: Vec<f32>,
    pub dots: Vec<f32>,
}

pub(super) fn random_codes(rng: &mut Rng, words: usize, count: usize) -> Codes {
    let norm = |rng: &mut Rng| match rng.below(8) {
        0 => 0.0,
        1 => rng.unit().abs() * 1000.0,
        _ => rng.unit().abs() * 3.0,
    };
    // ⟨ō, o⟩ lies in (0, 1]; 1 exactly (zero spread) and tiny values are the edges.
    let dot = |rng: &mut Rng| match rng.below(8) {
        0 => 1.0,
        1 => 1e-3 + rng.unit().abs() * 1e-3,
        _ => 0.5 + rng.unit().abs() * 0.5,
    };
    Codes {
        bits: (0..words * count).map(|_| word(rng)).collect(),
        norms: (0..count).map(|_| norm(rng)).collect(),
        dots: (0..count).map(|_| dot(rng)).collect(),
    }
}

#[test]
fn every_available_kernel_equals_scalar_bit_for_bit() {
    let kernels = available_kernels();
    std::println!("kernels checked: {:?}", kernels.iter().map(|k| k.0).collect::<Vec<_>>());
    let mut rng = Rng::new(0x5CA1);
    // 1..=20 words covers every remainder mod 4 and 8; 250 words is 16000 dimensions,
    // Postgres's largest vector, where all-one words give the largest weighted count.
    let widths = (1..=20).chain([24, 31, 63, 250]);
    for words in widths {
        for count in [0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 50] {
            for _ in 0..3 {
                let prep = random_prep(&mut rng, words);
                let codes = random_codes(&mut rng, words, count);
                let slices = CodeSlices { bits: &codes.bits, norms: &codes.norms, dots: &codes.dots };
                let (mut want_d, mut want_b) = (alloc::vec![0.0; count], alloc::vec![0.0; count]);
                scalar::estimate(&prep, slices, &mut want_d, &mut want_b);
                for &(name, kernel) in &kernels[1..] {
                    let (mut d, mut b) = (alloc::vec![f32::NAN; count], alloc::vec![f32::NAN; count]);
                    kernel(&prep, slices, &mut d, &mut b);
                    for i in 0..count {
                        let at = || std::format!("{name}: {words} words, code {i} of {count}");
                        assert_eq!(d[i].to_bits(), want_d[i].to_bits(), "distance, {}", at());
                        assert_eq!(b[i].to_bits(), want_b[i].to_bits(), "bound, {}", at());
                    }
                }
            }
        }
    }
}

#[test]
fn all_one_codes_and_planes_give_the_largest_counts() {
    // Checks the counts themselves, not just agreement: with every bit set, the popcount
    // is 64·words and the weighted count (2⁴ − 1)·64·words. With offset, query norm and
    // bound scale zero and norm = dot = two_query_norm = 1, distance2 = 1 − ip, exact in
    // f32 for these small integers; one scale at a time picks which count ip is.
    for words in [1, 5, 8, 9, 250] {
        for (scale_sum, scale_popcount, count_wanted) in [(1.0, 0.0, 15 * 64 * words), (0.0, 1.0, 64 * words)] {
            let prep = QueryPrep {
                planes: alloc::vec![u64::MAX; QUERY_BITS as usize * words],
                words,
                scale_sum,
                scale_popcount,
                offset: 0.0,
                query_norm2: 0.0,
                two_query_norm: 1.0,
                bound_scale: 0.0,
                center_query_dot: 0.0,
                fine: None,
            };
            let count = 19;
            let bits = alloc::vec![u64::MAX; words * count];
            let (norms, dots) = (alloc::vec![1.0f32; count], alloc::vec![1.0f32; count]);
            let slices = CodeSlices { bits: &bits, norms: &norms, dots: &dots };
            let want = 1.0 - count_wanted as f32;
            for (name, kernel) in available_kernels() {
                let (mut d, mut b) = (alloc::vec![0.0; count], alloc::vec![0.0; count]);
                kernel(&prep, slices, &mut d, &mut b);
                assert!(d.iter().all(|&x| x == want), "{name}, {words} words: {d:?}, want {want}");
                assert!(b.iter().all(|&x| x == 0.0), "{name}, {words} words: bound {b:?}");
            }
        }
    }
}
