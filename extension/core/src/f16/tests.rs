// Conversions checked exhaustively over f16 and against an independent
// nearest-value search for f32 inputs; distances against f64 references.
use super::*;
use crate::testutil::{Rng, assert_close};
use alloc::vec::Vec;

/// Value of a non-negative f16 bit pattern, computed arithmetically;
/// 0x7C00 decodes to 65536, the rounding boundary that stands for overflow.
fn decode(bits: u16) -> f64 {
    let (e, m) = ((bits >> 10) as i32, (bits & 0x3FF) as f64);
    if e == 0 {
        m * 2f64.powi(-24)
    } else {
        (1024.0 + m) * 2f64.powi(e - 25)
    }
}

/// Nearest f16 by binary search over the monotonic positive bit patterns,
/// ties to the even pattern; `None` for overflow. Finite inputs only.
fn reference(x: f32) -> Option<u16> {
    let sign = if x.is_sign_negative() { 0x8000 } else { 0 };
    let ax = (x as f64).abs();
    if ax >= 65536.0 {
        return None;
    }
    let (mut lo, mut hi) = (0u16, 0x7C00u16); // decode(lo) <= ax < decode(hi)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if decode(mid) <= ax {
            lo = mid
        } else {
            hi = mid
        }
    }
    let (dlo, dhi) = (ax - decode(lo), decode(hi) - ax);
    let pick = if dlo < dhi || (dlo == dhi && lo & 1 == 0) {
        lo
    } else {
        hi
    };
    (pick != 0x7C00).then_some(sign | pick)
}

fn check_against_reference(x: f32) {
    let got = F16::from_f32(x).map(F16::to_bits).ok();
    assert_eq!(got, reference(x), "x = {x:e} ({:#010x})", x.to_bits());
}

fn all_f16() -> Vec<F16> {
    (0..=u16::MAX).map(F16::from_bits).collect()
}

#[test]
fn every_f16_widens_exactly_and_round_trips() {
    for h in all_f16() {
        let bits = h.to_bits();
        let x = h.to_f32();
        if h.is_nan() {
            assert!(x.is_nan());
            assert_eq!(
                F16::from_f32(x).unwrap().to_bits(),
                bits | 0x0200,
                "{bits:#06x} comes back quiet"
            );
            continue;
        }
        let magnitude = if h.is_infinite() {
            f64::INFINITY
        } else {
            decode(bits & 0x7FFF)
        };
        assert_eq!((x as f64).abs(), magnitude, "{bits:#06x}");
        assert_eq!(x.is_sign_negative(), bits & 0x8000 != 0);
        assert_eq!(F16::from_f32(x).unwrap().to_bits(), bits, "{bits:#06x}");
    }
}

#[test]
fn rounding_matches_reference_on_edges_and_halfway_points() {
    let edges = [
        0.0f32,
        -0.0,
        1.0,
        65504.0,
        65519.996,
        65520.0,
        65536.0,
        f32::MAX,
        -f32::MAX,
        2f32.powi(-24),
        2f32.powi(-25),
        2f32.powi(-25) * 1.0000001,
        2f32.powi(-26),
        2f32.powi(-14),
        2f32.powi(-14) * (1.0 - 2f32.powi(-12)),
        f32::MIN_POSITIVE,
        1e-45,
        1e-40,
        1.0009765,
        2048.5,
        2049.0,
    ];
    edges.iter().for_each(|&x| check_against_reference(x));
    // Exactly between every pair of neighbouring f16 values (f32 holds the
    // midpoint exactly), and one f32 ulp either side of it.
    for bits in 0..0x7C00u16 {
        let mid = ((decode(bits) + decode(bits + 1)) / 2.0) as f32;
        for x in [
            mid,
            f32::from_bits(mid.to_bits() - 1),
            f32::from_bits(mid.to_bits() + 1),
        ] {
            check_against_reference(x);
            check_against_reference(-x);
        }
    }
}

#[test]
fn rounding_matches_reference_on_random_values() {
    let mut rng = Rng::new(99);
    for _ in 0..300_000 {
        let x = f32::from_bits(rng.next_u64() as u32);
        if x.is_finite() {
            check_against_reference(x);
        }
        check_against_reference(rng.unit() * 70000.0);
        check_against_reference(rng.unit() * 2f32.powi(-12));
    }
}

#[test]
fn specials_and_overflow() {
    assert_eq!(F16::from_f32(f32::INFINITY).unwrap().to_bits(), 0x7C00);
    assert_eq!(F16::from_f32(f32::NEG_INFINITY).unwrap().to_bits(), 0xFC00);
    assert!(F16::from_f32(f32::NAN).unwrap().is_nan());
    assert_eq!(
        F16::from_f32(65520.0).unwrap_err(),
        F16Overflow { value: 65520.0 }
    );
    assert_eq!(
        F16::from_f32(-1e10).unwrap_err(),
        F16Overflow { value: -1e10 }
    );
    assert_eq!(
        F16::from_f32(65519.0).unwrap().to_bits(),
        F16::MAX.to_bits()
    );
    assert_eq!(
        F16::from_f32(2f32.powi(-24)).unwrap().to_bits(),
        F16::MIN_POSITIVE_SUBNORMAL.to_bits()
    );
}

#[test]
fn unchecked_conversion_overflows_to_infinity() {
    assert_eq!(F16::from_f32_unchecked(65520.0).to_bits(), 0x7C00);
    assert_eq!(F16::from_f32_unchecked(-1e10).to_bits(), 0xFC00);
    assert_eq!(
        F16::from_f32_unchecked(65519.0).to_bits(),
        F16::MAX.to_bits()
    );
    let mut rng = Rng::new(99);
    for _ in 0..100_000 {
        let x = f32::from_bits(rng.next_u64() as u32);
        match F16::from_f32(x) {
            Ok(h) if x.is_nan() => assert!(F16::from_f32_unchecked(x).is_nan() && h.is_nan()),
            Ok(h) => assert_eq!(F16::from_f32_unchecked(x).to_bits(), h.to_bits()),
            Err(_) => assert!(F16::from_f32_unchecked(x).is_infinite()),
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[test]
fn f16c_matches_scalar_and_is_dispatched() {
    if !crate::cpu::has_f16c() {
        return;
    }
    let halves = all_f16();
    let (mut hw, mut sw) = (
        alloc::vec![0.0f32; halves.len()],
        alloc::vec![0.0f32; halves.len()],
    );
    // SAFETY: F16C was checked above.
    unsafe { f16c::f16_to_f32_slice(&halves, &mut hw) };
    scalar::f16_to_f32_slice(&halves, &mut sw);
    assert!(hw.iter().zip(&sw).all(|(a, b)| a.to_bits() == b.to_bits()));

    // Every f16 value, the midpoints between neighbours and random f32s.
    let mut rng = Rng::new(1);
    let mut values: Vec<f32> = sw.clone();
    values.extend((0..0x7BFFu16).map(|b| ((decode(b) + decode(b + 1)) / 2.0) as f32));
    values.extend((0..100_000).map(|_| rng.unit() * 65519.0));
    values.extend((0..100_000).map(|_| f32::from_bits(rng.next_u64() as u32 & 0xBFFF_FFFF))); // |x| < 2
    let (mut h1, mut h2) = (
        alloc::vec![F16::default(); values.len()],
        alloc::vec![F16::default(); values.len()],
    );
    unsafe { f16c::f32_to_f16_slice(&values, &mut h1) }.unwrap();
    scalar::f32_to_f16_slice(&values, &mut h2).unwrap();
    assert!(h1.iter().zip(&h2).all(|(a, b)| a.to_bits() == b.to_bits()));
    // Each fused path agrees with the f64 reference; dispatch takes the widest one.
    for n in (1..=140).chain([383, 384, 385, 1536]) {
        let (a, b) = (random_halves(&mut rng, n), random_halves(&mut rng, n));
        let pairs = || a.iter().zip(&b).map(|(x, y)| (x.to_f32() as f64, y.to_f32() as f64));
        let sq: f64 = pairs().map(|(x, y)| (x - y) * (x - y)).sum();
        let ip: f64 = pairs().map(|(x, y)| x * y).sum();
        let ip_scale: f64 = pairs().map(|(x, y)| (x * y).abs()).sum();
        let mut paths: Vec<(f32, f32)> = Vec::new();
        if crate::cpu::has_avx2_fma() {
            // SAFETY: AVX2 and FMA checked just above, F16C at the top of the test.
            paths.push(unsafe { (avx2::squared_l2(&a, &b), avx2::inner_product(&a, &b)) });
        }
        if crate::cpu::has_avx512f() {
            // SAFETY: AVX-512F checked just above.
            paths.push(unsafe { (avx512::squared_l2(&a, &b), avx512::inner_product(&a, &b)) });
        }
        for &(got_sq, got_ip) in &paths {
            assert_close(got_sq as f64, sq, sq, 1e-5, 0.0, "fused squared_l2");
            assert_close(got_ip as f64, ip, ip_scale, 1e-5, 1e-30, "fused inner_product");
        }
        if let Some(&(want_sq, want_ip)) = paths.last() {
            assert_eq!(want_sq.to_bits(), distance::squared_l2(&a, &b).to_bits());
            assert_eq!(want_ip.to_bits(), distance::inner_product(&a, &b).to_bits());
        }
    }
    // The dispatching functions take the hardware path here.
    f32_to_f16_slice(&values, &mut h2).unwrap();
    assert!(h1.iter().zip(&h2).all(|(a, b)| a.to_bits() == b.to_bits()));
    f16_to_f32_slice(&halves, &mut sw);
    assert!(hw.iter().zip(&sw).all(|(a, b)| a.to_bits() == b.to_bits()));

    // Overflow is reported for the first offending element, in the SIMD body or the tail.
    for n in 1..40 {
        for at in 0..n {
            let mut v: Vec<f32> = (0..n).map(|_| rng.unit() * 100.0).collect();
            v[at] = if at % 2 == 0 { 65520.0 } else { -3e38 };
            let mut out = alloc::vec![F16::default(); n];
            let want = Err(F16Overflow { value: v[at] });
            assert_eq!(unsafe { f16c::f32_to_f16_slice(&v, &mut out) }, want);
            assert_eq!(f32_to_f16_slice(&v, &mut out), want);
            assert_eq!(scalar::f32_to_f16_slice(&v, &mut out), want);
        }
    }
}

fn random_halves(rng: &mut Rng, n: usize) -> Vec<F16> {
    (0..n)
        .map(|_| F16::from_f32(rng.value() * 10.0).unwrap())
        .collect()
}

#[test]
fn distances_match_f64_reference() {
    let mut rng = Rng::new(8);
    let lengths = (1..=300).chain([511, 512, 513, 1000, 2000]);
    for n in lengths {
        let (a, b) = (random_halves(&mut rng, n), random_halves(&mut rng, n));
        let wa: Vec<f64> = a.iter().map(|h| h.to_f32() as f64).collect();
        let wb: Vec<f64> = b.iter().map(|h| h.to_f32() as f64).collect();
        let pairs = || wa.iter().zip(&wb);
        let sq: f64 = pairs().map(|(x, y)| (x - y) * (x - y)).sum();
        assert_close(
            distance::squared_l2(&a, &b) as f64,
            sq,
            sq,
            1e-5,
            0.0,
            "squared_l2",
        );
        assert_close(distance::l2(&a, &b), sq.sqrt(), sq.sqrt(), 1e-5, 0.0, "l2");
        // The dispatching functions may take the fused kernels: the widening path is checked too.
        assert_close(
            distance::squared_l2_widened(&a, &b) as f64,
            sq,
            sq,
            1e-5,
            0.0,
            "squared_l2 (widened)",
        );
        let ip: f64 = pairs().map(|(x, y)| x * y).sum();
        let ip_scale: f64 = pairs().map(|(x, y)| (x * y).abs()).sum();
        assert_close(
            distance::inner_product(&a, &b) as f64,
            ip,
            ip_scale,
            1e-5,
            1e-30,
            "inner_product",
        );
        assert_close(
            distance::inner_product_widened(&a, &b) as f64,
            ip,
            ip_scale,
            1e-5,
            1e-30,
            "inner_product (widened)",
        );
        assert_close(
            distance::negative_inner_product(&a, &b),
            -ip,
            ip_scale,
            1e-5,
            1e-30,
            "negative_inner_product",
        );
        let (na, nb): (f64, f64) = (
            wa.iter().map(|x| x * x).sum(),
            wb.iter().map(|y| y * y).sum(),
        );
        let cos = 1.0 - (ip / (na * nb).sqrt()).clamp(-1.0, 1.0);
        let got = distance::cosine_distance(&a, &b);
        if cos.is_nan() {
            assert!(got.is_nan())
        } else {
            assert_close(got, cos, 1.0, 3e-5, 0.0, "cosine")
        }
        let l1: f64 = pairs().map(|(x, y)| (x - y).abs()).sum();
        assert_close(distance::l1(&a, &b) as f64, l1, l1, 1e-5, 0.0, "l1");
        assert_close(distance::norm(&a), na.sqrt(), na.sqrt(), 1e-12, 0.0, "norm");
    }
    let zero = alloc::vec![F16::default(); 300];
    let some = random_halves(&mut rng, 300);
    assert!(distance::cosine_distance(&zero, &some).is_nan());
    assert!(distance::cosine_distance(&zero, &zero).is_nan());
    assert_eq!(distance::squared_l2(&zero, &zero), 0.0);
    assert_eq!(distance::norm(&zero), 0.0);
}

#[test]
fn branchless_widening_matches_the_reference_for_every_bit_pattern() {
    for bits in 0..=u16::MAX {
        let h = F16::from_bits(bits);
        assert_eq!(
            super::scalar::f16_to_f32_branchless(h).to_bits(),
            super::scalar::f16_to_f32(h).to_bits(),
            "bits {bits:#06x}"
        );
    }
}
