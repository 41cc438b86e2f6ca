//! AVX2 path (x86_64). Popcounts: the code's 256-bit blocks are ANDed with the four query
//! planes and counted per byte with the `vpshufb` nibble table; the four plane counts are
//! combined per byte as c0 + 2(c1 + 2(c2 + 2c3)) ≤ 120, so one `vpsadbw` sums them. Then
//! eight codes' float finishes run in one set of 8-lane instructions, in `finish`'s order.
use super::{CodeSlices, finish};
use crate::rabitq::QueryPrep;
use core::arch::x86_64::*;

/// # Safety
/// The CPU must have AVX2 and POPCNT.
#[target_feature(enable = "avx2,popcnt")]
pub unsafe fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    super::check_lengths(prep, &codes, distance2, bound);
    let n = codes.len();
    let words = prep.words;
    let mut i = 0;
    while i + 8 <= n {
        let mut weighted = [0i32; 8];
        let mut popcount = [0i32; 8];
        for lane in 0..8 {
            let code = &codes.bits[(i + lane) * words..(i + lane + 1) * words];
            // SAFETY: the caller guarantees AVX2 and POPCNT.
            let (w, p) = unsafe { counts(prep, code) };
            (weighted[lane], popcount[lane]) = (w as i32, p as i32);
        }
        // SAFETY: the slices hold at least i + 8 elements; unaligned loads and stores.
        unsafe { finish8(prep, &weighted, &popcount, &codes, i, distance2, bound) };
        i += 8;
    }
    for i in i..n {
        // SAFETY: as above.
        let (w, p) = unsafe { counts(prep, &codes.bits[i * words..(i + 1) * words]) };
        (distance2[i], bound[i]) = finish(prep, w, p, codes.norms[i], codes.dots[i]);
    }
}

#[inline]
#[target_feature(enable = "avx2,popcnt")]
fn popcount_bytes(v: __m256i) -> __m256i {
    let table = _mm256_setr_epi8(
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, //
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    );
    let low_nibbles = _mm256_set1_epi8(0x0f);
    let lo = _mm256_and_si256(v, low_nibbles);
    let hi = _mm256_and_si256(_mm256_srli_epi16::<4>(v), low_nibbles);
    _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi))
}

/// Same result as `scalar::counts`.
#[inline]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn counts(prep: &QueryPrep, code: &[u64]) -> (u32, u32) {
    let words = prep.words;
    let planes = &prep.planes;
    let zero = _mm256_setzero_si256();
    let (mut weighted_acc, mut popcount_acc) = (zero, zero);
    let mut w = 0;
    while w + 4 <= words {
        // SAFETY: w + 4 <= words, and each plane has `words` words.
        let load = |s: &[u64], at: usize| unsafe { _mm256_loadu_si256(s.as_ptr().add(at).cast()) };
        let bits = load(code, w);
        let plane = |j: usize| popcount_bytes(_mm256_and_si256(bits, load(planes, j * words + w)));
        let mut per_byte = plane(3);
        for j in (0..3).rev() {
            per_byte = _mm256_add_epi8(plane(j), _mm256_add_epi8(per_byte, per_byte));
        }
        weighted_acc = _mm256_add_epi64(weighted_acc, _mm256_sad_epu8(per_byte, zero));
        popcount_acc = _mm256_add_epi64(popcount_acc, _mm256_sad_epu8(popcount_bytes(bits), zero));
        w += 4;
    }
    let lanes = |v: __m256i| {
        let mut out = [0u64; 4];
        // SAFETY: out is 32 bytes.
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), v) };
        out.iter().sum::<u64>() as u32
    };
    let (mut weighted, mut popcount) = (lanes(weighted_acc), lanes(popcount_acc));
    for w in w..words {
        let bits = code[w];
        popcount += _popcnt64(bits as i64) as u32;
        for j in 0..crate::rabitq::QUERY_BITS as usize {
            weighted += (_popcnt64((bits & planes[j * words + w]) as i64) as u32) << j;
        }
    }
    (weighted, popcount)
}

/// `finish` for codes i..i+8, eight lanes at a time.
#[inline]
#[target_feature(enable = "avx2,popcnt")]
unsafe fn finish8(
    prep: &QueryPrep,
    weighted: &[i32; 8],
    popcount: &[i32; 8],
    codes: &CodeSlices<'_>,
    i: usize,
    distance2: &mut [f32],
    bound: &mut [f32],
) {
    // SAFETY (whole body): the caller keeps i + 8 within every slice.
    unsafe {
        let weighted = _mm256_cvtepi32_ps(_mm256_loadu_si256(weighted.as_ptr().cast()));
        let popcount = _mm256_cvtepi32_ps(_mm256_loadu_si256(popcount.as_ptr().cast()));
        let norm = _mm256_loadu_ps(codes.norms.as_ptr().add(i));
        let dot = _mm256_loadu_ps(codes.dots.as_ptr().add(i));
        let splat = _mm256_set1_ps;
        let ip = _mm256_sub_ps(
            _mm256_add_ps(
                _mm256_mul_ps(weighted, splat(prep.scale_sum)),
                _mm256_mul_ps(popcount, splat(prep.scale_popcount)),
            ),
            splat(prep.offset),
        );
        let cosine = _mm256_div_ps(ip, dot);
        let cross = _mm256_mul_ps(norm, splat(prep.two_query_norm));
        let distance = _mm256_sub_ps(
            _mm256_add_ps(_mm256_mul_ps(norm, norm), splat(prep.query_norm2)),
            _mm256_mul_ps(cross, cosine),
        );
        let spread = _mm256_div_ps(_mm256_sqrt_ps(_mm256_sub_ps(splat(1.0), _mm256_mul_ps(dot, dot))), dot);
        let b = _mm256_mul_ps(cross, _mm256_mul_ps(spread, splat(prep.bound_scale)));
        _mm256_storeu_ps(distance2.as_mut_ptr().add(i), distance);
        _mm256_storeu_ps(bound.as_mut_ptr().add(i), b);
    }
}
