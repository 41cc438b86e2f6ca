//! AVX-512 path (x86_64 with AVX-512F and VPOPCNTDQ). Popcounts: `vpopcntq` counts each
//! 64-bit word of a 512-bit block exactly, the four plane counts are combined per word as
//! c0 + 2(c1 + 2(c2 + 2c3)), and the code's own popcount rides in the same lanes' upper 32
//! bits. Eight codes go through together, sharing each block's plane loads, and their
//! lane sums are reduced in one shuffle tree rather than one horizontal sum per code. A
//! block past the code's last word is loaded under a mask (masked-off words read as zero
//! and are never touched in memory), so dimensions that are not multiples of 512 need no
//! scalar tail. Then sixteen codes' float finishes run in one set of 16-lane instructions,
//! in `finish`'s order; fewer than sixteen leftover codes go one at a time.
use super::{CodeSlices, finish};
use crate::rabitq::QueryPrep;
use core::arch::x86_64::*;

/// # Safety
/// The CPU must have AVX-512F and AVX512_VPOPCNTDQ, with ZMM state enabled by the OS
/// (`crate::cpu::has_avx512_vpopcntdq`).
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
pub unsafe fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    super::check_lengths(prep, &codes, distance2, bound);
    let n = codes.len();
    let words = prep.words;
    let code = |i: usize| &codes.bits[i * words..(i + 1) * words];
    let mut i = 0;
    while i + 16 <= n {
        let (low, high) = (counts8(prep, &codes.bits[i * words..]), counts8(prep, &codes.bits[(i + 8) * words..]));
        // Lane k of `low`/`high` is code i + k's (weighted | popcount << 32); split and narrow.
        let join = |a: __m256i, b: __m256i| _mm512_inserti64x4::<1>(_mm512_castsi256_si512(a), b);
        let weighted = join(_mm512_cvtepi64_epi32(low), _mm512_cvtepi64_epi32(high));
        let high_half = |v: __m512i| _mm512_cvtepi64_epi32(_mm512_srli_epi64::<32>(v));
        let popcount = join(high_half(low), high_half(high));
        // SAFETY: the slices hold at least i + 16 elements; unaligned loads and stores.
        unsafe { finish16(prep, weighted, popcount, &codes, i, distance2, bound) };
        i += 16;
    }
    for i in i..n {
        let (w, p) = counts(prep, code(i));
        (distance2[i], bound[i]) = finish(prep, w, p, codes.norms[i], codes.dots[i]);
    }
}

/// Same result as `scalar::counts`: (Σⱼ 2ʲ·popcount(code ∧ planeⱼ), popcount(code)).
#[inline]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
fn counts(prep: &QueryPrep, code: &[u64]) -> (u32, u32) {
    let words = prep.words;
    let planes = &prep.planes;
    debug_assert!(code.len() == words && planes.len() == 4 * words);
    // One 64-bit lane per word: weighted count in the low 32 bits, popcount in the high 32.
    // The weighted total is below 2³² (scalar keeps it in a u32 too; 15·dims for any
    // vector Postgres can store), so the halves never carry into each other.
    let mut acc = _mm512_setzero_si512();
    let mut w = 0;
    while w < words {
        let mask: __mmask8 = if words - w >= 8 { 0xff } else { (1u8 << (words - w)) - 1 };
        // SAFETY: only words w..min(w + 8, words) are read, and every plane has `words`.
        let load = |s: &[u64], at: usize| unsafe { _mm512_maskz_loadu_epi64(mask, s.as_ptr().add(at).cast()) };
        let bits = load(code, w);
        let plane = |j: usize| _mm512_popcnt_epi64(_mm512_and_si512(bits, load(planes, j * words + w)));
        let mut per_word = plane(3);
        for j in (0..3).rev() {
            per_word = _mm512_add_epi64(plane(j), _mm512_add_epi64(per_word, per_word));
        }
        let popcount = _mm512_slli_epi64::<32>(_mm512_popcnt_epi64(bits));
        acc = _mm512_add_epi64(acc, _mm512_add_epi64(per_word, popcount));
        w += 8;
    }
    let total = _mm512_reduce_add_epi64(acc) as u64;
    (total as u32, (total >> 32) as u32)
}

/// `counts` for the eight codes at the start of `bits`, as lane k = weighted | popcount << 32
/// of code k. The eight codes share each block's plane loads, and their sums are reduced
/// together: three rounds of pairwise adds whose shuffles bring each code's lanes together,
/// instead of a full horizontal sum per code.
#[inline]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
fn counts8(prep: &QueryPrep, bits: &[u64]) -> __m512i {
    let words = prep.words;
    let planes = &prep.planes;
    assert!(bits.len() >= 8 * words && planes.len() == 4 * words);
    let mut acc = [_mm512_setzero_si512(); 8];
    let mut w = 0;
    while w < words {
        let mask: __mmask8 = if words - w >= 8 { 0xff } else { (1u8 << (words - w)) - 1 };
        // SAFETY: only words w..min(w + 8, words) of each code and plane are read.
        let load = |s: &[u64], at: usize| unsafe { _mm512_maskz_loadu_epi64(mask, s.as_ptr().add(at).cast()) };
        let plane = [0, 1, 2, 3].map(|j| load(planes, j * words + w));
        for (k, acc) in acc.iter_mut().enumerate() {
            let code = load(bits, k * words + w);
            let count = |j: usize| _mm512_popcnt_epi64(_mm512_and_si512(code, plane[j]));
            let mut per_word = count(3);
            for j in (0..3).rev() {
                per_word = _mm512_add_epi64(count(j), _mm512_add_epi64(per_word, per_word));
            }
            let popcount = _mm512_slli_epi64::<32>(_mm512_popcnt_epi64(code));
            *acc = _mm512_add_epi64(*acc, _mm512_add_epi64(per_word, popcount));
        }
        w += 8;
    }
    // Round 1: qword pairs. Each 128-bit lane of pair(a, b) holds (a's pair sum, b's pair sum).
    let pair = |a: __m512i, b: __m512i| _mm512_add_epi64(_mm512_unpacklo_epi64(a, b), _mm512_unpackhi_epi64(a, b));
    // Rounds 2 and 3: add 128-bit lanes 0+1 and 2+3 of a, then of b, into [a01, a23, b01, b23].
    let lanes = |a: __m512i, b: __m512i| {
        _mm512_add_epi64(_mm512_shuffle_i64x2::<0b10_00_10_00>(a, b), _mm512_shuffle_i64x2::<0b11_01_11_01>(a, b))
    };
    let (p01, p23, p45, p67) = (pair(acc[0], acc[1]), pair(acc[2], acc[3]), pair(acc[4], acc[5]), pair(acc[6], acc[7]));
    // After round 2, 128-bit lane l of q0123 holds codes (0, 1) for l = 0, 1 and (2, 3) for
    // l = 2, 3, half of each total per lane; round 3 adds the halves, giving code k in qword k.
    lanes(lanes(p01, p23), lanes(p45, p67))
}

/// `finish` for codes i..i+16, sixteen lanes at a time.
#[inline]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
unsafe fn finish16(
    prep: &QueryPrep,
    weighted: __m512i,
    popcount: __m512i,
    codes: &CodeSlices<'_>,
    i: usize,
    distance2: &mut [f32],
    bound: &mut [f32],
) {
    // SAFETY (whole body): the caller keeps i + 16 within every slice.
    unsafe {
        let weighted = _mm512_cvtepi32_ps(weighted);
        let popcount = _mm512_cvtepi32_ps(popcount);
        let norm = _mm512_loadu_ps(codes.norms.as_ptr().add(i));
        let dot = _mm512_loadu_ps(codes.dots.as_ptr().add(i));
        let splat = _mm512_set1_ps;
        let ip = _mm512_sub_ps(
            _mm512_add_ps(
                _mm512_mul_ps(weighted, splat(prep.scale_sum)),
                _mm512_mul_ps(popcount, splat(prep.scale_popcount)),
            ),
            splat(prep.offset),
        );
        let cosine = _mm512_div_ps(ip, dot);
        let cross = _mm512_mul_ps(norm, splat(prep.two_query_norm));
        let distance = _mm512_sub_ps(
            _mm512_add_ps(_mm512_mul_ps(norm, norm), splat(prep.query_norm2)),
            _mm512_mul_ps(cross, cosine),
        );
        let spread = _mm512_div_ps(_mm512_sqrt_ps(_mm512_sub_ps(splat(1.0), _mm512_mul_ps(dot, dot))), dot);
        let b = _mm512_mul_ps(cross, _mm512_mul_ps(spread, splat(prep.bound_scale)));
        _mm512_storeu_ps(distance2.as_mut_ptr().add(i), distance);
        _mm512_storeu_ps(bound.as_mut_ptr().add(i), b);
    }
}
