//! wasm32 simd128 path: wasm has a native `i64.popcnt`, so the counts are the scalar ones;
//! the float finish runs four codes per instruction, in `finish`'s order.
use super::{CodeSlices, finish};
use crate::rabitq::QueryPrep;
use core::arch::wasm32::*;

pub fn estimate(prep: &QueryPrep, codes: CodeSlices<'_>, distance2: &mut [f32], bound: &mut [f32]) {
    super::check_lengths(prep, &codes, distance2, bound);
    let n = codes.len();
    let words = prep.words;
    let count = |i: usize| super::scalar::counts(prep, &codes.bits[i * words..(i + 1) * words]);
    let splat = f32x4_splat;
    let mut i = 0;
    while i + 4 <= n {
        let (c0, c1, c2, c3) = (count(i), count(i + 1), count(i + 2), count(i + 3));
        let weighted = f32x4_convert_i32x4(i32x4(c0.0 as i32, c1.0 as i32, c2.0 as i32, c3.0 as i32));
        let popcount = f32x4_convert_i32x4(i32x4(c0.1 as i32, c1.1 as i32, c2.1 as i32, c3.1 as i32));
        let lanes = |s: &[f32]| f32x4(s[i], s[i + 1], s[i + 2], s[i + 3]);
        let (norm, dot) = (lanes(codes.norms), lanes(codes.dots));
        let ip = f32x4_sub(
            f32x4_add(f32x4_mul(weighted, splat(prep.scale_sum)), f32x4_mul(popcount, splat(prep.scale_popcount))),
            splat(prep.offset),
        );
        let cosine = f32x4_div(ip, dot);
        let cross = f32x4_mul(norm, splat(prep.two_query_norm));
        let distance = f32x4_sub(f32x4_add(f32x4_mul(norm, norm), splat(prep.query_norm2)), f32x4_mul(cross, cosine));
        let spread = f32x4_div(f32x4_sqrt(f32x4_sub(splat(1.0), f32x4_mul(dot, dot))), dot);
        let b = f32x4_mul(cross, f32x4_mul(spread, splat(prep.bound_scale)));
        for (k, (d, e)) in [
            (f32x4_extract_lane::<0>(distance), f32x4_extract_lane::<0>(b)),
            (f32x4_extract_lane::<1>(distance), f32x4_extract_lane::<1>(b)),
            (f32x4_extract_lane::<2>(distance), f32x4_extract_lane::<2>(b)),
            (f32x4_extract_lane::<3>(distance), f32x4_extract_lane::<3>(b)),
        ]
        .into_iter()
        .enumerate()
        {
            distance2[i + k] = d;
            bound[i + k] = e;
        }
        i += 4;
    }
    for i in i..n {
        let (w, p) = count(i);
        (distance2[i], bound[i]) = finish(prep, w, p, codes.norms[i], codes.dots[i]);
    }
}
