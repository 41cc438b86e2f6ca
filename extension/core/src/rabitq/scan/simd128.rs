//! wasm32 simd128 path: wasm has a native `i64.popcnt`, so the counts are the scalar ones;
//! the float finish runs four codes per instruction, in `finish`'s order.
use super::{CodeSlices, finish};
use crate::rabitq::QueryPrep;
use core::arch::wasm32::*;

pub fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    super::check_lengths(prep, &codes, distance2, bound);
    let words = prep.words;
    let count = |code: &[u64]| {
        let (w, p) = super::scalar::counts(prep, code);
        (w as i32, p as i32)
    };
    let splat = f32x4_splat;
    // Four codes at a time, walked as exact chunks so that no access needs a bounds check.
    let quads = codes
        .bits
        .chunks_exact(4 * words)
        .zip(codes.norms.chunks_exact(4).zip(codes.dots.chunks_exact(4)))
        .zip(distance2.chunks_exact_mut(4).zip(bound.chunks_exact_mut(4)));
    for ((bits, (norms, dots)), (d_out, b_out)) in quads {
        let (c0, c1, c2, c3) = (count(&bits[..words]), count(&bits[words..2 * words]), count(&bits[2 * words..3 * words]), count(&bits[3 * words..]));
        let weighted = f32x4_convert_i32x4(i32x4(c0.0, c1.0, c2.0, c3.0));
        let popcount = f32x4_convert_i32x4(i32x4(c0.1, c1.1, c2.1, c3.1));
        let lanes = |s: &[f32]| f32x4(s[0], s[1], s[2], s[3]);
        let (norm, dot) = (lanes(norms), lanes(dots));
        let ip = f32x4_sub(
            f32x4_add(f32x4_mul(weighted, splat(prep.scale_sum)), f32x4_mul(popcount, splat(prep.scale_popcount))),
            splat(prep.offset),
        );
        let cosine = f32x4_div(ip, dot);
        let cross = f32x4_mul(norm, splat(prep.two_query_norm));
        let distance = f32x4_sub(f32x4_add(f32x4_mul(norm, norm), splat(prep.query_norm2)), f32x4_mul(cross, cosine));
        let spread = f32x4_div(f32x4_sqrt(f32x4_sub(splat(1.0), f32x4_mul(dot, dot))), dot);
        let b = f32x4_mul(cross, f32x4_mul(spread, splat(prep.bound_scale)));
        d_out.copy_from_slice(&[
            f32x4_extract_lane::<0>(distance),
            f32x4_extract_lane::<1>(distance),
            f32x4_extract_lane::<2>(distance),
            f32x4_extract_lane::<3>(distance),
        ]);
        b_out.copy_from_slice(&[f32x4_extract_lane::<0>(b), f32x4_extract_lane::<1>(b), f32x4_extract_lane::<2>(b), f32x4_extract_lane::<3>(b)]);
    }
    let done = codes.len() / 4 * 4;
    for i in done..codes.len() {
        let (w, p) = super::scalar::counts(prep, &codes.bits[i * words..(i + 1) * words]);
        (distance2[i], bound[i]) = finish(prep, w, p, codes.norms[i], codes.dots[i]);
    }
}
