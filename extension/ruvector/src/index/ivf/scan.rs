//! What both IVF scans do when they start and between batches: the checks, the metapage, the
//! query as coordinates, and which lists each batch reads.

use super::{Flavor, check_query_dimensions, coordinates, core_error};
use crate::index::aligned::AlignedBytes;
use crate::index::page_store::BufferPageStore;
use crate::index::scan_support;
use crate::index::value::ValueKind;
use crate::pgerror::raise;
use pgrx::PgSqlErrorCode::*;
use pgrx::pg_sys;
use ruvector_core::ivf::{self, Meta};

/// The query of a scan that is starting.
pub struct Query {
    pub meta: Meta,
    /// ORDER BY v <-> NULL: every row ties at distance 0 (lists are taken in order).
    pub is_null: bool,
    /// As `kind` encodes values (empty for NULL).
    pub encoded: AlignedBytes,
    /// `f32` coordinates that pick lists (zeros for NULL).
    pub coordinates: Vec<f32>,
}

/// Counts the scan, checks it is one we can run (ordered, MVCC snapshot: no buffer pin is kept
/// between calls) and reads the metapage and the query.
///
/// # Safety
/// `scan` must be a started index scan of an `F` index, `store` its page store.
pub unsafe fn start<F: Flavor>(scan: pg_sys::IndexScanDesc, kind: &ValueKind, store: &BufferPageStore) -> Query {
    unsafe {
        scan_support::count_scan(scan);
        if (*scan).orderByData.is_null() {
            raise(ERRCODE_INTERNAL_ERROR, format!("cannot scan {} index without order", F::NAME));
        }
        if !scan_support::is_mvcc((*scan).xs_snapshot) {
            raise(ERRCODE_INTERNAL_ERROR, format!("non-MVCC snapshots are not supported with {}", F::NAME));
        }
        let meta = ivf::read_meta(store).unwrap_or_else(|e| core_error::<F>(e));
        let dims = meta.dims as usize;
        let key = &*(*scan).orderByData;
        if key.sk_flags & pg_sys::SK_ISNULL as i32 != 0 {
            return Query { meta, is_null: true, encoded: AlignedBytes::default(), coordinates: vec![0.0; dims] };
        }
        let encoded = kind.encode_query(key.sk_argument);
        check_query_dimensions(kind, dims, encoded.as_slice().len());
        let coordinates = coordinates(kind, encoded.as_slice(), dims);
        Query { meta, is_null: false, encoded, coordinates }
    }
}

/// Which lists (by rank of centroid distance) each batch of a scan reads: `probes` at a time,
/// up to `max_probes` in all (`probes` unless the scan is iterative).
#[derive(Clone, Copy, Default)]
pub struct Batches {
    probes: usize,
    max_probes: usize,
    next: usize,
}

impl Batches {
    pub fn new(meta: &Meta, probes: usize, max_probes: usize) -> Batches {
        let lists = meta.lists as usize;
        Batches { probes: probes.min(lists), max_probes: max_probes.max(probes).min(lists), next: 0 }
    }

    /// `(skip, count)` of the next batch of lists, or `None` when the scan may read no more.
    pub fn next(&mut self) -> Option<(usize, usize)> {
        if self.next >= self.max_probes {
            return None;
        }
        let count = self.probes.min(self.max_probes - self.next);
        let skip = self.next;
        self.next += count;
        Some((skip, count))
    }
}
