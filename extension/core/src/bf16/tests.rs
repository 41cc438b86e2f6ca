// Conversion against an independent nearest-value search; distances against f64 sums of the
// widened values.
use super::*;
use crate::testutil::Rng;
use alloc::vec::Vec;

/// The value of a finite bfloat16 pattern, and 2¹²⁸ (the rounding boundary that stands for
/// overflow) for the Inf pattern.
fn value(h: u16) -> f64 {
    let magnitude = if h & 0x7FFF == 0x7F80 { 2f64.powi(128) } else { to_f32(h & 0x7FFF) as f64 };
    if h & 0x8000 != 0 { -magnitude } else { magnitude }
}

/// The nearest bfloat16 pattern by comparing the two candidates around finite `x` (truncated
/// and next up in magnitude), ties to the even pattern; the Inf pattern means overflow.
fn reference(x: f32) -> u16 {
    let low = (x.to_bits() >> 16) as u16;
    let high = low + 1;
    let (dl, dh) = ((x as f64 - value(low)).abs(), (value(high) - x as f64).abs());
    if dl < dh || (dl == dh && low & 1 == 0) { low } else { high }
}

#[test]
fn rounds_to_nearest_even() {
    let mut rng = Rng::new(7);
    for _ in 0..200_000 {
        let x = f32::from_bits(rng.next_u64() as u32 & 0x7F7F_FFFF);
        let x = if rng.next_u64() & 1 == 0 { x } else { -x };
        let want = Some(reference(x)).filter(|h| h & 0x7FFF != 0x7F80);
        assert_eq!(from_f32(x), want, "{x:e}");
    }
    // A tie rounds to the even pattern in both directions.
    assert_eq!(from_f32(f32::from_bits(0x3F80_8000)), Some(0x3F80));
    assert_eq!(from_f32(f32::from_bits(0x3F81_8000)), Some(0x3F82));
    assert_eq!(from_f32(0.0), Some(0));
    assert_eq!(from_f32(-0.0), Some(0x8000));
}

#[test]
fn none_for_nan_or_overflow() {
    assert_eq!(from_f32(f32::NAN), None);
    assert_eq!(from_f32(f32::MAX), None, "rounds up past the largest bfloat16");
    assert_eq!(from_f32(f32::from_bits(0x7F7F_0000)), Some(0x7F7F), "the largest bfloat16");
    assert_eq!(from_f32(f32::INFINITY), Some(0x7F80), "an Inf stays one");
}

#[test]
fn distances_match_f64_sums() {
    let mut rng = Rng::new(11);
    for len in 0..300 {
        let a: Vec<u16> = (0..len).map(|_| from_f32(rng.unit()).unwrap()).collect();
        let b: Vec<u16> = (0..len).map(|_| from_f32(rng.unit()).unwrap()).collect();
        let (mut sq, mut dot, mut abs) = (0f64, 0f64, 0f64);
        for (&x, &y) in a.iter().zip(&b) {
            let (x, y) = (to_f32(x) as f64, to_f32(y) as f64);
            sq += (x - y) * (x - y);
            dot += x * y;
            abs += (x * y).abs();
        }
        assert!((squared_l2(&a, &b) as f64 - sq).abs() <= 1e-5 * sq + 1e-30, "len {len}");
        assert!((inner_product(&a, &b) as f64 - dot).abs() <= 1e-5 * abs + 1e-30, "len {len}");
    }
}

/// The AVX2 kernels against the scalar ones, over every tail length and an unaligned start;
/// they sum in a different order, so within f32 rounding of the sum of |terms|.
#[cfg(target_arch = "x86_64")]
#[test]
fn avx2_matches_scalar() {
    if !crate::cpu::has_avx2_fma() {
        return;
    }
    let mut rng = Rng::new(13);
    for len in 0..300 {
        let a: Vec<u16> = (0..=len).map(|_| from_f32(rng.unit()).unwrap()).collect();
        let b: Vec<u16> = (0..=len).map(|_| from_f32(rng.unit()).unwrap()).collect();
        for (a, b) in [(&a[..len], &b[..len]), (&a[1..], &b[1..]), (&a[1..], &b[..len])] {
            let (mut sq, mut abs) = (0f32, 0f32);
            for (&x, &y) in a.iter().zip(b) {
                let (x, y) = (to_f32(x), to_f32(y));
                sq += (x - y) * (x - y);
                abs += (x * y).abs();
            }
            // SAFETY: the CPU has AVX2 and FMA (checked above).
            let (got_sq, got_dot) = unsafe { (avx2::squared_l2(a, b), avx2::inner_product(a, b)) };
            let (want_sq, want_dot) = (scalar::squared_l2(a, b), scalar::inner_product(a, b));
            assert!((got_sq - want_sq).abs() <= 1e-5 * sq + 1e-6, "len {len}: {got_sq} vs {want_sq}");
            assert!((got_dot - want_dot).abs() <= 1e-5 * abs + 1e-6, "len {len}: {got_dot} vs {want_dot}");
        }
    }
}
