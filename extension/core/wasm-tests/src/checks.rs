//! Every dispatched kernel, and the simd128 and scalar paths explicitly, against the f64
//! references on seeded random inputs of every length 0..=2000 (zeros included); then the
//! RaBitQ scan paths against each other (`rabitq.rs`), and the IVF scan against the scalar
//! kernel (`ivf_scan.rs`).
use crate::reference::{self, Sums};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use ruvector_core::distance::{self, Path};
use ruvector_core::f16::{self, F16};
use ruvector_core::{bf16, bits};

static FAILURES: AtomicU32 = AtomicU32::new(0);
/// `check id * 10_000 + input length` of the first failure, for the driver to report.
static FIRST_FAILURE: AtomicU32 = AtomicU32::new(u32::MAX);

const MAX_DIMS: usize = 2000;
const TOLERANCE: f64 = 1e-5;

pub fn first_failure() -> u32 {
    FIRST_FAILURE.load(Ordering::Relaxed)
}

pub fn check(id: u32, len: usize, ok: bool) {
    if !ok {
        FAILURES.fetch_add(1, Ordering::Relaxed);
        let _ = FIRST_FAILURE.compare_exchange(u32::MAX, id * 10_000 + len as u32, Ordering::Relaxed, Ordering::Relaxed);
    }
}

/// Relative to `scale`, the sum of magnitudes that bounds the rounding error of a sum.
fn close(got: f64, want: f64, scale: f64) -> bool {
    if want.is_nan() {
        return got.is_nan();
    }
    (got - want).abs() <= TOLERANCE * scale + 1e-30
}

pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

pub fn run_all() -> u32 {
    check(1, 0, distance::active_path() == Path::Simd128);
    let mut rng = Rng(0x5EED);
    for len in 0..=MAX_DIMS {
        let mut a: Vec<f32> = (0..len).map(|_| rng.unit()).collect();
        let b: Vec<f32> = (0..len).map(|_| rng.unit()).collect();
        if len % 97 == 3 {
            a.iter_mut().for_each(|x| *x = 0.0);
        }
        dense(len, &a, &b);
        half(len, &a, &b);
        bfloat16(len, &a, &b);
    }
    for bytes in 0..=300 {
        bit_strings(bytes, &mut rng);
    }
    crate::rabitq::run(&mut rng);
    crate::ivf_scan::run(&mut rng);
    FAILURES.load(Ordering::Relaxed)
}

fn dense(len: usize, a: &[f32], b: &[f32]) {
    let s = reference::sums(a, b);
    let (sq, dot, l1, na) = (s.squared_l2, s.dot_abs, s.l1, s.norm_a_sq);
    check(10, len, close(distance::squared_l2(a, b) as f64, s.squared_l2, sq));
    check(11, len, close(distance::l2(a, b), reference::sqrt(s.squared_l2), reference::sqrt(sq)));
    check(12, len, close(distance::inner_product(a, b) as f64, s.dot, dot));
    check(13, len, close(distance::negative_inner_product(a, b), -s.dot, dot));
    check(14, len, close(distance::cosine_distance(a, b), reference::cosine_distance(&s), 1.0));
    check(15, len, close(distance::l1(a, b) as f64, s.l1, l1));
    check(16, len, close(distance::norm(a), reference::sqrt(na), reference::sqrt(na)));
    parts(20, len, distance::simd128::dot_and_norms(a, b), &s);
    check(21, len, close(distance::simd128::squared_l2(a, b) as f64, s.squared_l2, sq));
    check(22, len, close(distance::simd128::inner_product(a, b) as f64, s.dot, dot));
    check(23, len, close(distance::simd128::l1(a, b) as f64, s.l1, l1));
    check(24, len, close(distance::simd128::sum_of_squares(a), na, na));
    parts(30, len, distance::scalar::dot_and_norms(a, b), &s);
    check(31, len, close(distance::scalar::squared_l2(a, b) as f64, s.squared_l2, sq));
    check(32, len, close(distance::scalar::inner_product(a, b) as f64, s.dot, dot));
    check(33, len, close(distance::scalar::l1(a, b) as f64, s.l1, l1));
    check(34, len, close(distance::scalar::sum_of_squares(a), na, na));
}

fn parts(id: u32, len: usize, (dot, na, nb): (f32, f32, f32), s: &Sums) {
    check(id, len, close(dot as f64, s.dot, s.dot_abs));
    check(id, len, close(na as f64, s.norm_a_sq, s.norm_a_sq) && close(nb as f64, s.norm_b_sq, s.norm_b_sq));
}

/// halfvec: the reference runs on the f16 values widened back to f32.
fn half(len: usize, a: &[f32], b: &[f32]) {
    let to_half = |v: &[f32]| -> Vec<F16> { v.iter().map(|&x| F16::from_f32(x).unwrap()).collect() };
    let (ha, hb) = (to_half(a), to_half(b));
    let widen = |v: &[F16]| -> Vec<f32> { v.iter().map(|h| h.to_f32()).collect() };
    let s = reference::sums(&widen(&ha), &widen(&hb));
    check(40, len, close(f16::distance::squared_l2(&ha, &hb) as f64, s.squared_l2, s.squared_l2));
    check(41, len, close(f16::distance::inner_product(&ha, &hb) as f64, s.dot, s.dot_abs));
    check(42, len, close(f16::distance::cosine_distance(&ha, &hb), reference::cosine_distance(&s), 1.0));
    check(43, len, close(f16::distance::l1(&ha, &hb) as f64, s.l1, s.l1));
    if len > 0 && len % 7 == 0 {
        // Inf and NaN halves widen to Inf and NaN (the special lanes of the simd128 widening).
        let mut inf = ha.clone();
        inf[len / 2] = F16::INFINITY;
        check(45, len, f16::distance::squared_l2(&inf, &hb) == f32::INFINITY);
        check(46, len, f16::distance::inner_product(&inf, &inf) == f32::INFINITY);
        inf[len - 1] = F16::from_bits(0x7E00);
        check(47, len, f16::distance::squared_l2(&inf, &hb).is_nan());
    }
    let norm = reference::sqrt(s.norm_a_sq);
    check(44, len, close(f16::distance::norm(&ha), norm, norm));
}

/// bfloat16 (hnsw's format-2 values): the simd128 kernels (dispatched and named) against the
/// reference on the widened values.
fn bfloat16(len: usize, a: &[f32], b: &[f32]) {
    let copy = |v: &[f32]| -> Vec<u16> { v.iter().map(|&x| bf16::from_f32(x).unwrap()).collect() };
    let (ba, bb) = (copy(a), copy(b));
    let widen = |v: &[u16]| -> Vec<f32> { v.iter().map(|&h| bf16::to_f32(h)).collect() };
    let s = reference::sums(&widen(&ba), &widen(&bb));
    check(60, len, close(bf16::squared_l2(&ba, &bb) as f64, s.squared_l2, s.squared_l2));
    check(61, len, close(bf16::inner_product(&ba, &bb) as f64, s.dot, s.dot_abs));
    check(62, len, close(bf16::simd128::squared_l2(&ba, &bb) as f64, s.squared_l2, s.squared_l2));
    check(63, len, close(bf16::simd128::inner_product(&ba, &bb) as f64, s.dot, s.dot_abs));
}

fn bit_strings(bytes: usize, rng: &mut Rng) {
    let a: Vec<u8> = (0..bytes).map(|_| rng.next() as u8).collect();
    let b: Vec<u8> = (0..bytes).map(|i| if i % 5 == 0 { 0 } else { rng.next() as u8 }).collect();
    let (xor, and, or) = reference::popcount_and_or(&a, &b);
    check(50, bytes, bits::hamming_distance(&a, &b) == xor);
    let jaccard = if and == 0 { 1.0 } else { 1.0 - and as f64 / or as f64 };
    check(51, bytes, close(bits::jaccard_distance(&a, &b), jaccard, 1.0));
}
