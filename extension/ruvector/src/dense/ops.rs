//! The distance functions of `vector` and `halfvec`: pgvector's dimension check, then the
//! element type's kernels from `ruvector_core`, finished in f64 as pgvector does.

use super::element::Element;
use super::varlena::DenseRef;

/// The two element slices of a binary operation, after pgvector's dimension check.
#[inline]
fn pair<'a, E: Element>(a: DenseRef<'a, E>, b: DenseRef<'a, E>) -> (&'a [E], &'a [E]) {
    E::TYPE.check_same_dims(a.dim() as i64, b.dim() as i64);
    (a.as_slice(), b.as_slice())
}

/// `<->`: √ of the f32 squared distance, taken in f64.
pub fn l2_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    f64::from(l2_squared_distance_f32(a, b)).sqrt()
}

pub fn l2_squared_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    f64::from(l2_squared_distance_f32(a, b))
}

fn l2_squared_distance_f32<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f32 {
    let (a, b) = pair(a, b);
    E::squared_l2(a, b)
}

pub fn inner_product<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    f64::from(E::inner_product(a, b))
}

/// `<#>`: negated in f32 then widened, as pgvector does (the same value either way).
pub fn negative_inner_product<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    -inner_product(a, b)
}

pub fn cosine_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    E::cosine_distance(a, b)
}

pub fn l1_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    f64::from(E::l1(a, b))
}

/// Angular distance in [0, 1] for unit vectors (ivfflat's spherical k-means); skips the norms,
/// as pgvector does, and clamps so rounding cannot push `acos` out of its domain.
pub fn spherical_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    inner_product(a, b).clamp(-1.0, 1.0).acos() / core::f64::consts::PI
}

pub fn norm<E: Element>(a: DenseRef<'_, E>) -> f64 {
    E::norm(a.as_slice())
}
