//! Visiting the `probes` lists whose centroids are nearest the query.
use super::layout::{self, Kind, Meta, RABITQ_FACTORS_SIZE};
use super::{Error, HeapTid};
use crate::hnsw::Metric;
use crate::pagestore::{BlockLimit, BlockNumber, PageStore};
use crate::rabitq::{self, CodeSlices, QueryPrep, Rotation};
use alloc::vec::Vec;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlatCandidate {
    pub tid: HeapTid,
    pub distance: f32,
}

/// A RaBitQ estimate: the true squared distance lies within `distance2 ± bound` with high
/// probability (see [`rabitq::EPSILON0`]); `inner_product` estimates ⟨x, q⟩ within ±bound/2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RabitqCandidate {
    pub tid: HeapTid,
    pub distance2: f32,
    pub bound: f32,
    pub inner_product: f32,
    /// Where its extra bits are, when the index has them and the scan asked to refine.
    pub refine: Option<RefineAt>,
}

/// A candidate's entry (list page and slot) and the [`Refiner`]'s query for its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefineAt {
    pub block: BlockNumber,
    pub slot: u16,
    pub prep: u32,
}

/// The page and, when refinable, the [`Refiner`] query index of the codes being estimated.
#[derive(Clone, Copy)]
pub(super) struct Site {
    pub(super) block: BlockNumber,
    pub(super) prep: Option<u32>,
}

impl Site {
    #[inline(always)]
    fn at(self, slot: usize) -> Option<RefineAt> {
        self.prep.map(|prep| RefineAt { block: self.block, slot: slot as u16, prep })
    }
}

/// Bytes of list queries a [`Refiner`] keeps by default: an iterative scan may walk every list,
/// and at 16,000 dimensions each query is 24 KB.
pub const REFINER_BUDGET: usize = 32 << 20;

/// The second stage of a scan of an index with extra bits: the queries of the lists scanned
/// so far, to refine a candidate's one-bit estimate from its entry when the reranker reaches it.
/// Lists scanned once the queries kept reach `budget` bytes give candidates that are not
/// refinable (reranked by their one-bit bounds, as on an index without extra bits).
pub struct Refiner {
    meta: Option<Meta>,
    preps: Vec<QueryPrep>,
    pub budget: usize,
    /// The index size last seen: asking the store for it per refinement is a system call.
    limit: BlockLimit,
}

impl Default for Refiner {
    fn default() -> Refiner {
        Refiner { meta: None, preps: Vec::new(), budget: REFINER_BUDGET, limit: BlockLimit::default() }
    }
}

impl Refiner {
    /// Whether one more list's query fits the budget.
    fn has_room(&self, words: usize) -> bool {
        let bytes = (rabitq::QUERY_BITS + rabitq::FINE_QUERY_BITS) as usize * words * 8;
        (self.preps.len() + 1) * bytes <= self.budget
    }

    /// The refined estimate of candidate `tid` at `at`, or `None` when its entry no longer
    /// holds it (the caller then keeps the one-bit estimate) or the page is not a list page.
    pub fn refine(&mut self, store: &impl PageStore, tid: HeapTid, at: RefineAt) -> Option<RabitqCandidate> {
        let meta = self.meta?;
        let prep = self.preps.get(at.prep as usize)?;
        if !self.limit.contains(store, at.block) {
            return None;
        }
        store.read(at.block, |page| {
            let (count, _) = layout::list_header(page, &meta, at.block).ok()?;
            if at.slot as usize >= count {
                return None;
            }
            let (found, _, payload) = layout::entry(page, &meta, at.slot as usize);
            if found != tid {
                return None;
            }
            let (distance2, bound) = layout::rabitq_refine(payload, layout::sidecar(page, &meta, at.slot as usize), &meta, prep);
            let inner_product = prep.inner_product(layout::get_f32(payload, 0), layout::get_f32(payload, 8), distance2);
            Some(RabitqCandidate { tid, distance2, bound, inner_product, refine: None })
        })
    }
}

/// ivfflat: every live entry of the probed lists with its exact distance, nearest first.
/// `query` (f32) picks the lists; `encoded_query` (8-aligned) is what `metric` compares.
pub fn scan_flat(store: &impl PageStore, query: &[f32], encoded_query: &[u8], metric: &impl Metric, probes: usize) -> Result<Vec<FlatCandidate>, Error> {
    scan_flat_range(store, query, encoded_query, metric, 0, probes)
}

/// As [`scan_flat`], over the lists ranked `skip..skip + probes` by centroid distance: the
/// later batches of an iterative scan, which widen the search without revisiting lists.
pub fn scan_flat_range(store: &impl PageStore, query: &[f32], encoded_query: &[u8], metric: &impl Metric, skip: usize, probes: usize) -> Result<Vec<FlatCandidate>, Error> {
    let meta = layout::read_meta(store)?;
    if meta.kind != Kind::Flat {
        return Err(Error::BadParams);
    }
    let (_, lists) = ranked_lists(store, &meta, query, skip, probes)?;
    let mut out = Vec::new();
    let limit = BlockLimit::default();
    for (_, first) in lists {
        walk_list(store, &meta, &limit, first, |_, page, count| {
            for i in 0..count {
                let (tid, deleted, payload) = layout::entry(page, &meta, i);
                if !deleted {
                    out.push(FlatCandidate { tid, distance: metric.distance(payload, encoded_query) });
                }
            }
        })?;
    }
    out.sort_by(|a, b| a.distance.total_cmp(&b.distance).then(a.tid.cmp(&b.tid)));
    Ok(out)
}

/// IVF-RaBitQ: every live entry of the probed lists with its estimate, nearest first; the
/// caller reranks by exact distance (e.g. the best few times k, or all whose
/// `distance2 - bound` is below the k-th exact distance).
pub fn scan_rabitq(store: &impl PageStore, query: &[f32], probes: usize, epsilon0: f64) -> Result<Vec<RabitqCandidate>, Error> {
    let mut out = scan_rabitq_range(store, query, 0, probes, epsilon0)?;
    out.sort_by(|a, b| a.distance2.total_cmp(&b.distance2).then(a.tid.cmp(&b.tid)));
    Ok(out)
}

/// As [`scan_rabitq`], over the lists ranked `skip..skip + probes` by centroid distance (the
/// later batches of an iterative scan), in page order: the caller orders them as it needs.
pub fn scan_rabitq_range(store: &impl PageStore, query: &[f32], skip: usize, probes: usize, epsilon0: f64) -> Result<Vec<RabitqCandidate>, Error> {
    scan_rabitq_refinable(store, query, skip, probes, epsilon0, None, &mut Refiner::default())
}

/// As [`scan_rabitq_range`]; on an index with extra bits and with `fine_epsilon0` given, the
/// candidates are refinable by `refiner` (bounds at `fine_epsilon0` standard deviations),
/// which keeps the lists' queries for it.
pub fn scan_rabitq_refinable(
    store: &impl PageStore,
    query: &[f32],
    skip: usize,
    probes: usize,
    epsilon0: f64,
    fine_epsilon0: Option<f64>,
    refiner: &mut Refiner,
) -> Result<Vec<RabitqCandidate>, Error> {
    let meta = layout::read_meta(store)?;
    if meta.kind != Kind::Rabitq {
        return Err(Error::BadParams);
    }
    let dims = meta.dims as usize;
    let rotation = Rotation::new(dims, meta.rotation_seed);
    let (centroids, lists) = ranked_lists(store, &meta, query, skip, probes)?;
    let mut page_codes = Columns::for_pages(&meta);
    let mut out = Vec::new();
    let limit = BlockLimit::default();
    let fine_epsilon0 = fine_epsilon0.filter(|_| meta.ex_bits > 0);
    refiner.meta = Some(meta);
    for (list, first) in lists {
        let fine_epsilon0 = fine_epsilon0.filter(|_| refiner.has_room(rabitq::code_words(dims)));
        let prep = QueryPrep::with_refinement(&rotation, query, &centroids[list * dims..(list + 1) * dims], epsilon0, fine_epsilon0);
        let prep_index = fine_epsilon0.map(|_| refiner.preps.len() as u32);
        // Pure computation, allowed under the page lock; it saves copying the columns out.
        walk_list(store, &meta, &limit, first, |block, page, count| {
            page_codes.estimate_page(page, &meta, count, &prep, Site { block, prep: prep_index }, &mut out)
        })?;
        if prep_index.is_some() {
            refiner.preps.push(prep);
        }
    }
    Ok(out)
}

/// One page's live codes in the column layout the kernels take.
pub(super) struct Columns {
    tids: Vec<HeapTid>,
    slots: Vec<u16>,
    bits: Vec<u64>,
    norms: Vec<f32>,
    dots: Vec<f32>,
    center_dots: Vec<f32>,
    distance2: Vec<f32>,
    bound: Vec<f32>,
}

impl Columns {
    /// Columns with room for a full list page, so that gathering a page never reallocates.
    pub(super) fn for_pages(meta: &Meta) -> Columns {
        let (entries, words) = (meta.entries_per_page(), rabitq::code_words(meta.dims as usize));
        Columns {
            tids: Vec::with_capacity(entries),
            slots: Vec::with_capacity(entries),
            bits: Vec::with_capacity(entries * words),
            norms: Vec::with_capacity(entries),
            dots: Vec::with_capacity(entries),
            center_dots: Vec::with_capacity(entries),
            distance2: Vec::with_capacity(entries),
            bound: Vec::with_capacity(entries),
        }
    }

    /// Gathers the live codes of one list page (`count` entries) and appends their estimates
    /// to `out`: the per-code loop of a scan.
    ///
    /// Never inlined, and it owns nothing with a destructor, on purpose: in PGlite a call made
    /// where a destructor would have to run on unwinding (as in the scan around it, which owns
    /// vectors) is compiled into a JavaScript `invoke_*` trampoline, and per code that cost
    /// more than the estimate. Here the per-code calls, if any are left, are plain wasm calls.
    #[inline(never)]
    fn estimate_page(&mut self, page: &[u8], meta: &Meta, count: usize, prep: &QueryPrep, site: Site, out: &mut Vec<RabitqCandidate>) {
        if cfg!(target_arch = "wasm32") {
            estimate_page_by_code(page, meta, count, prep, site, out);
        } else {
            self.estimate_page_by_columns(page, meta, count, prep, site, out);
        }
    }

    /// [`estimate_page`](Self::estimate_page) through the batch kernels: the page's codes
    /// copied into columns, then estimated many at a time (AVX-512 and AVX2 paths natively).
    pub(super) fn estimate_page_by_columns(&mut self, page: &[u8], meta: &Meta, count: usize, prep: &QueryPrep, site: Site, out: &mut Vec<RabitqCandidate>) {
        let words = prep.words;
        self.tids.clear();
        self.slots.clear();
        self.bits.clear();
        self.norms.clear();
        self.dots.clear();
        self.center_dots.clear();
        for (slot, (tid, deleted, payload)) in layout::entries(page, meta, count).enumerate() {
            if !deleted {
                self.tids.push(tid);
                self.slots.push(slot as u16);
                self.norms.push(layout::get_f32(payload, 0));
                self.dots.push(layout::get_f32(payload, 4));
                self.center_dots.push(layout::get_f32(payload, 8));
                let code = &payload[RABITQ_FACTORS_SIZE..RABITQ_FACTORS_SIZE + words * 8];
                self.bits.extend(code.chunks_exact(8).map(|w| u64::from_le_bytes(w.try_into().expect("8 bytes"))));
            }
        }
        let n = self.tids.len();
        self.distance2.resize(n, 0.0);
        self.bound.resize(n, 0.0);
        // A corrupt dot factor (≤ 0, NaN) only spoils that entry's estimate, never memory.
        let codes = CodeSlices { bits: &self.bits, norms: &self.norms, dots: &self.dots };
        rabitq::estimate(prep, codes, &mut self.distance2, &mut self.bound);
        out.reserve(n);
        for i in 0..n {
            let inner_product = prep.inner_product(self.norms[i], self.center_dots[i], self.distance2[i]);
            let refine = site.at(self.slots[i] as usize);
            out.push(RabitqCandidate { tid: self.tids[i], distance2: self.distance2[i], bound: self.bound[i], inner_product, refine });
        }
    }
}

/// [`Columns::estimate_page`] one code at a time, straight from the page: the scalar counts
/// and [`finish`](rabitq::scan::finish), which every batch kernel matches bit for bit, so both
/// give the same candidates (a test checks). Used where there are no wide popcounts (wasm32):
/// skipping the copy into columns there makes a scan about 1.5× faster.
pub(super) fn estimate_page_by_code(page: &[u8], meta: &Meta, count: usize, prep: &QueryPrep, site: Site, out: &mut Vec<RabitqCandidate>) {
    // The code width is fixed for the whole page, so the loop is specialised once per page.
    match prep.words {
        2 => by_code::<2>(page, meta, count, prep, site, out),
        4 => by_code::<4>(page, meta, count, prep, site, out),
        6 => by_code::<6>(page, meta, count, prep, site, out),
        8 => by_code::<8>(page, meta, count, prep, site, out),
        12 => by_code::<12>(page, meta, count, prep, site, out),
        16 => by_code::<16>(page, meta, count, prep, site, out),
        24 => by_code::<24>(page, meta, count, prep, site, out),
        _ => by_code::<0>(page, meta, count, prep, site, out),
    }
}

#[inline(always)]
fn by_code<const W: usize>(page: &[u8], meta: &Meta, count: usize, prep: &QueryPrep, site: Site, out: &mut Vec<RabitqCandidate>) {
    out.reserve(count);
    for (slot, (tid, deleted, payload)) in layout::entries(page, meta, count).enumerate() {
        if !deleted {
            let (norm, dot, center_dot) = (layout::get_f32(payload, 0), layout::get_f32(payload, 4), layout::get_f32(payload, 8));
            let (weighted, popcount) = rabitq::scan::scalar::code_counts::<W>(prep, &payload[RABITQ_FACTORS_SIZE..]);
            let (distance2, bound) = rabitq::scan::finish(prep, weighted, popcount, norm, dot);
            let inner_product = prep.inner_product(norm, center_dot, distance2);
            out.push(RabitqCandidate { tid, distance2, bound, inner_product, refine: site.at(slot) });
        }
    }
}

/// The centroids, and the (list, first page) of the non-empty lists ranked `skip..skip + count`
/// by squared L2 to the centroid, which for unit-length (spherical) centroids is the
/// inner-product ranking too.
/// The centroids (as read) and the ranked lists' (list, first page).
type RankedLists = (Vec<f32>, Vec<(usize, BlockNumber)>);

fn ranked_lists(store: &impl PageStore, meta: &Meta, query: &[f32], skip: usize, count: usize) -> Result<RankedLists, Error> {
    if query.len() != meta.dims as usize {
        return Err(Error::BadParams);
    }
    let (centroids, pages) = layout::read_centroids(store, meta)?;
    let dims = meta.dims as usize;
    let mut order: Vec<(f32, usize)> = centroids
        .chunks_exact(dims)
        .enumerate()
        .map(|(l, c)| (crate::distance::scalar::squared_l2(query, c), l))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let lists = order[skip.min(order.len())..].iter().take(count).map(|&(_, l)| (l, pages[l].0)).filter(|&(_, first)| first != 0).collect();
    Ok((centroids, lists))
}

/// Calls `f(block, page, entry count)` for each page of the list starting at `first`. Errors on a
/// page that is not a list page or a chain longer than the index (a cycle). `limit` may be
/// shared by the walks of one scan: it asks the store for its size only when a block or a
/// chain exceeds the size last seen (an FFI call in the extension, not free in PGlite).
pub(crate) fn walk_list(store: &impl PageStore, meta: &Meta, limit: &BlockLimit, first: BlockNumber, mut f: impl FnMut(BlockNumber, &[u8], usize)) -> Result<(), Error> {
    let mut block = first;
    let mut steps = 0u32;
    while block != 0 {
        if !limit.contains(store, block) || !limit.within(store, steps) {
            return Err(Error::Corrupt("list chain leaves the index or loops", block));
        }
        block = store.read(block, |page| {
            let (count, next) = layout::list_header(page, meta, block)?;
            f(block, page, count);
            Ok(next)
        })?;
        steps += 1;
    }
    Ok(())
}
