//! What an index stores for one indexed value, and how two stored values are compared.
//!
//! The core algorithms see vectors as opaque byte strings; this file fixes their encoding per
//! SQL type (chosen from the operator class) and implements the core's `Metric` over it:
//!
//! | type        | bytes                                                   |
//! |-------------|---------------------------------------------------------|
//! | `vector`    | the float4 elements; in hnsw indexes under L2, inner product and cosine (format 2), bfloat16 with rounding bounds (`ruvector_core::bf16::bounded`) |
//! | `halfvec`   | the binary16 elements                                   |
//! | `sparsevec` | int32 nnz, int32 indices[nnz], float4 values[nnz]       |
//! | `bit`       | the bit string's bytes (the column's typmod fixes its length) |
//!
//! Distances only need to be monotonic in the SQL operator: L2 indexes compare squared L2, inner
//! product ones the negated product, cosine ones the negated product of unit vectors (values are
//! normalised on the way in, as pgvector's support function 2 asks).

use super::aligned::{AlignedBytes, cast_slice};
use crate::datum::VarlenaArg;
use crate::dense::varlena::DenseRef;
use crate::pgerror::raise;
use crate::sparsevec::SparseRef;
use crate::sqltypes::BitRef;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use ruvector_core::f16::F16;
use ruvector_core::sparse::SparseView;
use ruvector_core::f16::distance as half;
use ruvector_core::bf16::bounded as bounded_bf16;
use ruvector_core::{bits, distance, sparse};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementType {
    Vector,
    HalfVec,
    SparseVec,
    Bit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistanceKind {
    L2,
    InnerProduct,
    L1,
    Hamming,
    Jaccard,
}

/// How one index column is encoded and compared: fixed by its operator class.
#[derive(Clone, Copy, Debug)]
pub struct ValueKind {
    pub element: ElementType,
    pub distance: DistanceKind,
    /// Support function 2 present (the cosine operator classes): values are unit-normalised.
    pub normalize: bool,
    /// The column's typmod: dimensions (bits for `bit`), -1 when it has none.
    pub typmod: i32,
    /// The column's type: differs from the operator class's for `varbit` under a `bit` class.
    pub column_type: pg_sys::Oid,
    /// How this index stores its values: fixed when it was built (the hnsw metapage says).
    pub storage: Storage,
}

/// How an index stores values: as the type's own elements, or (`vector` in hnsw under L2,
/// inner product and cosine) as bfloat16 whose distances are lower bounds that the executor
/// rechecks (`ruvector_core::bf16::bounded`). The number is what the hnsw metapage keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    Exact = 0,
    BoundedBf16 = 1,
}

/// pgvector's limit on stored sparse vectors, kept for compatibility: an index accepts what
/// pgvector's would.
pub const MAX_SPARSE_NNZ: usize = 1000;

impl ValueKind {
    /// Reads the operator class of the index's only column. Errors with pgvector's text for a
    /// type no operator class of ours covers (someone's own opclass over other functions).
    ///
    /// # Safety
    /// `index` must be an open index relation.
    pub unsafe fn of_index(index: pg_sys::Relation) -> ValueKind {
        unsafe {
            let opcintype = *(*index).rd_opcintype;
            let element = element_type(opcintype)
                .unwrap_or_else(|| unsupported("type not supported for index"));
            let distance_proc = pg_sys::index_getprocid(index, 1, 1);
            let name = cstr_or_empty(pg_sys::get_func_name(distance_proc));
            let distance = match name.as_str() {
                "vector_l2_squared_distance" | "halfvec_l2_squared_distance"
                | "sparsevec_l2_squared_distance" => DistanceKind::L2,
                "vector_negative_inner_product" | "halfvec_negative_inner_product"
                | "sparsevec_negative_inner_product" => DistanceKind::InnerProduct,
                "l1_distance" => DistanceKind::L1,
                "hamming_distance" => DistanceKind::Hamming,
                "jaccard_distance" => DistanceKind::Jaccard,
                _ => unsupported("distance function not supported for index"),
            };
            let normalize = pg_sys::index_getprocid(index, 1, 2) != pg_sys::InvalidOid;
            let attr = first_attribute((*index).rd_att);
            ValueKind {
                element,
                distance,
                normalize,
                typmod: (*attr).atttypmod,
                column_type: (*attr).atttypid,
                storage: Storage::Exact,
            }
        }
    }

    /// The storage a new hnsw index of this kind gets: bfloat16 with bounds where those
    /// kernels and bounds exist (`vector` under L2 and inner product, so cosine too).
    pub fn storage_for_new_hnsw(&self) -> Storage {
        let bounded = self.element == ElementType::Vector
            && matches!(self.distance, DistanceKind::L2 | DistanceKind::InnerProduct);
        if bounded { Storage::BoundedBf16 } else { Storage::Exact }
    }

    /// This kind as an index stores it, from the number its metapage keeps. An encoding this
    /// build does not know, or one that does not fit the operator class, is a corrupt index.
    pub fn stored_as(self, encoding: u8) -> ValueKind {
        let storage = match encoding {
            0 => Storage::Exact,
            1 if self.storage_for_new_hnsw() == Storage::BoundedBf16 => Storage::BoundedBf16,
            _ => raise(ERRCODE_INDEX_CORRUPTED, format!("index has an unknown value encoding {encoding}")),
        };
        ValueKind { storage, ..self }
    }

    /// The SQL operator's value that the metric's distance `metric` stands for, when the index
    /// must report it: bounded storage gives lower bounds, which the executor rechecks against
    /// the row and reorders by (`xs_recheckorderby`). `None` for exact storage (order only).
    pub fn order_by_value(&self, metric: f32) -> Option<f64> {
        if self.storage != Storage::BoundedBf16 {
            return None;
        }
        let metric = metric as f64;
        Some(match self.distance {
            // Infinite only where f32 sums overflowed: 0 is still a true bound.
            DistanceKind::L2 if metric.is_finite() => metric.sqrt(),
            DistanceKind::L2 => 0.0,
            // Cosine: the negated product of unit vectors, and `<=>` is 1 minus the product.
            DistanceKind::InnerProduct if self.normalize => 1.0 + metric,
            _ => metric,
        })
    }

    /// [`of_index`](Self::of_index), cached for the statement in `ii_AmCache`: a multi-row
    /// INSERT would otherwise repeat its catalog lookups for every row.
    ///
    /// # Safety
    /// `index` must be an open index relation; `index_info` null or its IndexInfo.
    pub unsafe fn cached(index: pg_sys::Relation, index_info: *mut pg_sys::IndexInfo) -> ValueKind {
        unsafe {
            if index_info.is_null() {
                return ValueKind::of_index(index);
            }
            if (*index_info).ii_AmCache.is_null() {
                let kind = ValueKind::of_index(index);
                let slot = pg_sys::MemoryContextAlloc((*index_info).ii_Context, core::mem::size_of::<ValueKind>())
                    .cast::<ValueKind>();
                slot.write(kind);
                (*index_info).ii_AmCache = slot.cast();
            }
            *(*index_info).ii_AmCache.cast::<ValueKind>()
        }
    }

    /// Encodes a (non-null) indexed value. `None` when it cannot be ordered: a zero vector under
    /// a cosine operator class (its distance to anything is NaN), which pgvector leaves out too.
    ///
    /// # Safety
    /// `datum` must be a non-null value of the column's type.
    pub unsafe fn encode(&self, datum: pg_sys::Datum) -> Option<AlignedBytes> {
        let encoded = unsafe { self.encode_raw(datum) };
        if self.element == ElementType::SparseVec && sparse_nnz(encoded.as_slice()) > MAX_SPARSE_NNZ {
            raise(
                ERRCODE_PROGRAM_LIMIT_EXCEEDED,
                format!("sparsevec cannot have more than {MAX_SPARSE_NNZ} non-zero elements for hnsw index"),
            );
        }
        let encoded = if self.normalize { normalized(self.element, encoded)? } else { encoded };
        Some(self.stored(encoded))
    }

    /// Exact-storage bytes in the index's storage.
    fn stored(&self, encoded: AlignedBytes) -> AlignedBytes {
        match self.storage {
            Storage::Exact => encoded,
            Storage::BoundedBf16 => {
                let values = cast_slice::<f32>(encoded.as_slice()).expect("aligned f32 values");
                let mut out = AlignedBytes::zeroed(bounded_bf16::encoded_len(values.len()));
                bounded_bf16::encode(values, out.as_mut_slice());
                out
            }
        }
    }

    /// Encodes a query value; a zero query under cosine stays zero (every distance ties), as
    /// pgvector's scan does.
    ///
    /// # Safety
    /// As for [`encode`](Self::encode).
    pub unsafe fn encode_query(&self, datum: pg_sys::Datum) -> AlignedBytes {
        let encoded = unsafe { self.encode_raw(datum) };
        let encoded = if self.normalize {
            normalized(self.element, encoded.clone()).unwrap_or(encoded)
        } else {
            encoded
        };
        self.stored(encoded)
    }

    unsafe fn encode_raw(&self, datum: pg_sys::Datum) -> AlignedBytes {
        unsafe {
            match self.element {
                ElementType::Vector => {
                    let v = <DenseRef<f32> as VarlenaArg>::from_datum(datum);
                    AlignedBytes::from_slice(as_bytes(v.as_slice()))
                }
                ElementType::HalfVec => {
                    let v = <DenseRef<F16> as VarlenaArg>::from_datum(datum);
                    AlignedBytes::from_slice(as_bytes(v.as_slice()))
                }
                ElementType::SparseVec => {
                    let v = <SparseRef as VarlenaArg>::from_datum(datum);
                    encode_sparse(v.indices(), v.values())
                }
                ElementType::Bit => {
                    let v = BitRef::from_polymorphic_datum(datum, false, pg_sys::BITOID)
                        .expect("non-null bit datum");
                    AlignedBytes::from_slice(v.bytes)
                }
            }
        }
    }
}

/// `TupleDescAttr(desc, 0)`, a static inline function in C. PostgreSQL 18 put an array of
/// compact attributes in front of the full ones.
unsafe fn first_attribute(desc: pg_sys::TupleDesc) -> *const pg_sys::FormData_pg_attribute {
    unsafe {
        #[cfg(feature = "pg18")]
        {
            let compact = (*desc).compact_attrs.as_ptr();
            compact.add((*desc).natts as usize).cast()
        }
        #[cfg(not(feature = "pg18"))]
        {
            (*desc).attrs.as_ptr()
        }
    }
}

unsafe fn element_type(type_oid: pg_sys::Oid) -> Option<ElementType> {
    if type_oid == pg_sys::BITOID {
        return Some(ElementType::Bit);
    }
    // Our types have no fixed OIDs; their names do not change. format_type_be qualifies the
    // name only when the schema is not on the search path, so compare the last component.
    let name = unsafe { cstr_or_empty(pg_sys::format_type_be(type_oid)) };
    match name.rsplit('.').next().unwrap_or("") {
        "vector" => Some(ElementType::Vector),
        "halfvec" => Some(ElementType::HalfVec),
        "sparsevec" => Some(ElementType::SparseVec),
        _ => None,
    }
}

unsafe fn cstr_or_empty(ptr: *const core::ffi::c_char) -> String {
    if ptr.is_null() {
        return String::new();
    }
    unsafe { core::ffi::CStr::from_ptr(ptr) }.to_string_lossy().into_owned()
}

fn unsupported(message: &'static str) -> ! {
    raise(ERRCODE_FEATURE_NOT_SUPPORTED, message)
}

fn as_bytes<T: Copy>(values: &[T]) -> &[u8] {
    // SAFETY: plain numbers viewed as their bytes.
    unsafe { core::slice::from_raw_parts(values.as_ptr().cast::<u8>(), core::mem::size_of_val(values)) }
}

fn encode_sparse(indices: &[i32], values: &[f32]) -> AlignedBytes {
    let nnz = indices.len();
    let mut out = AlignedBytes::zeroed(4 + 8 * nnz);
    let bytes = out.as_mut_slice();
    bytes[..4].copy_from_slice(&(nnz as i32).to_ne_bytes());
    bytes[4..4 + 4 * nnz].copy_from_slice(as_bytes(indices));
    bytes[4 + 4 * nnz..].copy_from_slice(as_bytes(values));
    out
}

fn sparse_nnz(bytes: &[u8]) -> usize {
    cast_slice::<i32>(bytes).and_then(|w| w.first()).map_or(0, |&n| n.max(0) as usize)
}

/// (indices, values) of an encoded sparse vector; empty on a malformed one.
fn decode_sparse(bytes: &[u8]) -> SparseView<'_> {
    let Some(words) = cast_slice::<i32>(bytes) else { return SparseView::new(&[], &[]) };
    let nnz = words.first().copied().unwrap_or(0).max(0) as usize;
    if words.len() < 1 + 2 * nnz {
        return SparseView::new(&[], &[]);
    }
    let indices = &words[1..1 + nnz];
    let values = cast_slice::<f32>(&bytes[4 + 4 * nnz..]).unwrap_or(&[]);
    SparseView::new(indices, &values[..nnz.min(values.len())])
}

/// The value scaled to unit length, or `None` for a zero vector.
fn normalized(element: ElementType, mut encoded: AlignedBytes) -> Option<AlignedBytes> {
    match element {
        ElementType::Vector => {
            let values: &mut [f32] = cast_slice_mut(encoded.as_mut_slice());
            let norm = distance::norm(values);
            if norm == 0.0 {
                return None;
            }
            values.iter_mut().for_each(|x| *x = (*x as f64 / norm) as f32);
        }
        ElementType::HalfVec => {
            let halves: &mut [F16] = cast_slice_mut(encoded.as_mut_slice());
            let norm = half::norm(halves);
            if norm == 0.0 {
                return None;
            }
            for h in halves.iter_mut() {
                *h = F16::from_f32_unchecked((h.to_f32() as f64 / norm) as f32);
            }
        }
        ElementType::SparseVec => {
            let nnz = cast_slice::<i32>(encoded.as_slice()).map_or(0, |w| w[0].max(0) as usize);
            let values: &mut [f32] = cast_slice_mut(&mut encoded.as_mut_slice()[4 + 4 * nnz..]);
            let norm = values.iter().map(|x| (*x as f64) * (*x as f64)).sum::<f64>().sqrt();
            if norm == 0.0 {
                return None;
            }
            values.iter_mut().for_each(|x| *x = (*x as f64 / norm) as f32);
        }
        ElementType::Bit => {}
    }
    Some(encoded)
}

fn cast_slice_mut<T: Copy>(bytes: &mut [u8]) -> &mut [T] {
    // SAFETY: AlignedBytes storage is 8-aligned and T is a plain number type.
    let (head, body, _) = unsafe { bytes.align_to_mut::<T>() };
    debug_assert!(head.is_empty());
    body
}

impl ruvector_core::hnsw::Metric for ValueKind {
    #[inline]
    fn distance(&self, a: &[u8], b: &[u8]) -> f32 {
        // An empty side is a NULL query (ORDER BY v <-> NULL): every element ties, as in pgvector.
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        match self.element {
            ElementType::Vector if self.storage == Storage::BoundedBf16 => match self.distance {
                DistanceKind::L2 => bounded_bf16::squared_l2_lower_bound(a, b),
                _ => bounded_bf16::negative_inner_product_lower_bound(a, b),
            },
            ElementType::Vector => {
                let (Some(a), Some(b)) = (cast_slice::<f32>(a), cast_slice::<f32>(b)) else {
                    return f32::INFINITY;
                };
                match self.distance {
                    DistanceKind::L2 => distance::squared_l2(a, b),
                    DistanceKind::InnerProduct => -distance::inner_product(a, b),
                    DistanceKind::L1 => distance::l1(a, b),
                    _ => f32::INFINITY,
                }
            }
            ElementType::HalfVec => {
                let (Some(a), Some(b)) = (cast_slice::<F16>(a), cast_slice::<F16>(b)) else {
                    return f32::INFINITY;
                };
                match self.distance {
                    DistanceKind::L2 => half::squared_l2(a, b),
                    DistanceKind::InnerProduct => -half::inner_product(a, b),
                    DistanceKind::L1 => half::l1(a, b),
                    _ => f32::INFINITY,
                }
            }
            ElementType::SparseVec => {
                let (a, b) = (decode_sparse(a), decode_sparse(b));
                match self.distance {
                    DistanceKind::L2 => sparse::squared_l2(a, b),
                    DistanceKind::InnerProduct => -sparse::inner_product(a, b),
                    DistanceKind::L1 => sparse::l1(a, b),
                    _ => f32::INFINITY,
                }
            }
            ElementType::Bit => match self.distance {
                DistanceKind::Hamming => bits::hamming_distance(a, b) as f32,
                DistanceKind::Jaccard => bits::jaccard_distance(a, b) as f32,
                _ => f32::INFINITY,
            },
        }
    }
}
