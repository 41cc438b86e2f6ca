//! Popcount distances over Postgres `bit(n)` data, given as the bit string's
//! bytes. Postgres keeps the padding bits of the last byte zero, so counting
//! whole bytes is exact. Callers check that both strings have the same length.
//!
//! Words are counted with `u64::count_ones`; on x86_64 a copy of each kernel
//! compiled with POPCNT is chosen at run time, because the x86_64 baseline lacks
//! the instruction and the fallback bit-twiddling is several times slower.

/// Number of differing bits (pgvector `hamming_distance`, operator `<~>`).
pub fn hamming_distance(a: &[u8], b: &[u8]) -> u64 {
    debug_assert_eq!(a.len(), b.len());
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::has_popcnt() {
        // SAFETY: POPCNT was just checked.
        return unsafe { hamming_popcnt(a, b) };
    }
    hamming(a, b)
}

/// Jaccard distance 1 - |a ∧ b| / |a ∨ b| (pgvector `jaccard_distance`, `<%>`).
///
/// As in pgvector 0.8 (`BitJaccardDistance` in src/bitutils.c): when no bit is
/// set in both, the result is 1.0 without dividing. That covers two all-zero
/// strings, where the ratio would be 0/0; they are "fully distant", not NaN.
pub fn jaccard_distance(a: &[u8], b: &[u8]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    #[cfg(target_arch = "x86_64")]
    let (ab, aa, bb) = if crate::cpu::has_popcnt() {
        // SAFETY: POPCNT was just checked.
        unsafe { jaccard_counts_popcnt(a, b) }
    } else {
        jaccard_counts(a, b)
    };
    #[cfg(not(target_arch = "x86_64"))]
    let (ab, aa, bb) = jaccard_counts(a, b);
    if ab == 0 {
        return 1.0;
    }
    1.0 - ab as f64 / (aa + bb - ab) as f64
}

/// Walks both strings in u64 words then leftover bytes, summing `f(x, y)` over
/// each pair of words; zero-padding the tail would give the same sums, the
/// split just avoids a copy.
#[inline(always)]
fn fold_words<const N: usize>(a: &[u8], b: &[u8], f: impl Fn(u64, u64) -> [u64; N]) -> [u64; N] {
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    let mut acc = [0u64; N];
    let mut add = |v: [u64; N]| acc.iter_mut().zip(v).for_each(|(s, x)| *s += x);
    for (x, y) in ca.zip(cb) {
        let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap());
        add(f(word(x), word(y)));
    }
    for (&x, &y) in ra.iter().zip(rb) {
        add(f(x as u64, y as u64));
    }
    acc
}

#[inline(always)]
fn hamming(a: &[u8], b: &[u8]) -> u64 {
    fold_words(a, b, |x, y| [(x ^ y).count_ones() as u64])[0]
}

#[inline(always)]
fn jaccard_counts(a: &[u8], b: &[u8]) -> (u64, u64, u64) {
    let [ab, aa, bb] = fold_words(a, b, |x, y| {
        [
            (x & y).count_ones() as u64,
            x.count_ones() as u64,
            y.count_ones() as u64,
        ]
    });
    (ab, aa, bb)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn hamming_popcnt(a: &[u8], b: &[u8]) -> u64 {
    hamming(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
unsafe fn jaccard_counts_popcnt(a: &[u8], b: &[u8]) -> (u64, u64, u64) {
    jaccard_counts(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Rng;
    use alloc::vec::Vec;

    fn bit(s: &[u8], i: usize) -> bool {
        s[i / 8] & (0x80 >> (i % 8)) != 0
    }

    fn random_bits(rng: &mut Rng, nbits: usize, density: u64) -> Vec<u8> {
        let mut s = alloc::vec![0u8; nbits.div_ceil(8)];
        for i in 0..nbits {
            if rng.below(100) < density {
                s[i / 8] |= 0x80 >> (i % 8);
            }
        }
        s
    }

    #[test]
    fn match_bit_by_bit_reference() {
        let mut rng = Rng::new(21);
        for nbits in 0..=600 {
            let density = [0, 3, 50, 97, 100][nbits % 5];
            let (a, b) = (
                random_bits(&mut rng, nbits, density),
                random_bits(&mut rng, nbits, 50),
            );
            let diff = (0..nbits).filter(|&i| bit(&a, i) != bit(&b, i)).count() as u64;
            let both = (0..nbits).filter(|&i| bit(&a, i) && bit(&b, i)).count();
            let either = (0..nbits).filter(|&i| bit(&a, i) || bit(&b, i)).count();
            let jaccard = if both == 0 {
                1.0
            } else {
                1.0 - both as f64 / either as f64
            };
            assert_eq!(hamming_distance(&a, &b), diff, "nbits={nbits}");
            assert_eq!(hamming(&a, &b), diff);
            assert_eq!(jaccard_distance(&a, &b), jaccard, "nbits={nbits}");
        }
    }

    #[test]
    fn jaccard_edge_cases() {
        assert_eq!(jaccard_distance(&[0, 0], &[0, 0]), 1.0); // 0/0 is defined as 1, not NaN
        assert_eq!(jaccard_distance(&[0xF0], &[0x0F]), 1.0);
        assert_eq!(jaccard_distance(&[0xFF; 9], &[0xFF; 9]), 0.0);
        assert_eq!(jaccard_distance(&[0b1100_0000], &[0b1000_0000]), 0.5);
        assert_eq!(jaccard_distance(&[], &[]), 1.0);
        assert_eq!(hamming_distance(&[], &[]), 0);
    }
}
