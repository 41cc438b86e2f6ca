//! The AVX2 + FMA kernels shared by the 16-bit element types (f16 `halfvec`, bfloat16 hnsw
//! values), as `simd128_widening` is on wasm: the caller's `load` widens sixteen elements into
//! two f32x8 (in any order, the same for both sides: bfloat16 splits even and odd elements,
//! which one 32-byte load gives with a shift and a mask) and the loop around it is the same.
//! Four accumulators hide the FMA latency; the < 16-element tail is widened one element at a
//! time. Sums are accumulated in f32, as for `vector`.

/// Defines `pub unsafe fn squared_l2` and `inner_product` over `&[$elem]` in the calling
/// module, compiled for `$features`, from its `load(s, i) -> (__m256, __m256)` (widens
/// `s[i..i + 16]`)
/// and `$widen` (one element to f32). `$needs` is the Safety line's list of CPU features.
macro_rules! avx2_widening_kernels {
    ($elem:ty, $features:literal, $needs:literal, $widen:expr) => {
        $crate::distance::avx2_widening::avx2_widening_kernels!(@kernel $elem, $features, $needs, $widen,
            /// Sum of (aᵢ - bᵢ)².
            squared_l2,
            |x, y, acc| {
                let d = _mm256_sub_ps(x, y);
                _mm256_fmadd_ps(d, d, acc)
            },
            |p, q| (p - q) * (p - q)
        );
        $crate::distance::avx2_widening::avx2_widening_kernels!(@kernel $elem, $features, $needs, $widen,
            /// Dot product.
            inner_product,
            |x, y, acc| _mm256_fmadd_ps(x, y, acc),
            |p, q| p * q
        );
    };
    (@kernel $elem:ty, $features:literal, $needs:literal, $widen:expr, $(#[$doc:meta])* $name:ident,
        |$x:ident, $y:ident, $acc:ident| $step:expr, |$p:ident, $q:ident| $tail:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        #[doc = $needs]
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: &[$elem], b: &[$elem]) -> f32 {
            debug_assert_eq!(a.len(), b.len());
            let n = a.len().min(b.len());
            let mut acc = [_mm256_setzero_ps(); 4];
            let mut i = 0;
            // SAFETY: every load below reads [i, i + 16) with i + 16 <= n.
            unsafe {
                while i + 32 <= n {
                    for k in 0..2 {
                        let ((x0, x1), (y0, y1)) = (load(a, i + 16 * k), load(b, i + 16 * k));
                        let ($x, $y, $acc) = (x0, y0, acc[2 * k]);
                        acc[2 * k] = $step;
                        let ($x, $y, $acc) = (x1, y1, acc[2 * k + 1]);
                        acc[2 * k + 1] = $step;
                    }
                    i += 32;
                }
                if i + 16 <= n {
                    let ((x0, x1), (y0, y1)) = (load(a, i), load(b, i));
                    let ($x, $y, $acc) = (x0, y0, acc[0]);
                    acc[0] = $step;
                    let ($x, $y, $acc) = (x1, y1, acc[1]);
                    acc[1] = $step;
                    i += 16;
                }
            }
            let lanes = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
            let mut sum = $crate::distance::avx2::hsum(lanes);
            let widen = $widen;
            for j in i..n {
                let ($p, $q) = (widen(a[j]), widen(b[j]));
                sum += $tail;
            }
            sum
        }
    };
}

pub(crate) use avx2_widening_kernels;
