//! The total order on `vector` and `halfvec` values (element by element, then by length, like
//! Postgres arrays) that their comparison operators and btree operator classes use.

use super::element::Element;
use super::varlena::DenseRef;
use core::cmp::Ordering;

/// pgvector's `vector_cmp_internal` / `halfvec_cmp_internal`. Elements are never NaN, so
/// `<`/`>` decide fully; -0 and 0 compare equal.
pub fn compare<E: Element>(a: DenseRef<'_, E>, b: DenseRef<'_, E>) -> Ordering {
    let (a, b) = (a.as_slice(), b.as_slice());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_f32(), y.to_f32());
        if x < y {
            return Ordering::Less;
        }
        if x > y {
            return Ordering::Greater;
        }
    }
    a.len().cmp(&b.len())
}
