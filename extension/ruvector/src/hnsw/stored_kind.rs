//! How an existing hnsw index's values are encoded: the operator class says the type and
//! metric, the metapage how the build stored them (bfloat16 with bounds since format 2, or
//! the type's own elements). Every callback after the build asks here.
//!
//! The answer is kept in the relcache entry (`rd_amcache`) for as long as the entry lives:
//! finding it takes catalog lookups and a metapage read, which every query's scan would repeat
//! (in PGlite each guarded catalog call is a JavaScript trampoline). It cannot change while the
//! entry lives: the encoding is fixed when the index's storage is created, and REINDEX or any
//! change of opclass gives new storage, which invalidates the entry (and frees `rd_amcache`).

use super::build::core_error;
use crate::index::page_store::BufferPageStore;
use crate::index::value::ValueKind;
use pgrx::pg_sys;
use ruvector_core::hnsw;

/// # Safety
/// `index` must be an open hnsw index.
pub unsafe fn of_index(index: pg_sys::Relation) -> ValueKind {
    unsafe {
        let cached = (*index).rd_amcache.cast::<ValueKind>();
        if !cached.is_null() {
            return *cached;
        }
        let store = BufferPageStore::logged(index);
        let meta = hnsw::read_meta(&store).unwrap_or_else(|e| core_error(e));
        let kind = ValueKind::of_index(index).stored_as(meta.value_encoding);
        let slot = pg_sys::MemoryContextAlloc((*index).rd_indexcxt, core::mem::size_of::<ValueKind>())
            .cast::<ValueKind>();
        slot.write(kind);
        (*index).rd_amcache = slot.cast();
        kind
    }
}
