// One target, one dataset: prepare each extension, then build / sweep / measure every method in
// the table on the same loaded data, in the same process run.
import type { Dataset } from './dataset.ts'
import { vectorLiteral } from './dataset.ts'
import type { GroundTruth } from './groundtruth.ts'
import { EXTENSION_LABEL, METHODS, OPCLASS, OPERATOR, type Extension, type MethodConfig } from './methods.ts'
import { percentile, recallAtK } from './metrics.ts'
import { progress, status, timed } from './progress.ts'
import type { MethodResult, SettingResult, TargetResult } from './results.ts'
import type { Session, Target } from './targets/types.ts'

export interface RunOptions {
  k: number
  warmup: number
  exactQueries: number
  maintenanceWorkMem: string
  /** Method ids to run; empty = all. */
  only: string[]
}

// Single-client, single-process numbers on both targets: PGlite has no parallel workers, and the
// two cores here are shared with other work, so native parallelism would measure the neighbours.
const SESSION_SETUP = (o: RunOptions) => [
  `SET maintenance_work_mem = '${o.maintenanceWorkMem}'`,
  'SET max_parallel_maintenance_workers = 0',
  'SET max_parallel_workers_per_gather = 0',
  'SET jit = off',
]

async function extensionAccessMethods(s: Session, ext: Extension): Promise<Set<string>> {
  // Per extension, not just present in pg_am: the AM must belong to the extension under test.
  const rows = await s.rows<{ amname: string }>(
    `SELECT a.amname FROM pg_am a
       JOIN pg_depend d ON d.classid = 'pg_am'::regclass AND d.objid = a.oid AND d.deptype = 'e'
       JOIN pg_extension e ON e.oid = d.refobjid
      WHERE e.extname = $1`, [ext])
  return new Set(rows.map((r) => r.amname))
}

async function setGucs(s: Session, gucs: Record<string, string | number>): Promise<void> {
  for (const [name, value] of Object.entries(gucs)) {
    await s.exec(`SET ${name} = '${value}'`)
    // An unknown `prefix.name` is accepted as a placeholder and does nothing; only a GUC the
    // loaded library defined shows up in pg_settings.
    const known = await s.rows('SELECT 1 FROM pg_settings WHERE name = $1', [name])
    if (known.length === 0) throw new Error(`GUC ${name} is not defined by the extension`)
  }
}

async function sweep(s: Session, m: MethodConfig, ds: Dataset, gt: GroundTruth, literals: string[],
  gucs: Record<string, string | number>, label: string, o: RunOptions, title: string): Promise<SettingResult> {
  await setGucs(s, gucs)
  const sql = `SELECT id FROM items ORDER BY embedding ${OPERATOR[ds.metric]} $1 LIMIT ${o.k}`
  const nq = m.exact ? Math.min(o.exactQueries, literals.length) : literals.length
  for (let q = 0; q < Math.min(o.warmup, nq); q++) await s.knn(sql, literals[q])
  const bar = progress(`${title} ${label}`, nq)
  const returned: number[][] = []
  const latencies: number[] = []
  const t0 = performance.now()
  for (let q = 0; q < nq; q++) {
    const a = performance.now()
    returned.push(await s.knn(sql, literals[q]))
    latencies.push(performance.now() - a)
    bar.tick()
  }
  const seconds = (performance.now() - t0) / 1000
  const recall = recallAtK(returned, gt.ids, o.k)
  bar.done(`recall@${o.k}=${recall.toFixed(3)} qps=${(nq / seconds).toFixed(1)}`)
  return {
    label, gucs, queries: nq, recall, qps: nq / seconds,
    p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99),
  }
}

async function runMethod(target: Target, m: MethodConfig, ds: Dataset, gt: GroundTruth, literals: string[],
  o: RunOptions): Promise<MethodResult> {
  const title = `${target.name}/${m.id}`
  const result: MethodResult = { id: m.id, extension: m.extension, am: m.am, status: 'ok', baseline: m.baseline, settings: [] }
  const s = await target.session(m.extension)
  try {
    for (const sql of SESSION_SETUP(o)) await s.exec(sql)
    const ctx = { n: ds.n, dims: ds.dims, metric: ds.metric }
    const build = m.build?.(ctx) ?? {}
    if (m.am) {
      result.buildOptions = build
      const withClause = Object.keys(build).length
        ? ` WITH (${Object.entries(build).map(([k, v]) => `${k} = ${v}`).join(', ')})` : ''
      for (const [name, value] of Object.entries(m.buildGucs ?? {})) await s.exec(`SET ${name} = '${value}'`)
      const t0 = performance.now()
      await timed(`${title}: CREATE INDEX`, () =>
        s.exec(`CREATE INDEX bench_idx ON items USING ${m.am} (embedding ${OPCLASS[ds.metric]})${withClause}`))
      result.buildSeconds = (performance.now() - t0) / 1000
      for (const name of Object.keys(m.buildGucs ?? {})) await s.exec(`RESET ${name}`)
      // RESET returns to the server default, not to the single-process session setup.
      for (const sql of SESSION_SETUP(o)) await s.exec(sql)
      result.indexBytes = Number((await s.rows<{ b: string | number }>(`SELECT pg_relation_size('bench_idx') AS b`))[0].b)
      result.buildPeakBytes = await s.peakMemory()
      await s.exec('SET enable_seqscan = off')
      const plan = await s.rows<Record<string, string>>(
        `EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding ${OPERATOR[ds.metric]} '${literals[0]}' LIMIT ${o.k}`)
      if (!plan.some((r) => Object.values(r)[0].includes('bench_idx'))) {
        throw new Error('the planner does not use the index for ORDER BY … LIMIT')
      }
    }
    for (const setting of m.settings(ctx, build)) {
      result.settings.push(await sweep(s, m, ds, gt, literals, setting.gucs, setting.label, o, title))
    }
    result.searchPeakBytes = await s.peakMemory()
  } catch (err) {
    result.status = 'error'
    result.reason = (err as Error).message.split('\n')[0]
    status(`${title}: error: ${result.reason}`)
  } finally {
    if (m.am) await s.exec('DROP INDEX IF EXISTS bench_idx').catch(() => {})
    await s.close()
  }
  return result
}

export async function runTarget(target: Target, ds: Dataset, gt: GroundTruth, o: RunOptions): Promise<TargetResult> {
  const out: TargetResult = {
    target: target.name, serverVersion: target.serverVersion, memoryKind: target.memoryKind, extensions: {}, methods: [],
  }
  const literals = Array.from({ length: ds.nq }, (_, q) => vectorLiteral(ds.queries, q, ds.dims, ds.decimals))
  const wanted = METHODS.filter((m) => o.only.length === 0 || o.only.includes(m.id))
  for (const ext of ['vector', 'ruvector'] as Extension[]) {
    const methods = wanted.filter((m) => m.extension === ext)
    if (!methods.length) continue
    let avail
    try {
      avail = await target.prepare(ext, ds)
    } catch (err) {
      avail = { ok: false as const, reason: (err as Error).message.split('\n')[0] }
    }
    out.serverVersion = target.serverVersion
    if (!avail.ok) {
      status(`${target.name}: ${EXTENSION_LABEL[ext]} unavailable: ${avail.reason}`)
      out.extensions[ext] = { ok: false, reason: avail.reason }
      for (const m of methods) {
        out.methods.push({ id: m.id, extension: ext, am: m.am, status: 'skipped', reason: `${EXTENSION_LABEL[ext]} unavailable`, settings: [] })
      }
      continue
    }
    out.extensions[ext] = { ok: true, version: avail.version }
    try {
      const probe = await target.session(ext)
      const ams = await extensionAccessMethods(probe, ext)
      out.tableBytes ??= Number((await probe.rows<{ b: string | number }>(`SELECT pg_table_size('items') AS b`))[0].b)
      await probe.close()
      for (const m of methods) {
        if (m.targets && !m.targets.includes(target.name)) {
          out.methods.push({ id: m.id, extension: ext, am: m.am, status: 'skipped', reason: `runs on ${m.targets.join(', ')} only`, settings: [] })
          continue
        }
        if (m.am && !ams.has(m.am)) {
          status(`${target.name}/${m.id}: skipped (${ext} ${avail.version} has no access method "${m.am}")`)
          out.methods.push({ id: m.id, extension: ext, am: m.am, status: 'skipped', reason: `${EXTENSION_LABEL[ext]} ${avail.version} has no "${m.am}" access method`, settings: [] })
          continue
        }
        out.methods.push(await runMethod(target, m, ds, gt, literals, o))
      }
    } finally {
      await target.release(ext)
    }
  }
  return out
}
