use super::*;
use crate::testutil::Rng;
use alloc::vec::Vec;
use std::println;

fn exact_l2(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| (x as f64 - y as f64).powi(2)).sum()
}

fn dot64(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum()
}

/// Codes in the column layout the kernels take.
struct Columns {
    bits: Vec<u64>,
    norms: Vec<f32>,
    dots: Vec<f32>,
}

impl Columns {
    fn of(codes: &[Code]) -> Columns {
        Columns {
            bits: codes.iter().flat_map(|c| c.bits.iter().copied()).collect(),
            norms: codes.iter().map(|c| c.norm).collect(),
            dots: codes.iter().map(|c| c.dot).collect(),
        }
    }

    fn slices(&self) -> CodeSlices<'_> {
        CodeSlices { bits: &self.bits, norms: &self.norms, dots: &self.dots }
    }

    fn estimate(&self, prep: &QueryPrep) -> (Vec<f32>, Vec<f32>) {
        let n = self.norms.len();
        let (mut d, mut b) = (alloc::vec![0.0; n], alloc::vec![0.0; n]);
        estimate(prep, self.slices(), &mut d, &mut b);
        (d, b)
    }
}

#[test]
fn rotation_is_orthogonal_and_reproducible() {
    let mut rng = Rng::new(1);
    for dims in [1, 3, 64, 100, 128, 192, 1000] {
        let rotation = Rotation::new(dims, 42);
        assert_eq!(rotation.padded_dims(), padded_dims(dims));
        let (a, b): (Vec<f32>, Vec<f32>) = ((0..dims).map(|_| rng.unit()).collect(), (0..dims).map(|_| rng.unit()).collect());
        let (ra, rb) = (rotation.rotate(&a), rotation.rotate(&b));
        let scale = dot64(&a, &a).max(dot64(&b, &b));
        assert!((dot64(&ra, &ra) - dot64(&a, &a)).abs() <= 1e-5 * scale, "norm, dims {dims}");
        assert!((dot64(&ra, &rb) - dot64(&a, &b)).abs() <= 1e-5 * scale, "inner product, dims {dims}");
        let again = Rotation::new(dims, 42).rotate(&a);
        assert!(ra.iter().zip(&again).all(|(x, y)| x.to_bits() == y.to_bits()));
    }
    // It actually mixes: a basis vector spreads over every padded coordinate.
    let mut e = alloc::vec![0.0f32; 192];
    e[5] = 1.0;
    let spread = Rotation::new(192, 7).rotate(&e);
    assert!(spread.iter().all(|&v| v != 0.0));
}

#[test]
fn code_factors_are_consistent() {
    let mut rng = Rng::new(2);
    let rotation = Rotation::new(100, 3);
    let x: Vec<f32> = (0..100).map(|_| rng.unit()).collect();
    let c: Vec<f32> = (0..100).map(|_| rng.unit() * 0.1).collect();
    let code = encode(&rotation, &x, &c);
    assert_eq!(code.bits.len(), code_words(100));
    assert!((code.norm as f64 - exact_l2(&x, &c).sqrt()).abs() < 1e-4);
    // For a random rotation ⟨ō, o⟩ concentrates near √(2/π) ≈ 0.798.
    assert!((0.7..0.9).contains(&code.dot), "dot {}", code.dot);
    let zero = encode(&rotation, &c, &c);
    assert_eq!((zero.norm, zero.dot), (0.0, 1.0));
}

/// Random lists: a centroid, vectors around it, queries around it too.
fn random_pairs(dims: usize, seed: u64) -> (Rotation, Vec<f32>, Vec<Vec<f32>>, Vec<Vec<f32>>) {
    let mut rng = Rng::new(seed);
    let rotation = Rotation::new(dims, seed ^ 0xABCD);
    let centroid: Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
    let around = |rng: &mut Rng| centroid.iter().map(|&c| c + rng.unit() * 0.5).collect::<Vec<f32>>();
    let vectors = (0..400).map(|_| around(&mut rng)).collect();
    let queries = (0..30).map(|_| around(&mut rng)).collect();
    (rotation, centroid, vectors, queries)
}

#[test]
fn estimator_is_unbiased_and_bounded() {
    for dims in [128, 200, 960] {
        let (rotation, centroid, vectors, queries) = random_pairs(dims, dims as u64);
        let codes: Vec<Code> = vectors.iter().map(|v| encode(&rotation, v, &centroid)).collect();
        let columns = Columns::of(&codes);
        let (mut rel_sum, mut rel_abs_sum, mut ip_rel_sum, mut covered, mut covered99, mut pairs) =
            (0.0, 0.0, 0.0, 0usize, 0usize, 0usize);
        for q in &queries {
            let prep = QueryPrep::new(&rotation, q, &centroid);
            let (distance2, bound) = columns.estimate(&prep);
            let (_, bound99) = columns.estimate(&QueryPrep::with_epsilon(&rotation, q, &centroid, EPSILON0_99));
            for (i, v) in vectors.iter().enumerate() {
                let truth = exact_l2(v, q);
                let err = distance2[i] as f64 - truth;
                rel_sum += err / truth;
                rel_abs_sum += err.abs() / truth;
                covered += (err.abs() <= bound[i] as f64) as usize;
                covered99 += (err.abs() <= bound99[i] as f64) as usize;
                let ip = prep.inner_product(codes[i].norm, codes[i].center_dot, distance2[i]) as f64;
                let ip_truth = dot64(v, q);
                ip_rel_sum += (ip - ip_truth) / ip_truth.abs().max(1.0);
                pairs += 1;
            }
        }
        let n = pairs as f64;
        let (bias, mean_abs, ip_bias) = (rel_sum / n, rel_abs_sum / n, ip_rel_sum / n);
        let (coverage, coverage99) = (covered as f64 / n, covered99 as f64 / n);
        println!(
            "dims {dims}: {pairs} pairs, mean relative error {bias:+.5}, mean |relative error| {mean_abs:.4}, \
             ip mean relative error {ip_bias:+.5}, bound coverage {coverage:.4} (eps0 1.9), {coverage99:.4} (eps0 2.8)"
        );
        assert!(bias.abs() < 0.005, "biased: {bias}");
        assert!(ip_bias.abs() < 0.005, "inner product biased: {ip_bias}");
        // A Gaussian error predicts 94.3% within 1.9 sd and 99.5% within 2.8.
        assert!(coverage >= 0.92, "bound at eps0 1.9 held on only {coverage}");
        assert!(coverage99 >= 0.99, "bound at eps0 2.8 held on only {coverage99}");
    }
}

#[test]
fn zero_query_residual_gives_the_code_norm() {
    let (rotation, centroid, vectors, _) = random_pairs(64, 5);
    let codes: Vec<Code> = vectors[..3].iter().map(|v| encode(&rotation, v, &centroid)).collect();
    let prep = QueryPrep::new(&rotation, &centroid, &centroid);
    let (d, b) = Columns::of(&codes).estimate(&prep);
    for i in 0..3 {
        assert_eq!(d[i], codes[i].norm * codes[i].norm);
        assert_eq!(b[i], 0.0);
    }
}

#[test]
fn dispatched_path_equals_scalar_bit_for_bit() {
    // 64, 100 (2 words), 320 (5 words: one 256-bit block + a tail word; one masked 512-bit
    // block), 960 (15 words: a full and a masked 512-bit block), 1024 (two full blocks).
    for dims in [64, 100, 320, 960, 1024] {
        let (rotation, centroid, vectors, queries) = random_pairs(dims, 11 + dims as u64);
        for count in [0, 1, 7, 8, 13, 16, 17, 64, 77] {
            let codes: Vec<Code> = vectors[..count].iter().map(|v| encode(&rotation, v, &centroid)).collect();
            let columns = Columns::of(&codes);
            for q in &queries[..3] {
                let prep = QueryPrep::new(&rotation, q, &centroid);
                let (d, b) = columns.estimate(&prep);
                let (mut ds, mut bs) = (alloc::vec![0.0; count], alloc::vec![0.0; count]);
                scan::scalar::estimate(&prep, columns.slices(), &mut ds, &mut bs);
                for i in 0..count {
                    assert_eq!(d[i].to_bits(), ds[i].to_bits(), "distance, dims {dims} code {i}");
                    assert_eq!(b[i].to_bits(), bs[i].to_bits(), "bound, dims {dims} code {i}");
                }
            }
        }
    }
    #[cfg(target_arch = "x86_64")]
    println!(
        "dispatched path: {}",
        if crate::cpu::has_avx512_vpopcntdq() {
            "AVX-512"
        } else if crate::cpu::has_avx2_fma() && crate::cpu::has_popcnt() {
            "AVX2"
        } else {
            "scalar"
        }
    );
}

/// The little-endian bytes of u64 words, as a list page stores a code.
fn le_bytes(words: &[u64]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[test]
fn extra_bits_tighten_the_estimate_and_keep_it_unbiased_and_bounded() {
    for dims in [128, 200, 960] {
        let (rotation, centroid, vectors, queries) = random_pairs(dims, 77 + dims as u64);
        let mut previous_spread = f64::INFINITY;
        for ex_bits in 1..=MAX_EX_BITS {
            let codes: Vec<Code> = vectors.iter().map(|v| encode_bits(&rotation, v, &centroid, ex_bits)).collect();
            // The one-bit part is the plain code's, bit for bit.
            assert_eq!(codes[0].bits, encode(&rotation, &vectors[0], &centroid).bits);
            let (mut rel_sum, mut covered, mut covered99, mut pairs, mut spread_sum) = (0.0, 0usize, 0usize, 0usize, 0.0);
            for q in &queries {
                let prep = QueryPrep::with_refinement(&rotation, q, &centroid, EPSILON0, Some(EPSILON0));
                let prep99 = QueryPrep::with_refinement(&rotation, q, &centroid, EPSILON0, Some(EPSILON0_99));
                for (v, code) in vectors.iter().zip(&codes) {
                    let ex = code.ex.as_ref().expect("extra bits");
                    let (signs, planes) = (le_bytes(&code.bits), le_bytes(&ex.planes));
                    let (distance2, bound) = refine(&prep, &signs, &planes, ex_bits, code.norm, ex.dot, ex.scale);
                    let (_, bound99) = refine(&prep99, &signs, &planes, ex_bits, code.norm, ex.dot, ex.scale);
                    let truth = exact_l2(v, q);
                    let err = distance2 as f64 - truth;
                    rel_sum += err / truth;
                    covered += (err.abs() <= bound as f64) as usize;
                    covered99 += (err.abs() <= bound99 as f64) as usize;
                    spread_sum += bound as f64 / truth;
                    pairs += 1;
                }
            }
            let n = pairs as f64;
            let (bias, coverage, coverage99, spread) = (rel_sum / n, covered as f64 / n, covered99 as f64 / n, spread_sum / n);
            let mean_dot = codes.iter().map(|c| c.ex.as_ref().unwrap().dot as f64).sum::<f64>() / codes.len() as f64;
            println!(
                "dims {dims} ex_bits {ex_bits}: <o-bar, o> {mean_dot:.4}, relative bias {bias:+.5}, \
                 relative bound {spread:.4}, coverage {coverage:.4} (1.9), {coverage99:.4} (2.8)"
            );
            assert!(bias.abs() < 0.002, "biased: {bias}");
            assert!(coverage >= 0.92, "bound at eps0 1.9 held on only {coverage}");
            assert!(coverage99 >= 0.99, "bound at eps0 2.8 held on only {coverage99}");
            // Each extra bit narrows the bound, by at least 1.6x.
            assert!(spread * 1.6 < previous_spread, "bound {spread} after {previous_spread}");
            previous_spread = spread;
        }
    }
}

#[test]
fn refinement_of_a_zero_residual_is_exact() {
    let (rotation, centroid, vectors, queries) = random_pairs(64, 8);
    let zero = encode_bits(&rotation, &centroid, &centroid, 2);
    let ex = zero.ex.as_ref().unwrap();
    assert_eq!((zero.norm, ex.dot), (0.0, 1.0));
    let prep = QueryPrep::with_refinement(&rotation, &queries[0], &centroid, EPSILON0, Some(EPSILON0));
    let (d, b) = refine(&prep, &le_bytes(&zero.bits), &le_bytes(&ex.planes), 2, zero.norm, ex.dot, ex.scale);
    assert_eq!((d, b), (prep.residual_norm2(), 0.0));
    // And a query at the centroid gets each code's norm.
    let code = encode_bits(&rotation, &vectors[0], &centroid, 3);
    let ex = code.ex.as_ref().unwrap();
    let at_centre = QueryPrep::with_refinement(&rotation, &centroid, &centroid, EPSILON0, Some(EPSILON0));
    let (d, b) = refine(&at_centre, &le_bytes(&code.bits), &le_bytes(&ex.planes), 3, code.norm, ex.dot, ex.scale);
    assert_eq!((d, b), (code.norm * code.norm, 0.0));
}
