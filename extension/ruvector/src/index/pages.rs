//! `ruvector_index_contents(regclass) RETURNS bytea`: the payload of every page of an index of
//! ours (what the core algorithms wrote; Postgres' page header, which holds the LSN and
//! checksum, left out), concatenated in block order, 8,168 bytes a page. Tests hash it to show
//! that the same rows give a byte-identical index natively and in PGlite; it is also a
//! debugging aid next to `ruvector_index_check`. One value rather than a row per page: a second
//! set-returning function made the linker keep pgrx's generic SRF memory-context code, which
//! names contexts PGlite does not export.

use super::am::INSERT_LOCK;
use super::page_store::BufferPageStore;
use crate::hnsw::handler::is_hnsw;
use crate::ivfflat::handler::is_ivfflat;
use crate::pgerror::raise;
use crate::rabitq::handler::is_rabitq;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;
use ruvector_core::pagestore::PageStore;

#[pg_extern(sql = "CREATE FUNCTION ruvector_index_contents(index regclass) RETURNS bytea
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C STRICT VOLATILE;")]
fn ruvector_index_contents(index: pg_sys::Oid) -> Vec<u8> {
    unsafe {
        let relation = pg_sys::relation_open(index, pg_sys::AccessShareLock as i32);
        let is_index = (*(*relation).rd_rel).relkind == pg_sys::RELKIND_INDEX as core::ffi::c_char;
        if !is_index || !(is_hnsw(relation) || is_ivfflat(relation) || is_rabitq(relation)) {
            let name = core::ffi::CStr::from_ptr((*(*relation).rd_rel).relname.data.as_ptr());
            raise(ERRCODE_WRONG_OBJECT_TYPE, format!("\"{}\" is not an index of ruvector's", name.to_string_lossy()));
        }
        // Hold off inserts and vacuum so the pages come from one state of the index.
        pg_sys::LockPage(relation, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let store = BufferPageStore::logged(relation);
        let mut bytes = Vec::new();
        for block in 0..store.page_count() {
            store.read(block, |page| bytes.extend_from_slice(page));
        }
        pg_sys::UnlockPage(relation, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        pg_sys::relation_close(relation, pg_sys::AccessShareLock as i32);
        bytes
    }
}
