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
#[inline(always)]
pub(crate) fn counts(prep: &QueryPrep, code: &[u64]) -> (u32, u32) {
    let words = prep.words;
    let mut weighted = 0u32;
    let mut popcount = 0u32;
    for (w, &bits) in code.iter().enumerate() {
        popcount += bits.count_ones();
        for j in 0..QUERY_BITS as usize {
            weighted += (bits & prep.planes[j * words + w]).count_ones() << j;
        }
    }
    (weighted, popcount)
}
