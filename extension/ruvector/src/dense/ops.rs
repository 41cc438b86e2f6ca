//! The distance functions of `vector` and `halfvec`: pgvector's dimension check, then the
//! element type's kernels from `ruvector_core`, finished in f64 as pgvector does.

use super::element::Element;
use super::varlena::DenseRef;

/// The distances on two element slices of equal length: shared by the pgrx functions below and
/// the raw V1 entry points of `super::v1`, so both return the very same values.
pub mod slices {
    use super::Element;

    /// `<->`: √ of the f32 squared distance, taken in f64.
    #[inline]
    pub fn l2_distance<E: Element>(a: &[E], b: &[E]) -> f64 {
        l2_squared_distance(a, b).sqrt()
    }

    #[inline]
    pub fn l2_squared_distance<E: Element>(a: &[E], b: &[E]) -> f64 {
        f64::from(E::squared_l2(a, b))
    }

    #[inline]
    pub fn inner_product<E: Element>(a: &[E], b: &[E]) -> f64 {
        f64::from(E::inner_product(a, b))
    }

    /// `<#>`: negated in f32 then widened, as pgvector does (the same value either way).
    #[inline]
    pub fn negative_inner_product<E: Element>(a: &[E], b: &[E]) -> f64 {
        -inner_product(a, b)
    }

    #[inline]
    pub fn cosine_distance<E: Element>(a: &[E], b: &[E]) -> f64 {
        E::cosine_distance(a, b)
    }

    #[inline]
    pub fn l1_distance<E: Element>(a: &[E], b: &[E]) -> f64 {
        f64::from(E::l1(a, b))
    }
}

/// The two element slices of a binary operation, after pgvector's dimension check.
#[inline]
fn pair<'a, E: Element>(a: DenseRef<'a, E>, b: DenseRef<'a, E>) -> (&'a [E], &'a [E]) {
    E::TYPE.check_same_dims(a.dim() as i64, b.dim() as i64);
    (a.as_slice(), b.as_slice())
}

pub fn l2_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::l2_distance(a, b)
}

pub fn l2_squared_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::l2_squared_distance(a, b)
}

pub fn inner_product<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::inner_product(a, b)
}

pub fn negative_inner_product<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::negative_inner_product(a, b)
}

pub fn cosine_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::cosine_distance(a, b)
}

pub fn l1_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    let (a, b) = pair(a, b);
    slices::l1_distance(a, b)
}

/// Angular distance in [0, 1] for unit vectors (ivfflat's spherical k-means); skips the norms,
/// as pgvector does, and clamps so rounding cannot push `acos` out of its domain.
pub fn spherical_distance<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> f64 {
    inner_product(a, b).clamp(-1.0, 1.0).acos() / core::f64::consts::PI
}

pub fn norm<E: Element>(a: DenseRef<'_, E>) -> f64 {
    E::norm(a.as_slice())
}
