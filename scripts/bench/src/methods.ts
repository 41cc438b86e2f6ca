// What gets benchmarked: one row per (extension, access method, build options) with the sweep of
// search-time settings. A row whose access method the installed extension does not register
// (looked up in pg_am per target and per extension) is reported as skipped, so ruvector's own
// index methods join the comparison when they land without touching the harness.
import type { Metric } from './dataset.ts'

export type Extension = 'vector' | 'ruvector'

export const EXTENSION_LABEL: Record<Extension, string> = { vector: 'pgvector', ruvector: 'ruvector' }

export interface SizeContext {
  n: number
  dims: number
  metric: Metric
}

export interface Setting {
  /** Short label for tables and plot points, e.g. `ef_search=40`. */
  label: string
  /** Session GUCs set before the timed queries. */
  gucs: Record<string, string | number>
}

export interface MethodConfig {
  /** Unique id, `<extension label>/<method>`; ratios refer to rows by it. */
  id: string
  extension: Extension
  /** `null`: no index, the exact scan (sequential scan + top-k sort). */
  am: string | null
  /** Index WITH (...) options. */
  build?: (ctx: SizeContext) => Record<string, number>
  settings: (ctx: SizeContext, build: Record<string, number>) => Setting[]
  /** pgvector row this one's ratios are taken against (same run, same data). */
  baseline?: string
  /** Exact scans are slow: they run on a prefix of the queries. */
  exact?: boolean
  /** Session settings for CREATE INDEX only, on top of the single-process defaults. */
  buildGucs?: Record<string, string | number>
  /** Targets this row runs on (default: all). */
  targets?: ('native' | 'pglite')[]
}

export const OPERATOR: Record<Metric, string> = { l2: '<->', cosine: '<=>', ip: '<#>' }
export const OPCLASS: Record<Metric, string> = { l2: 'vector_l2_ops', cosine: 'vector_cosine_ops', ip: 'vector_ip_ops' }

const EF_SEARCH = [10, 20, 40, 80, 160, 320, 640]

// pgvector's own guidance for ivfflat: rows / 1000 lists up to 1M rows, sqrt(rows) beyond.
function ivfLists(n: number): number {
  return Math.max(1, n <= 1_000_000 ? Math.round(n / 1000) : Math.round(Math.sqrt(n)))
}

/**
 * Powers of two up to 32 and below `lists`, plus `lists` itself when that is small. Probing many
 * lists of a large index is a slow exact scan (minutes per setting in PGlite at 100k × 384) and
 * adds nothing to the curve's interesting part.
 */
function probeSweep(lists: number): number[] {
  const out: number[] = []
  for (let p = 1; p < lists && p <= 32; p *= 2) out.push(p)
  if (lists <= 32) out.push(lists)
  return out
}

/** Two parallel workers besides the leader, the default of max_parallel_maintenance_workers. */
const PARALLEL_BUILD = { max_parallel_maintenance_workers: 2 }
const hnswBuild = () => ({ m: 16, ef_construction: 64 })
const hnswSettings = () => EF_SEARCH.map((ef) => ({ label: `ef_search=${ef}`, gucs: { 'hnsw.ef_search': ef } }))

export const METHODS: MethodConfig[] = [
  { id: 'pgvector/exact', extension: 'vector', am: null, exact: true, settings: () => [{ label: 'seq scan', gucs: {} }] },
  {
    id: 'ruvector/exact', extension: 'ruvector', am: null, exact: true, baseline: 'pgvector/exact',
    settings: () => [{ label: 'seq scan', gucs: {} }],
  },
  { id: 'pgvector/hnsw', extension: 'vector', am: 'hnsw', build: hnswBuild, settings: hnswSettings },
  {
    id: 'pgvector/ivfflat', extension: 'vector', am: 'ivfflat',
    build: ({ n }) => ({ lists: ivfLists(n) }),
    settings: (_ctx, b) => probeSweep(b.lists).map((p) => ({ label: `probes=${p}`, gucs: { 'ivfflat.probes': p } })),
  },
  // ruvector's ivfflat keeps pgvector's SQL surface too: same lists option, same ivfflat.probes.
  {
    id: 'ruvector/ivfflat', extension: 'ruvector', am: 'ivfflat', baseline: 'pgvector/ivfflat',
    build: ({ n }) => ({ lists: ivfLists(n) }),
    settings: (_ctx, b) => probeSweep(b.lists).map((p) => ({ label: `probes=${p}`, gucs: { 'ivfflat.probes': p } })),
  },
  // ruvector's hnsw keeps pgvector's SQL surface: same options, same hnsw.ef_search GUC.
  { id: 'ruvector/hnsw', extension: 'ruvector', am: 'hnsw', build: hnswBuild, settings: hnswSettings, baseline: 'pgvector/hnsw' },
  // Parallel builds natively, both extensions with the same worker count (PGlite has no
  // parallel workers). One search setting: the point is the build time and that recall holds.
  {
    id: 'pgvector/hnsw-parallel', extension: 'vector', am: 'hnsw', build: hnswBuild, targets: ['native'],
    buildGucs: PARALLEL_BUILD, settings: () => hnswSettings().slice(2, 3),
  },
  {
    id: 'ruvector/hnsw-parallel', extension: 'ruvector', am: 'hnsw', build: hnswBuild, targets: ['native'],
    buildGucs: PARALLEL_BUILD, settings: () => hnswSettings().slice(2, 3), baseline: 'pgvector/hnsw-parallel',
  },
  // rabitq is a quantized IVF index, so its natural baseline is ivfflat at the same list count
  // (which is also rabitq's own default). rabitq.rerank is only the batch size of exact reranks
  // (the error bounds decide how many), so the sweep is over probes at its default.
  {
    id: 'ruvector/rabitq', extension: 'ruvector', am: 'rabitq', baseline: 'pgvector/ivfflat',
    build: ({ n }) => ({ lists: ivfLists(n) }),
    settings: (_ctx, b) => probeSweep(b.lists).map((p) => ({ label: `probes=${p}`, gucs: { 'rabitq.probes': p } })),
  },
  // The same with four bits a dimension: three refinement planes beside the sign bits, read
  // only for the candidates a scan may return, so far fewer rows are fetched to rerank.
  {
    id: 'ruvector/rabitq-4bit', extension: 'ruvector', am: 'rabitq', baseline: 'pgvector/ivfflat',
    build: ({ n }) => ({ lists: ivfLists(n), bits: 4 }),
    settings: (_ctx, b) => probeSweep(b.lists).map((p) => ({ label: `probes=${p}`, gucs: { 'rabitq.probes': p } })),
  },
]
