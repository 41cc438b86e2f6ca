// Every kernel on every available path against plain f64 references.
use super::*;
use crate::testutil::{Rng, assert_close};
use alloc::vec::Vec;

type Parts = (f32, f32, f32);

/// One implementation of the primitive kernels, so each path runs the same checks.
struct Kernels {
    name: &'static str,
    squared_l2: fn(&[f32], &[f32]) -> f32,
    inner_product: fn(&[f32], &[f32]) -> f32,
    dot_and_norms: fn(&[f32], &[f32]) -> Parts,
    l1: fn(&[f32], &[f32]) -> f32,
    sum_of_squares: fn(&[f32]) -> f64,
}

fn paths() -> Vec<Kernels> {
    let mut v = alloc::vec![
        Kernels {
            name: "scalar",
            squared_l2: scalar::squared_l2,
            inner_product: scalar::inner_product,
            dot_and_norms: scalar::dot_and_norms,
            l1: scalar::l1,
            sum_of_squares: scalar::sum_of_squares,
        },
        Kernels {
            name: "dispatch",
            squared_l2,
            inner_product,
            dot_and_norms,
            l1,
            sum_of_squares,
        },
    ];
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx2_fma() {
        // SAFETY (all closures): AVX2 and FMA were checked just above.
        v.push(Kernels {
            name: "avx2",
            squared_l2: |a, b| unsafe { avx2::squared_l2(a, b) },
            inner_product: |a, b| unsafe { avx2::inner_product(a, b) },
            dot_and_norms: |a, b| unsafe { avx2::dot_and_norms(a, b) },
            l1: |a, b| unsafe { avx2::l1(a, b) },
            sum_of_squares: |a| unsafe { avx2::sum_of_squares(a) },
        });
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_avx512f() {
        // SAFETY (all closures): AVX-512F and the OS's ZMM state were checked just above.
        v.push(Kernels {
            name: "avx512",
            squared_l2: |a, b| unsafe { avx512::squared_l2(a, b) },
            inner_product: |a, b| unsafe { avx512::inner_product(a, b) },
            dot_and_norms: |a, b| unsafe { avx512::dot_and_norms(a, b) },
            l1: |a, b| unsafe { avx512::l1(a, b) },
            sum_of_squares: |a| unsafe { avx512::sum_of_squares(a) },
        });
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    v.push(Kernels {
        name: "simd128",
        squared_l2: simd128::squared_l2,
        inner_product: simd128::inner_product,
        dot_and_norms: simd128::dot_and_norms,
        l1: simd128::l1,
        sum_of_squares: simd128::sum_of_squares,
    });
    v
}

fn reference_cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum();
    let na: f64 = a.iter().map(|&x| x as f64 * x as f64).sum();
    let nb: f64 = b.iter().map(|&y| y as f64 * y as f64).sum();
    1.0 - (dot / crate::math::sqrt(na * nb)).clamp(-1.0, 1.0)
}

/// f32 accumulation error grows with the sum of |terms|, hence that as the scale.
const REL: f64 = 1e-5;

fn check_pair(k: &Kernels, a: &[f32], b: &[f32]) {
    let n = a.len();
    let what = |op: &str| alloc::format!("{} {op} n={n}", k.name);
    let sq: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y as f64).powi(2))
        .sum();
    assert_close(
        (k.squared_l2)(a, b) as f64,
        sq,
        sq,
        REL,
        0.0,
        &what("squared_l2"),
    );

    let ip: f64 = a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum();
    let ip_scale: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 * y as f64).abs())
        .sum();
    assert_close(
        (k.inner_product)(a, b) as f64,
        ip,
        ip_scale,
        REL,
        1e-30,
        &what("inner_product"),
    );

    let (dot, na, nb) = (k.dot_and_norms)(a, b);
    let got = cosine_from_parts(dot, na, nb);
    let want = reference_cosine(a, b);
    if want.is_nan() {
        assert!(got.is_nan(), "{}: got {got}", what("cosine"));
    } else {
        assert_close(got, want, 1.0, 3.0 * REL, 0.0, &what("cosine"));
    }

    let l1: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (x as f64 - y as f64).abs())
        .sum();
    assert_close((k.l1)(a, b) as f64, l1, l1, REL, 0.0, &what("l1"));

    let ss: f64 = a.iter().map(|&x| x as f64 * x as f64).sum();
    assert_close(
        (k.sum_of_squares)(a),
        ss,
        ss,
        1e-12,
        0.0,
        &what("sum_of_squares"),
    );
}

/// Lengths either side of every vector width and unroll step (4, 8, 16 lanes; 32, 64
/// elements per iteration) and the common embedding sizes.
const EDGE_LENGTHS: [usize; 24] = [
    0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 384, 768, 1536, 3072,
];

#[test]
fn every_path_matches_reference_for_lengths_1_to_2000() {
    let mut rng = Rng::new(42);
    for k in paths() {
        for n in 1..=2000 {
            let (a, b) = (rng.vec(n), rng.vec(n));
            check_pair(&k, &a, &b);
        }
    }
}

#[test]
fn zero_and_degenerate_vectors() {
    let mut rng = Rng::new(3);
    for k in paths() {
        for n in EDGE_LENGTHS {
            let zero = alloc::vec![0.0f32; n];
            let x = rng.vec(n);
            check_pair(&k, &zero, &zero);
            check_pair(&k, &x, &zero);
            let (dot, na, nb) = (k.dot_and_norms)(&zero, &zero);
            assert!(cosine_from_parts(dot, na, nb).is_nan(), "{} n={n}", k.name);
            let (dot, na, nb) = (k.dot_and_norms)(&x, &zero);
            assert!(cosine_from_parts(dot, na, nb).is_nan(), "{} n={n}", k.name);
            assert_eq!((k.squared_l2)(&zero, &zero), 0.0);
        }
    }
}

#[test]
fn cosine_is_clamped_to_zero_and_two() {
    let mut rng = Rng::new(11);
    for k in paths() {
        for n in 1..200 {
            let a: Vec<f32> = (0..n).map(|_| rng.unit() * 3.0 + 0.1).collect();
            let neg: Vec<f32> = a.iter().map(|x| -x).collect();
            let (dot, na, nb) = (k.dot_and_norms)(&a, &a);
            let same = cosine_from_parts(dot, na, nb);
            assert!((0.0..1e-6).contains(&same), "{} n={n}: {same}", k.name);
            let (dot, na, nb) = (k.dot_and_norms)(&a, &neg);
            let opposite = cosine_from_parts(dot, na, nb);
            assert!(
                opposite <= 2.0 && opposite > 2.0 - 1e-6,
                "{} n={n}: {opposite}",
                k.name
            );
        }
    }
    // A similarity that rounds above 1 must come out as exactly 0, not negative.
    assert_eq!(cosine_from_parts(1.0 + 1e-6, 1.0, 1.0), 0.0);
    assert_eq!(cosine_from_parts(-1.0 - 1e-6, 1.0, 1.0), 2.0);
}

#[test]
fn derived_functions_follow_pgvector() {
    let a = [3.0f32, 0.0, -1.0];
    let b = [0.0f32, 4.0, -1.0];
    assert_eq!(squared_l2(&a, &b), 25.0);
    assert_eq!(l2(&a, &b), 5.0);
    assert_eq!(inner_product(&a, &b), 1.0);
    assert_eq!(negative_inner_product(&a, &b), -1.0);
    assert_eq!(l1(&a, &b), 7.0);
    assert_eq!(norm(&[3.0, 4.0]), 5.0);
    assert_eq!(cosine_distance(&[1.0, 0.0], &[0.0, 2.0]), 1.0);
    assert!(cosine_distance(&[0.0, 0.0], &[1.0, 2.0]).is_nan());
    // norm sums in f64: these squares overflow f32 but not f64.
    let big = (2.0f32).powi(100);
    assert_eq!(norm(&[3.0 * big, 4.0 * big]), 5.0 * big as f64);
}

/// Kernels get windows into buffers whose other elements are NaN, so a load that strays
/// past either end of a slice (a tail mask off by one, say) turns the result into NaN and
/// fails the reference check. The offsets also move the loads' alignment.
#[test]
fn no_path_reads_outside_its_slices() {
    let mut rng = Rng::new(17);
    for k in paths() {
        for n in EDGE_LENGTHS {
            for offset in [0usize, 1, 3] {
                let pad = |v: &[f32]| {
                    let mut buf = alloc::vec![f32::NAN; offset];
                    buf.extend_from_slice(v);
                    buf.extend_from_slice(&[f32::NAN; 64]);
                    buf
                };
                let (a, b) = (pad(&rng.vec(n)), pad(&rng.vec(n)));
                check_pair(&k, &a[offset..offset + n], &b[offset..offset + n]);
            }
        }
    }
}

/// The module promises that with mismatched lengths the shorter wins: the result is the
/// one for both slices cut to it. The kernels `debug_assert` equal lengths, so this can
/// only run without debug assertions.
#[cfg(not(debug_assertions))]
#[test]
fn mismatched_lengths_use_the_shorter() {
    let mut rng = Rng::new(23);
    for k in paths() {
        for n in EDGE_LENGTHS {
            let (a, long) = (rng.vec(n), rng.vec(n + 17));
            let what = alloc::format!("{} n={n}", k.name);
            for (x, y) in [(&a[..], &long[..]), (&long[..], &a[..])] {
                let (short_x, short_y) = (&x[..n], &y[..n]);
                assert_eq!(
                    (k.squared_l2)(x, y).to_bits(),
                    (k.squared_l2)(short_x, short_y).to_bits(),
                    "{what}"
                );
                assert_eq!(
                    (k.inner_product)(x, y).to_bits(),
                    (k.inner_product)(short_x, short_y).to_bits(),
                    "{what}"
                );
                assert_eq!(
                    (k.dot_and_norms)(x, y),
                    (k.dot_and_norms)(short_x, short_y),
                    "{what}"
                );
                assert_eq!(
                    (k.l1)(x, y).to_bits(),
                    (k.l1)(short_x, short_y).to_bits(),
                    "{what}"
                );
            }
        }
    }
}

/// The paths that the reference checks run on are the ones the dispatcher uses: on
/// x86_64 the best of AVX-512F, AVX2+FMA and scalar that /proc/cpuinfo lists, with the
/// dispatching functions giving that kernel's result bit for bit.
#[cfg(target_arch = "x86_64")]
#[test]
fn dispatcher_uses_the_best_path_the_cpu_has() {
    extern crate std;
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap();
    let flags: Vec<&str> = info
        .lines()
        .find(|l| l.starts_with("flags"))
        .unwrap()
        .split_whitespace()
        .collect();
    let (expected, name) = if flags.contains(&"avx512f") {
        (Path::Avx512, "avx512")
    } else if flags.contains(&"avx2") && flags.contains(&"fma") {
        (Path::Avx2Fma, "avx2")
    } else {
        (Path::Scalar, "scalar")
    };
    assert_eq!(active_path(), expected);
    let all = paths();
    let chosen = all
        .iter()
        .find(|k| k.name == name)
        .expect("the chosen path is tested");
    let mut rng = Rng::new(5);
    for n in EDGE_LENGTHS.into_iter().chain([100, 777]) {
        let (a, b) = (rng.vec(n), rng.vec(n));
        let what = alloc::format!("{name} n={n}");
        assert_eq!(
            squared_l2(&a, &b).to_bits(),
            (chosen.squared_l2)(&a, &b).to_bits(),
            "{what}"
        );
        assert_eq!(
            inner_product(&a, &b).to_bits(),
            (chosen.inner_product)(&a, &b).to_bits(),
            "{what}"
        );
        let (x, y) = (dot_and_norms(&a, &b), (chosen.dot_and_norms)(&a, &b));
        assert_eq!(
            [x.0, x.1, x.2].map(f32::to_bits),
            [y.0, y.1, y.2].map(f32::to_bits),
            "{what}"
        );
        assert_eq!(
            l1(&a, &b).to_bits(),
            (chosen.l1)(&a, &b).to_bits(),
            "{what}"
        );
        assert_eq!(
            sum_of_squares(&a).to_bits(),
            (chosen.sum_of_squares)(&a).to_bits(),
            "{what}"
        );
    }
}
