//! How an existing hnsw index's values are encoded: the operator class says the type and
//! metric, the metapage how the build stored them (bfloat16 with bounds since format 2, or
//! the type's own elements). Every callback after the build asks here.

use super::build::core_error;
use crate::index::page_store::BufferPageStore;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::hnsw;

/// # Safety
/// `index` must be an open hnsw index.
pub unsafe fn of_index(index: pg_sys::Relation) -> ValueKind {
    unsafe {
        let store = BufferPageStore::logged(index);
        let meta = hnsw::read_meta(&store).unwrap_or_else(|e| core_error(e));
        ValueKind::of_index(index).stored_as(meta.value_encoding)
    }
}
