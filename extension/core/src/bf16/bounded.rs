//! f32 vectors stored as bfloat16 with the two numbers that bound the rounding: how ruvector's
//! hnsw indexes under L2, inner product and cosine store `vector` values since their format 2.
//!
//! Why: a search's time goes to reading vectors out of memory (and, where the index outgrows
//! shared_buffers, to reading pages), not to arithmetic. At two bytes a dimension an element
//! takes half the bytes, pages hold twice the elements, and the index is about half
//! pgvector's size. Neighbour choice and traversal are as good as on f32 (format 1 builds
//! compared bfloat16 copies of the stored f32 values; recall did not move).
//!
//! How results stay exact: the distances computed here are **lower bounds** of the true ones,
//! and the scan reports them with `xs_recheckorderby`, so the executor recomputes each returned
//! row's distance from the table and reorders (`IndexNextWithReorder`). A lower bound needs
//! the rounding error of each side: stored after the values are
//! - `error`: ‖x − x̂‖₂, the rounding error's length (computed in f64, rounded up);
//! - `norm`: ‖x‖₂ of the value as encoded (rounded up).
//!
//! For a query q (encoded the same way) and an element x, with x̂ the bfloat16 values:
//! - L2: ‖q − x‖ ≥ ‖q̂ − x̂‖ − e_q − e_x (triangle inequality);
//! - dot: |q·x − q̂·x̂| ≤ ‖q̂‖e_x + e_q‖x̂‖ + e_q e_x, with ‖x̂‖ ≤ ‖x‖ + e_x;
//! - and a margin of d·2⁻²³ of the norms for the f32 accumulation, ours and the executor's
//!   (each sum of d terms is off by at most d·2⁻²⁴ of the sum of their magnitudes).
//!
//! Layout: `u16 values[d]`, zero padding to 4 bytes, `f32 error`, `f32 norm`.

use crate::bf16;
use crate::math::sqrt;

const TRAILER: usize = 8;

/// The largest finite bfloat16 of each sign: what a value beyond it is stored as (its error
/// then says how far off it is, so bounds stay true).
const MAX_FINITE: u16 = 0x7F7F;

fn values_len(dims: usize) -> usize {
    (dims * 2).next_multiple_of(4)
}

/// The encoded length of a `dims`-dimension vector.
pub fn encoded_len(dims: usize) -> usize {
    values_len(dims) + TRAILER
}

/// `bytes` as `T`s when aligned for them and a whole number of them, else `None` (a caller's
/// bug or a damaged page: a distance then says "far", never reads out of bounds).
fn cast<T: Copy>(bytes: &[u8]) -> Option<&[T]> {
    // SAFETY: T is u16 or f32 here, for which every bit pattern is valid.
    let (head, body, tail) = unsafe { bytes.align_to::<T>() };
    (head.is_empty() && tail.is_empty()).then_some(body)
}

/// Rounds up, so that a stored bound never undercuts what it bounds.
fn f32_at_least(x: f64) -> f32 {
    let y = x as f32;
    if (y as f64) < x { y.next_up() } else { y }
}

/// Encodes f32 values (already normalised, for cosine) into `bytes`, which must be
/// [`encoded_len`] long, zeroed and 4-byte aligned.
pub fn encode(values: &[f32], bytes: &mut [u8]) {
    let head = values_len(values.len());
    assert_eq!(bytes.len(), head + TRAILER);
    let (mut error, mut norm) = (0f64, 0f64);
    for (i, &x) in values.iter().enumerate() {
        let h = bf16::from_f32(x).unwrap_or(MAX_FINITE | (x.to_bits() >> 16) as u16 & 0x8000);
        let diff = x as f64 - bf16::to_f32(h) as f64;
        error += diff * diff;
        norm += x as f64 * x as f64;
        bytes[2 * i..2 * i + 2].copy_from_slice(&h.to_ne_bytes());
    }
    bytes[head..head + 4].copy_from_slice(&f32_at_least(sqrt(error)).to_ne_bytes());
    bytes[head + 4..head + 8].copy_from_slice(&f32_at_least(sqrt(norm)).to_ne_bytes());
}

/// One side of a distance: values, and the trailer with its rounding error and norm.
/// The trailer is read only after the values are summed: it sits at the vector's far end,
/// and loading it first made a search wait for that cache line before the sum began
/// (perf: a sixth of a native query in this file's functions themselves).
struct Side<'a> {
    values: &'a [u16],
    trailer: &'a [f32],
}

impl Side<'_> {
    fn error(&self) -> f32 {
        self.trailer[0]
    }
    fn norm(&self) -> f32 {
        self.trailer[1]
    }
}

fn side(bytes: &[u8]) -> Option<Side<'_>> {
    let head = bytes.len().checked_sub(TRAILER)?;
    let trailer = cast::<f32>(&bytes[head..])?;
    let values = cast::<u16>(&bytes[..head])?;
    Some(Side { values, trailer })
}

/// Both sides, trimmed to the dimensions they share (damaged pages may disagree), and the
/// accumulation margin's factor d·2⁻²³.
fn sides<'a>(a: &'a [u8], b: &'a [u8]) -> Option<(Side<'a>, Side<'a>, f32)> {
    let (mut a, mut b) = (side(a)?, side(b)?);
    let n = a.values.len().min(b.values.len());
    (a.values, b.values) = (&a.values[..n], &b.values[..n]);
    Some((a, b, n as f32 * f32::EPSILON))
}

/// A lower bound of ‖a − b‖², in the units hnsw's L2 metric compares. Infinite where the
/// f32 sums overflow (values beyond ~1e19): a search treats such elements as far away, and the
/// scan reports no bound for them (`order_by_value`).
pub fn squared_l2_lower_bound(a: &[u8], b: &[u8]) -> f32 {
    let Some((a, b, margin)) = sides(a, b) else { return f32::INFINITY };
    let distance = sqrt(bf16::squared_l2(a.values, b.values).max(0.0) as f64) as f32;
    let bound = distance * (1.0 - margin) - (a.error() + b.error()) - margin * (a.norm() + b.norm());
    if bound.is_nan() {
        return f32::INFINITY;
    }
    let bound = bound.max(0.0);
    bound * bound
}

/// A lower bound of −a·b, the inner-product metric (and cosine's, on unit vectors).
pub fn negative_inner_product_lower_bound(a: &[u8], b: &[u8]) -> f32 {
    let Some((a, b, margin)) = sides(a, b) else { return f32::INFINITY };
    let product = bf16::inner_product(a.values, b.values);
    let (a_hat, b_hat) = (a.norm() + a.error(), b.norm() + b.error());
    let slack = a_hat * b.error() + b_hat * a.error() + a.error() * b.error() + margin * a_hat * b_hat;
    let bound = -product - slack;
    // Overflowed sums (values beyond ~1e19) bound nothing: the smallest value is still true.
    if bound.is_finite() { bound } else { f32::NEG_INFINITY }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Encoded into u32 words, so the bytes are aligned as pages and queries are.
    struct Encoded(Vec<u32>);
    impl Encoded {
        fn as_slice(&self) -> &[u8] {
            // SAFETY: plain words viewed as their bytes.
            unsafe { core::slice::from_raw_parts(self.0.as_ptr().cast(), self.0.len() * 4) }
        }
    }
    fn encode(values: &[f32]) -> Encoded {
        let mut words = alloc::vec![0u32; encoded_len(values.len()) / 4];
        // SAFETY: as above, uniquely borrowed.
        let bytes = unsafe { core::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), words.len() * 4) };
        super::encode(values, bytes);
        Encoded(words)
    }

    fn rng(seed: &mut u64) -> f32 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((*seed >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }

    #[test]
    fn bounds_never_exceed_f64_distances() {
        let mut seed = 1;
        for dims in [1, 2, 3, 7, 64, 384, 1000] {
            for scale in [1e-30f32, 1e-3, 1.0, 1e6, 1e30] {
                for _ in 0..50 {
                    let a: Vec<f32> = (0..dims).map(|_| rng(&mut seed) * scale).collect();
                    let b: Vec<f32> = a.iter().map(|x| x + rng(&mut seed) * scale * 0.05).collect();
                    let (ea, eb) = (encode(&a), encode(&b));
                    let l2: f64 = a.iter().zip(&b).map(|(x, y)| (*x as f64 - *y as f64).powi(2)).sum::<f64>();
                    let dot: f64 = a.iter().zip(&b).map(|(x, y)| *x as f64 * *y as f64).sum();
                    let lb = squared_l2_lower_bound(ea.as_slice(), eb.as_slice()) as f64;
                    if l2 < f32::MAX as f64 / 4.0 {
                        assert!(lb <= l2, "l2 {dims} {scale}: {lb} > {l2}");
                        // Tight: off by about the rounding errors, not more. (Squares under
                        // f32's range sum to 0, as the executor's f32 sums do.)
                        let (sa, sb) = (side(ea.as_slice()).unwrap(), side(eb.as_slice()).unwrap());
                        let slack = 2.0 * (sa.error() + sb.error()) as f64 + 1e-4 * (sa.norm() + sb.norm()) as f64;
                        assert!(l2.sqrt() - lb.sqrt() <= slack || l2 < 1e-30, "l2 bound too loose: {lb} vs {l2}");
                    }
                    let ip = negative_inner_product_lower_bound(ea.as_slice(), eb.as_slice()) as f64;
                    // Below f32's range products vanish, in the executor's f32 sums as in ours.
                    assert!(ip <= -dot + 1e-37, "ip {dims} {scale}: {ip} > {}", -dot);
                }
            }
        }
    }

    #[test]
    fn values_beyond_bfloat16_are_bounded_too() {
        let a = [f32::MAX, -f32::MAX, 1.0];
        let b = [0.0, 0.0, 1.0];
        let (ea, eb) = (encode(&a), encode(&b));
        let lb = negative_inner_product_lower_bound(ea.as_slice(), eb.as_slice());
        assert!(lb <= -1.0, "{lb}");
    }

    #[test]
    fn equal_zero_vectors_bound_to_zero() {
        let z = encode(&[0.0; 5]);
        assert_eq!(squared_l2_lower_bound(z.as_slice(), z.as_slice()), 0.0);
        assert_eq!(negative_inner_product_lower_bound(z.as_slice(), z.as_slice()), 0.0);
    }
}
