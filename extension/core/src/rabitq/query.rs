//! Per-(query, list) precomputation: the rotated query residual, quantised to 4-bit
//! unsigned integers and stored as bit planes, so that Σ over set code bits of q'ᵢ is
//! Σⱼ 2ʲ·popcount(code ∧ planeⱼ) — exact integers, identical on every kernel path.
use super::{QUERY_BITS, Rotation};
use alloc::vec::Vec;

#[derive(Clone, Debug)]
pub struct QueryPrep {
    /// QUERY_BITS planes of `words` u64 each: plane j holds bit j of every quantised q̄ᵢ.
    pub(crate) planes: Vec<u64>,
    pub(crate) words: usize,
    /// ⟨ō, q'⟩ ≈ s·scale_sum + popcount·scale_popcount − offset, where s = Σ_{bits set} q̄ᵢ.
    pub(crate) scale_sum: f32,
    pub(crate) scale_popcount: f32,
    pub(crate) offset: f32,
    /// ‖q_r‖² and 2‖q_r‖.
    pub(crate) query_norm2: f32,
    pub(crate) two_query_norm: f32,
    /// ε0/√(D − 1): the bound's per-dimension factor.
    pub(crate) bound_scale: f32,
    /// ⟨c, q⟩, for inner-product estimates.
    pub(crate) center_query_dot: f32,
    /// The query side of the refinement by extra bits ([`super::ex`]), when asked for.
    pub(crate) fine: Option<super::ex::FineQuery>,
}

impl QueryPrep {
    /// Prepares `query` for scanning the codes of the list with `centroid`, with bounds at
    /// the paper's ε0 = 1.9.
    pub fn new(rotation: &Rotation, query: &[f32], centroid: &[f32]) -> QueryPrep {
        QueryPrep::with_epsilon(rotation, query, centroid, super::EPSILON0)
    }

    /// As [`new`](Self::new), with bounds at `epsilon0` standard deviations.
    pub fn with_epsilon(rotation: &Rotation, query: &[f32], centroid: &[f32], epsilon0: f64) -> QueryPrep {
        QueryPrep::with_refinement(rotation, query, centroid, epsilon0, None)
    }

    /// As [`with_epsilon`](Self::with_epsilon), also prepared to [`refine`](super::refine)
    /// codes with extra bits, their bounds at `fine_epsilon0` standard deviations.
    pub fn with_refinement(rotation: &Rotation, query: &[f32], centroid: &[f32], epsilon0: f64, fine_epsilon0: Option<f64>) -> QueryPrep {
        let residual: Vec<f32> = query.iter().zip(centroid).map(|(q, c)| q - c).collect();
        let center_query_dot: f64 = query.iter().zip(centroid).map(|(&q, &c)| q as f64 * c as f64).sum();
        let rotated = rotation.rotate(&residual);
        let padded = rotated.len();
        let words = padded / 64;
        let norm2: f64 = rotated.iter().map(|&v| v as f64 * v as f64).sum();
        let norm = crate::math::sqrt(norm2);
        let inv_norm = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        // Unit query q' = rotated / ‖q_r‖, quantised uniformly between its min and max.
        let unit = |v: f32| v as f64 * inv_norm;
        let low = rotated.iter().map(|&v| unit(v)).fold(f64::INFINITY, f64::min);
        let high = rotated.iter().map(|&v| unit(v)).fold(f64::NEG_INFINITY, f64::max);
        let levels = ((1u32 << QUERY_BITS) - 1) as f64;
        let step = (high - low) / levels;
        let mut planes = alloc::vec![0u64; QUERY_BITS as usize * words];
        let mut level_sum = 0u64;
        // A word of each plane at a time, built in registers (rotated is words × 64 long).
        for (w, chunk) in rotated.chunks_exact(64).enumerate() {
            let mut bits = [0u64; QUERY_BITS as usize];
            for (i, &v) in chunk.iter().enumerate() {
                let level = if step > 0.0 { ((unit(v) - low) / step + 0.5) as u64 } else { 0 }.min(levels as u64);
                level_sum += level;
                for (j, plane) in bits.iter_mut().enumerate() {
                    *plane |= (level >> j & 1) << i;
                }
            }
            for (j, plane) in bits.into_iter().enumerate() {
                planes[j * words + w] = plane;
            }
        }
        // ⟨ō, q'⟩ = (2·Σ_{set} q'ᵢ − Σ q'ᵢ)/√D with q'ᵢ ≈ low + step·q̄ᵢ.
        let inv_sqrt_d = 1.0 / crate::math::sqrt(padded as f64);
        let total = step * level_sum as f64 + low * padded as f64;
        let bound_scale = epsilon0 / crate::math::sqrt((padded - 1) as f64);
        let fine = fine_epsilon0.map(|e| {
            let units: Vec<f64> = rotated.iter().map(|&v| unit(v)).collect();
            super::ex::FineQuery::new(&units, e)
        });
        QueryPrep {
            planes,
            words,
            scale_sum: (2.0 * step * inv_sqrt_d) as f32,
            scale_popcount: (2.0 * low * inv_sqrt_d) as f32,
            offset: (total * inv_sqrt_d) as f32,
            query_norm2: norm2 as f32,
            two_query_norm: (2.0 * norm) as f32,
            bound_scale: bound_scale as f32,
            center_query_dot: center_query_dot as f32,
            fine,
        }
    }

    /// ‖q − c‖².
    pub fn residual_norm2(&self) -> f32 {
        self.query_norm2
    }

    /// Turns an estimated squared distance into an estimated inner product ⟨x, q⟩, using
    /// ⟨x, q⟩ = ⟨c, q⟩ + ⟨r, c⟩ + ⟨r, q_r⟩ and ⟨r, q_r⟩ = (‖r‖² + ‖q_r‖² − ‖r − q_r‖²)/2.
    /// Its error bound is half the distance's.
    pub fn inner_product(&self, code_norm: f32, code_center_dot: f32, distance2: f32) -> f32 {
        let residual_ip = (code_norm as f64 * code_norm as f64 + self.query_norm2 as f64 - distance2 as f64) * 0.5;
        (self.center_query_dot as f64 + code_center_dot as f64 + residual_ip) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::{QUERY_BITS, QueryPrep, Rotation};
    use crate::testutil::Rng;
    use alloc::vec::Vec;

    /// The planes and the offset as the previous loop built them: one coordinate at a time.
    fn reference(rotated: &[f32], words: usize) -> (Vec<u64>, f32) {
        let norm = crate::math::sqrt(rotated.iter().map(|&v| v as f64 * v as f64).sum::<f64>());
        let inv_norm = if norm > 0.0 { 1.0 / norm } else { 0.0 };
        let unit: Vec<f64> = rotated.iter().map(|&v| v as f64 * inv_norm).collect();
        let low = unit.iter().copied().fold(f64::INFINITY, f64::min);
        let high = unit.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let levels = ((1u32 << QUERY_BITS) - 1) as f64;
        let step = (high - low) / levels;
        let mut planes = alloc::vec![0u64; QUERY_BITS as usize * words];
        let mut level_sum = 0u64;
        for (i, &u) in unit.iter().enumerate() {
            let level = if step > 0.0 { ((u - low) / step + 0.5) as u64 } else { 0 }.min(levels as u64);
            level_sum += level;
            for j in 0..QUERY_BITS as usize {
                planes[j * words + i / 64] |= (level >> j & 1) << (i % 64);
            }
        }
        let padded = rotated.len();
        let inv_sqrt_d = 1.0 / crate::math::sqrt(padded as f64);
        (planes, ((step * level_sum as f64 + low * padded as f64) * inv_sqrt_d) as f32)
    }

    #[test]
    fn planes_match_the_per_coordinate_loop() {
        let mut rng = Rng::new(4);
        for dims in [1, 64, 100, 384, 1999] {
            let rotation = Rotation::new(dims, 3);
            let centroid: Vec<f32> = (0..dims).map(|_| rng.unit()).collect();
            // Ordinary, equal to the centroid (all-zero residual: one level), and large queries.
            for scale in [1.0, 0.0, 1e6] {
                let query: Vec<f32> = centroid.iter().map(|c| c + scale * rng.unit()).collect();
                let prep = QueryPrep::new(&rotation, &query, &centroid);
                let residual: Vec<f32> = query.iter().zip(&centroid).map(|(q, c)| q - c).collect();
                let (planes, offset) = reference(&rotation.rotate(&residual), prep.words);
                assert_eq!(prep.planes, planes, "dims {dims} scale {scale}");
                assert_eq!(prep.offset.to_bits(), offset.to_bits(), "dims {dims} scale {scale}");
            }
        }
    }
}
