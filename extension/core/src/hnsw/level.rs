//! Level assignment: geometric with p = 1/m, i.e. P(level >= l) = m^-l, as in the HNSW paper
//! with mL = 1/ln(m). Drawn from a PRNG seeded by the heap tid, so that building the same
//! table twice gives the same graph (and the same pages), with no libm needed.
use super::HeapTid;
use super::layout::max_level;

/// SplitMix64's output function: a bijective mixer, so distinct tids give independent-looking draws.
#[inline]
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The level of a new element with this heap tid.
pub(crate) fn level_for(tid: HeapTid, m: usize) -> u8 {
    let draw = splitmix64(((tid.block as u64) << 16) | tid.offset as u64);
    level_from_draw(draw, m)
}

/// Counts how many successive factors of 1/m a uniform u64 stays below.
fn level_from_draw(draw: u64, m: usize) -> u8 {
    let cap = max_level(m);
    let mut threshold = u64::MAX / m as u64;
    let mut level = 0u8;
    while level < cap && draw < threshold {
        level += 1;
        threshold /= m as u64;
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_roughly_geometric() {
        let m = 4usize;
        let n = 200_000u32;
        let mut at_least = [0u32; 8];
        for i in 0..n {
            let level = level_for(
                HeapTid {
                    block: i / 100,
                    offset: (i % 100) as u16 + 1,
                },
                m,
            ) as usize;
            for count in &mut at_least[..=level.min(7)] {
                *count += 1;
            }
        }
        // P(level >= l) = 4^-l: expect n, n/4, n/16, n/64, ...
        for (l, &count) in at_least.iter().enumerate().take(6).filter(|&(l, _)| l >= 1) {
            let want = n as f64 / (m as f64).powi(l as i32);
            let got = count as f64;
            assert!(
                (got - want).abs() < 5.0 * want.sqrt() + 2.0,
                "level >= {l}: got {got}, want {want}"
            );
        }
    }

    #[test]
    fn cap_is_respected() {
        // A u64 draw cannot express probabilities below 2^-64, so for large m the cap is not
        // even reachable; it must never be exceeded.
        for m in [2, 3, 16, 50, 100] {
            assert!(level_from_draw(0, m) <= max_level(m));
            assert!(level_from_draw(1, m) <= max_level(m));
        }
        assert_eq!(level_from_draw(u64::MAX, 16), 0);
        assert_eq!(level_from_draw(0, 2), 16);
    }

    #[test]
    fn levels_are_deterministic() {
        let tid = HeapTid {
            block: 12,
            offset: 3,
        };
        assert_eq!(level_for(tid, 16), level_for(tid, 16));
    }
}
