//! `ruvector_index_check(regclass)`: walks an index of ours and returns one row per structural
//! problem (bad neighbour references, unreachable elements, heap tids whose heap slot is gone,
//! a bad metapage), none when the index is sound. Tests assert with it after builds, inserts,
//! VACUUM and crash recovery; users can run it after anything that worries them.

use super::heap::HeapLiveness;
use super::page_store::BufferPageStore;
use crate::hnsw::handler::is_hnsw;
use crate::ivfflat::handler::is_ivfflat;
use crate::rabitq::handler::is_rabitq;
use crate::index::am::INSERT_LOCK;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::prelude::*;

#[pg_extern(sql = "CREATE FUNCTION ruvector_index_check(index regclass)
	RETURNS TABLE (problem text, block bigint, item integer, detail text)
	AS 'MODULE_PATHNAME', '@FUNCTION_NAME@' LANGUAGE C STRICT VOLATILE;")]
fn ruvector_index_check(
    index: pg_sys::Oid,
) -> TableIterator<'static, (name!(problem, String), name!(block, i64), name!(item, i32), name!(detail, String))> {
    let rows = unsafe {
        let relation = pg_sys::relation_open(index, pg_sys::AccessShareLock as i32);
        let is_index = (*(*relation).rd_rel).relkind == pg_sys::RELKIND_INDEX as core::ffi::c_char;
        // ivfflat and rabitq share the IVF page format; the metapage says which.
        let ivf = is_index && (is_ivfflat(relation) || is_rabitq(relation));
        if !is_index || !(ivf || is_hnsw(relation)) {
            let name = core::ffi::CStr::from_ptr((*(*relation).rd_rel).relname.data.as_ptr());
            raise(
                ERRCODE_WRONG_OBJECT_TYPE,
                format!("\"{}\" is not an index of ruvector's", name.to_string_lossy()),
            );
        }
        let heap = pg_sys::table_open((*(*relation).rd_index).indrelid, pg_sys::AccessShareLock as i32);
        // Hold off inserts and vacuum so the index is not checked halfway through a change.
        pg_sys::LockPage(relation, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        let store = BufferPageStore::logged(relation);
        let liveness = HeapLiveness::new(heap);
        let problems = if ivf {
            ruvector_core::ivf::check(&store, |tid| liveness.exists(tid))
        } else {
            ruvector_core::hnsw::check(&store, |tid| liveness.exists(tid))
        };
        pg_sys::UnlockPage(relation, INSERT_LOCK, pg_sys::ExclusiveLock as i32);
        pg_sys::table_close(heap, pg_sys::AccessShareLock as i32);
        pg_sys::relation_close(relation, pg_sys::AccessShareLock as i32);
        match problems {
            Ok(problems) => problems
                .into_iter()
                .map(|p| (p.kind.to_string(), p.block as i64, p.offset as i32, p.detail))
                .collect::<Vec<_>>(),
            Err(error) => vec![("unreadable index".to_string(), 0, 0, error.message())],
        }
    };
    TableIterator::new(rows)
}
