//! What `vector` and `halfvec` share: pgvector gives both the same layout (a 16-bit dimension
//! count, a reserved 16-bit word, then the elements), the same text grammar, binary framing,
//! checks, ordering, arithmetic and aggregate states. Each is written once here, generic over
//! the element type ([`element::Element`]: `f32` or `F16`); the `vector` and `halfvec` modules
//! hold only the SQL objects, which name these.

pub mod aggregates;
pub mod arith;
pub mod binary;
pub mod casts;
pub mod compare;
pub mod element;
pub mod ops;
pub mod v1;
pub mod text;
pub mod varlena;
