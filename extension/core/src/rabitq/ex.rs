//! Extra bits per dimension (Extended RaBitQ, Gao et al. 2024): a refinement code that makes
//! a candidate's estimate several times tighter, so that a scan reranks (fetches exactly) far
//! fewer rows.
//!
//! The one-bit code stays as it is and is still what a scan estimates every entry with; the
//! extra bits are read only for the candidates whose one-bit lower bound could still place
//! them among the nearest. With `ex_bits` = B, coordinate i of the unit rotated residual o is
//! coded as wᵢ = sᵢ·(2uᵢ + 1): sᵢ = ±1 its sign (the one-bit code), uᵢ ∈ [0, 2ᴮ) its
//! magnitude in steps of Δ, stored as B bit planes beside the sign words. The quantized unit
//! vector is ō = w/‖w‖, and the estimator is the paper's, ⟨o, q'⟩ ≈ ⟨ō, q'⟩/⟨ō, o⟩, with the
//! same error model as the one-bit code: standard deviation √(1 − ⟨ō,o⟩²)/⟨ō,o⟩/√(D − 1).
//! ⟨ō, o⟩ is about 0.80 for one bit and 0.98 / 0.995 for B = 2 / 3, so the bound is 3.7× /
//! 7.5× narrower.
//!
//! Δ is chosen per vector, from a fixed grid, to maximise ⟨ō, o⟩. The query side is the
//! rotated unit query residual quantized to [`FINE_QUERY_BITS`] bits (bit planes, like the
//! four-bit planes of the first stage), so ⟨w, q̄⟩ is a sum of popcounts: exact integers,
//! the same on every target, and the float arithmetic after them is a fixed sequence in f64.
use super::QueryPrep;
use alloc::vec::Vec;

/// Most extra bits a code may carry (four bits per dimension in all).
pub const MAX_EX_BITS: u32 = 3;

/// Bits per dimension of the query for the refinement: eight makes its quantisation error
/// a few percent of a three-extra-bit code's, where four bits would double the error.
pub const FINE_QUERY_BITS: u32 = 8;

/// Step grid, as fractions of max|oᵢ|/2ᴮ: a Gaussian-like coordinate distribution wants the
/// largest level a little below the maximum, by how much depending on the vector.
const STEP_GRID: [f64; 11] = [0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95, 1.00];

/// A vector's refinement code.
#[derive(Clone, Debug, PartialEq)]
pub struct ExCode {
    /// `ex_bits` planes of `words` u64 each: plane j holds bit j of every uᵢ.
    pub planes: Vec<u64>,
    /// ⟨ō, o⟩ in (0, 1]; 1 for a zero residual.
    pub dot: f32,
    /// 1/‖w‖, which turns ⟨w, q'⟩ into ⟨ō, q'⟩.
    pub scale: f32,
}

/// Codes the unit rotated residual `o` (padded length, a multiple of 64; all zero for a zero
/// residual) with `ex_bits` magnitude bits per coordinate.
pub fn encode_ex(o: &[f64], ex_bits: u32) -> ExCode {
    assert!((1..=MAX_EX_BITS).contains(&ex_bits) && o.len().is_multiple_of(64));
    let levels = 1u64 << ex_bits;
    let magnitudes: Vec<f64> = o.iter().map(|v| v.abs()).collect();
    let max_abs = magnitudes.iter().fold(0.0f64, |m, &v| m.max(v));
    // Levels by multiplying with the step's inverse: one division per step, not per coordinate
    // (the step search is most of what extra bits add to a build).
    let level = |magnitude: f64, inverse_step: f64| ((magnitude * inverse_step) as u64).min(levels - 1);
    let inverse = |fraction: f64| if max_abs > 0.0 { levels as f64 / (max_abs * fraction) } else { 0.0 };
    // ⟨w, o⟩/‖w‖ for each step on the grid; the first best wins, so the choice is reproducible.
    let mut best = (f64::NEG_INFINITY, 0.0f64);
    for &fraction in &STEP_GRID {
        let inverse_step = inverse(fraction);
        let (mut dot, mut norm2) = (0.0f64, 0.0f64);
        for &magnitude in &magnitudes {
            let w = (2 * level(magnitude, inverse_step) + 1) as f64;
            dot += w * magnitude;
            norm2 += w * w;
        }
        let cosine = dot / crate::math::sqrt(norm2);
        if cosine > best.0 {
            best = (cosine, inverse_step);
        }
    }
    let inverse_step = best.1;
    let words = o.len() / 64;
    let mut planes = alloc::vec![0u64; ex_bits as usize * words];
    let mut norm2 = 0.0f64;
    for (i, &magnitude) in magnitudes.iter().enumerate() {
        let u = level(magnitude, inverse_step);
        norm2 += ((2 * u + 1) * (2 * u + 1)) as f64;
        for j in 0..ex_bits as usize {
            planes[j * words + i / 64] |= (u >> j & 1) << (i % 64);
        }
    }
    let dot = if max_abs > 0.0 { best.0.min(1.0) } else { 1.0 };
    ExCode { planes, dot: dot as f32, scale: (1.0 / crate::math::sqrt(norm2)) as f32 }
}

/// The query side of the refinement for one list: the unit rotated query residual q'
/// quantized to q'ᵢ ≈ low + step·q̄ᵢ, q̄ᵢ ∈ [0, 2⁸), as bit planes.
#[derive(Clone, Debug)]
pub struct FineQuery {
    /// FINE_QUERY_BITS planes of `words` u64 each, word-major: word w of plane k at
    /// w·FINE_QUERY_BITS + k, so that one 512-bit load holds word w of every plane.
    planes: Vec<u64>,
    low: f64,
    step: f64,
    /// Σ q̄ᵢ.
    level_sum: u64,
    /// ε/√(D − 1) for the refined bound.
    bound_scale: f64,
}

impl FineQuery {
    /// From the unit rotated query residual (padded length) and the bound's ε.
    pub(crate) fn new(unit: &[f64], epsilon0: f64) -> FineQuery {
        let words = unit.len() / 64;
        let low = unit.iter().copied().fold(f64::INFINITY, f64::min);
        let high = unit.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let levels = ((1u32 << FINE_QUERY_BITS) - 1) as f64;
        let step = (high - low) / levels;
        let mut planes = alloc::vec![0u64; FINE_QUERY_BITS as usize * words];
        let mut level_sum = 0u64;
        for (i, &u) in unit.iter().enumerate() {
            let level = if step > 0.0 { ((u - low) / step + 0.5) as u64 } else { 0 }.min(levels as u64);
            level_sum += level;
            for j in 0..FINE_QUERY_BITS as usize {
                planes[(i / 64) * FINE_QUERY_BITS as usize + j] |= (level >> j & 1) << (i % 64);
            }
        }
        FineQuery { planes, low, step, level_sum, bound_scale: epsilon0 / crate::math::sqrt((unit.len() - 1) as f64) }
    }

    /// Plane `j`'s word `w`.
    #[inline(always)]
    fn plane(&self, _words: usize, j: usize, w: usize) -> u64 {
        self.planes[w * FINE_QUERY_BITS as usize + j]
    }
}

/// [`counts`] compiled with the POPCNT instruction (x86_64's baseline has none, and the
/// portable bit-twiddling count made refinements cost 3× more). Same integers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn counts_popcnt(fine: &FineQuery, signs: &[u8], planes: &[u8], words: usize, ex_bits: usize) -> (i64, i64) {
    counts(fine, signs, planes, words, ex_bits)
}

/// [`counts`] eight query planes at a time: each mask word is ANDed with word w of all eight
/// planes in one register and counted with `vpopcntq`; the per-plane sums are weighted by 2ᵏ at
/// the end. Same integers as [`counts`] (a test checks).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
unsafe fn counts_avx512(fine: &FineQuery, signs: &[u8], planes: &[u8], words: usize, ex_bits: usize) -> (i64, i64) {
    use core::arch::x86_64::*;
    const { assert!(FINE_QUERY_BITS == 8, "one 512-bit register holds a word of every plane") };
    assert!(fine.planes.len() == words * 8);
    let (mut total, mut acc) = (-((words * 64) as i64), _mm512_setzero_si512());
    for w in 0..words {
        // SAFETY: words · 8 planes, checked above.
        let query = unsafe { _mm512_loadu_si512(fine.planes.as_ptr().add(w * 8).cast()) };
        let sign = word(signs, w);
        // Σ over the masks of coefficient · popcount(mask ∧ plane), coefficients ±2ˢ.
        let mut add = |mask: u64, shift: i64, negative: bool| {
            let counts = _mm512_popcnt_epi64(_mm512_and_si512(_mm512_set1_epi64(mask as i64), query));
            let scaled = _mm512_sllv_epi64(counts, _mm512_set1_epi64(shift));
            acc = if negative { _mm512_sub_epi64(acc, scaled) } else { _mm512_add_epi64(acc, scaled) };
            let count = (mask.count_ones() as i64) << shift;
            total += if negative { -count } else { count };
        };
        add(sign, 1, false);
        for j in 0..ex_bits {
            let b = word(planes, j * words + w);
            add(sign & b, 2 + j as i64, false);
            add(b, 1 + j as i64, true);
        }
    }
    let mut lanes = [0i64; 8];
    // SAFETY: eight i64 lanes into eight i64s.
    unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), acc) };
    let weighted = lanes.iter().enumerate().map(|(k, &lane)| lane << k).sum::<i64>() - fine.level_sum as i64;
    (weighted, total)
}

/// (Σ wᵢ·q̄ᵢ, Σ wᵢ) of one code, the loop specialised for its number of planes.
#[inline(always)]
fn counts(fine: &FineQuery, signs: &[u8], planes: &[u8], words: usize, ex_bits: usize) -> (i64, i64) {
    match ex_bits {
        1 => counts_for::<1>(fine, signs, planes, words),
        2 => counts_for::<2>(fine, signs, planes, words),
        _ => counts_for::<3>(fine, signs, planes, words),
    }
}

#[inline(always)]
fn counts_for<const EX: usize>(fine: &FineQuery, signs: &[u8], planes: &[u8], words: usize) -> (i64, i64) {
    // With sᵢ = ±1 (the sign bit) and wᵢ = sᵢ·(1 + Σⱼ 2ʲ⁺¹·bᵢⱼ), and for a mask m
    // Σ_{m} sᵢ·x = 2·Σ_{m ∧ sign} x − Σ_{m} x:
    //   Σ wᵢ·q̄ᵢ = 2·S(sign) − S(1) + Σⱼ 2ʲ⁺¹·(2·S(sign ∧ bⱼ) − S(bⱼ)),
    //   Σ wᵢ    = 2·|sign| − D   + Σⱼ 2ʲ⁺¹·(2·|sign ∧ bⱼ| − |bⱼ|),
    // where S(m) = Σ_{m} q̄ᵢ = Σₖ 2ᵏ·|m ∧ planeₖ|. Each word's counts are folded at once, so the
    // code's words are read once; every term is an exact integer.
    let (mut weighted, mut total) = (-(fine.level_sum as i64), -((words * 64) as i64));
    for w in 0..words {
        let sign = word(signs, w);
        let mut masks = [(0u64, 0i64); 7];
        masks[0] = (sign, 2);
        for j in 0..EX {
            let b = word(planes, j * words + w);
            masks[1 + 2 * j] = (sign & b, 4 << j);
            masks[2 + 2 * j] = (b, -(2i64 << j));
        }
        let masks = &masks[..1 + 2 * EX];
        for &(mask, coefficient) in masks {
            total += coefficient * mask.count_ones() as i64;
        }
        for k in 0..FINE_QUERY_BITS as usize {
            let plane = fine.plane(words, k, w);
            let count: i64 = masks.iter().map(|&(mask, coefficient)| coefficient * (mask & plane).count_ones() as i64).sum();
            weighted += count << k;
        }
    }
    (weighted, total)
}

/// Reads the little-endian u64 word `w` of `bytes`.
#[inline(always)]
fn word(bytes: &[u8], w: usize) -> u64 {
    u64::from_le_bytes(bytes[w * 8..w * 8 + 8].try_into().expect("8 bytes"))
}

/// The refined (distance², bound) of one entry: `signs` its one-bit code and `planes` its
/// `ex_bits` magnitude planes (little-endian words, as a list page stores them), `norm` = ‖r‖,
/// `dot` and `scale` its [`ExCode`] factors. `prep` must have been made with refinement.
pub fn refine(prep: &QueryPrep, signs: &[u8], planes: &[u8], ex_bits: u32, norm: f32, dot: f32, scale: f32) -> (f32, f32) {
    let fine = prep.fine.as_ref().expect("query prepared for refinement");
    let words = prep.words;
    let ex_bits = ex_bits as usize;
    assert!(ex_bits <= MAX_EX_BITS as usize && signs.len() >= words * 8 && planes.len() >= ex_bits * words * 8);
    #[cfg(target_arch = "x86_64")]
    let (weighted, total) = if crate::cpu::has_avx512_vpopcntdq() {
        // SAFETY: AVX-512F and VPOPCNTDQ were just checked.
        unsafe { counts_avx512(fine, signs, planes, words, ex_bits) }
    } else if crate::cpu::has_popcnt() {
        // SAFETY: POPCNT was just checked.
        unsafe { counts_popcnt(fine, signs, planes, words, ex_bits) }
    } else {
        counts(fine, signs, planes, words, ex_bits)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let (weighted, total) = counts(fine, signs, planes, words, ex_bits);
    // ⟨w, q'⟩ with q'ᵢ ≈ low + step·q̄ᵢ, then ⟨ō, q'⟩ = ⟨w, q'⟩/‖w‖ and the paper's estimator.
    let ip = (fine.low * total as f64 + fine.step * weighted as f64) * scale as f64;
    let (norm, dot) = (norm as f64, dot as f64);
    let cosine = ip / dot;
    let query_norm2 = prep.query_norm2 as f64;
    let cross = norm * prep.two_query_norm as f64;
    let distance2 = norm * norm + query_norm2 - cross * cosine;
    let spread = crate::math::sqrt((1.0 - dot * dot).max(0.0)) / dot;
    (distance2 as f32, (cross * spread * fine.bound_scale) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rabitq::{EPSILON0, Rotation, encode_bits};
    use crate::testutil::Rng;

    /// ⟨w, q̄⟩ and Σw one coordinate at a time, from the decoded levels.
    fn reference(prep: &QueryPrep, bits: &[u64], ex: &ExCode, ex_bits: usize) -> (i64, i64) {
        let fine = prep.fine.as_ref().unwrap();
        let words = prep.words;
        let (mut weighted, mut total) = (0i64, 0i64);
        for i in 0..words * 64 {
            let (w, b) = (i / 64, i % 64);
            let sign = if bits[w] >> b & 1 == 1 { 1 } else { -1 };
            let u: i64 = (0..ex_bits).map(|j| ((ex.planes[j * words + w] >> b & 1) as i64) << j).sum();
            let level: i64 = (0..FINE_QUERY_BITS as usize).map(|k| ((fine.plane(words, k, w) >> b & 1) as i64) << k).sum();
            weighted += sign * (2 * u + 1) * level;
            total += sign * (2 * u + 1);
        }
        (weighted, total)
    }

    #[test]
    fn every_counting_path_gives_the_same_integers() {
        let mut rng = Rng::new(32);
        for dims in [64, 100, 768, 1600] {
            let rotation = Rotation::new(dims, 6);
            let centroid: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
            let query: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
            let prep = QueryPrep::with_refinement(&rotation, &query, &centroid, EPSILON0, Some(EPSILON0));
            let fine = prep.fine.as_ref().unwrap();
            for ex_bits in 1..=MAX_EX_BITS as usize {
                let x: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
                let code = encode_bits(&rotation, &x, &centroid, ex_bits as u32);
                let bytes = |words: &[u64]| words.iter().flat_map(|w| w.to_le_bytes()).collect::<alloc::vec::Vec<u8>>();
                let (signs, planes) = (bytes(&code.bits), bytes(&code.ex.as_ref().unwrap().planes));
                let portable = counts(fine, &signs, &planes, prep.words, ex_bits);
                assert_eq!(portable, reference(&prep, &code.bits, code.ex.as_ref().unwrap(), ex_bits), "dims {dims}");
                #[cfg(target_arch = "x86_64")]
                if crate::cpu::has_popcnt() {
                    assert_eq!(unsafe { counts_popcnt(fine, &signs, &planes, prep.words, ex_bits) }, portable);
                }
                #[cfg(target_arch = "x86_64")]
                if crate::cpu::has_avx512_vpopcntdq() {
                    assert_eq!(unsafe { counts_avx512(fine, &signs, &planes, prep.words, ex_bits) }, portable, "dims {dims} ex_bits {ex_bits}");
                }
            }
        }
    }

    #[test]
    fn refine_equals_the_per_coordinate_sum() {
        let mut rng = Rng::new(31);
        for dims in [64, 100, 768] {
            let rotation = Rotation::new(dims, 5);
            let centroid: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
            let query: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
            let prep = QueryPrep::with_refinement(&rotation, &query, &centroid, EPSILON0, Some(EPSILON0));
            let fine = prep.fine.as_ref().unwrap();
            for ex_bits in 1..=MAX_EX_BITS {
                let x: alloc::vec::Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
                let code = encode_bits(&rotation, &x, &centroid, ex_bits);
                let ex = code.ex.as_ref().unwrap();
                let (weighted, total) = reference(&prep, &code.bits, ex, ex_bits as usize);
                let ip = (fine.low * total as f64 + fine.step * weighted as f64) * ex.scale as f64;
                let (norm, dot) = (code.norm as f64, ex.dot as f64);
                let distance2 = norm * norm + prep.query_norm2 as f64 - norm * prep.two_query_norm as f64 * (ip / dot);
                let bytes = |words: &[u64]| words.iter().flat_map(|w| w.to_le_bytes()).collect::<alloc::vec::Vec<u8>>();
                let (d, _) = refine(&prep, &bytes(&code.bits), &bytes(&ex.planes), ex_bits, code.norm, ex.dot, ex.scale);
                assert_eq!(d.to_bits(), (distance2 as f32).to_bits(), "dims {dims} ex_bits {ex_bits}");
            }
        }
    }
}
