//! Portable path: `u64::count_ones` per word, one code at a time.
use super::{CodeSlices, finish};
use crate::rabitq::{QUERY_BITS, QueryPrep};

pub fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    super::check_lengths(prep, &codes, distance2, bound);
    for i in 0..codes.len() {
        let (weighted, popcount) = counts(prep, &codes.bits[i * prep.words..(i + 1) * prep.words]);
        (distance2[i], bound[i]) = finish(prep, weighted, popcount, codes.norms[i], codes.dots[i]);
    }
}

/// (Σⱼ 2ʲ·popcount(code ∧ planeⱼ), popcount(code)) for one code.
///
/// The planes are split once and walked in step with the code, so the loop has no index
/// arithmetic or bounds checks left (in wasm that was most of a code's cost).
#[inline(always)]
pub(crate) fn counts(prep: &QueryPrep, code: &[u64]) -> (u32, u32) {
    const { assert!(QUERY_BITS == 4, "the loop below has one count per plane") };
    let words = prep.words;
    let (p0, rest) = prep.planes.split_at(words);
    let (p1, rest) = rest.split_at(words);
    let (p2, p3) = rest.split_at(words);
    let (mut popcount, mut c0, mut c1, mut c2, mut c3) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for ((((&bits, &a0), &a1), &a2), &a3) in code.iter().zip(p0).zip(p1).zip(p2).zip(p3) {
        popcount += bits.count_ones();
        c0 += (bits & a0).count_ones();
        c1 += (bits & a1).count_ones();
        c2 += (bits & a2).count_ones();
        c3 += (bits & a3).count_ones();
    }
    (c0 + (c1 << 1) + (c2 << 2) + (c3 << 3), popcount)
}

/// [`counts`] for one code read straight from its little-endian bytes (as a list page stores
/// it), for codes of `W` words; `W` = 0 takes any width (`prep.words`). A fixed `W` lets the
/// compiler unroll the loop and drop its bounds checks: in wasm that makes a scan about 1.2×
/// faster than the general loop, so callers dispatch once per page on common widths.
#[inline(always)]
pub fn code_counts<const W: usize>(prep: &QueryPrep, code: &[u8]) -> (u32, u32) {
    const { assert!(QUERY_BITS == 4, "the loop below has one count per plane") };
    let words = if W == 0 { prep.words } else { W };
    let code = &code[..words * 8];
    let planes = &prep.planes[..4 * words];
    let (mut popcount, mut c0, mut c1, mut c2, mut c3) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for w in 0..words {
        let bits = u64::from_le_bytes(code[w * 8..w * 8 + 8].try_into().expect("8 bytes"));
        popcount += bits.count_ones();
        c0 += (bits & planes[w]).count_ones();
        c1 += (bits & planes[words + w]).count_ones();
        c2 += (bits & planes[2 * words + w]).count_ones();
        c3 += (bits & planes[3 * words + w]).count_ones();
    }
    (c0 + (c1 << 1) + (c2 << 2) + (c3 << 3), popcount)
}
