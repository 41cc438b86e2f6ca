// BENCHMARKS.md: a fixed preamble, then one section per run label (quick, full, …) between
// markers. A run replaces only its own section, so the quick and full results live side by side.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, relative } from 'node:path'
import { EXTENSION_LABEL } from './methods.ts'
import { qpsAtRecall, ratio } from './metrics.ts'
import type { DatasetResult, MethodResult, RunResult, TargetResult } from './results.ts'

const RECALL_TARGETS = [0.9, 0.95, 0.99]

const PREAMBLE = `# Benchmarks: ruvector vs pgvector

Produced by \`npm run bench\` (code in \`scripts/bench/\`; raw results and plots in \`bench/\`).
Every section below names the exact command, commit, date, machine and load it came from; the JSON
file next to its plots holds every number in it. Benchmarks are not tests: nothing here gates CI.
The last section, "Where we stand", sums up the latest full run by hand and says where the time goes.

What one run does, per dataset and per target (PGlite 0.5.16 in Node, and a throwaway native
PostgreSQL 15 started by the conformance suite's harness): load the same rows into one database
(native) or one PGlite instance per extension (both extensions define a type named \`vector\`),
then for each row of the methods table (\`scripts/bench/src/methods.ts\`) build the index, sweep the
search-time settings and measure. A method whose access method the installed extension does not
register in \`pg_am\` is skipped; an extension that is not built or installed is reported as
unavailable and its rows skipped, so the pgvector rows always run.

- **recall@10**: mean over queries of |returned ∩ exact top 10| / 10, against brute-force ground
  truth computed once in worker threads and cached under \`build/bench/\`.
- **QPS, p50, p99**: one client, one query at a time, \`SELECT id FROM items ORDER BY embedding <op> $1
  LIMIT 10\` with the vector as a text parameter (a named prepared statement natively), after untimed
  warm-up queries; latency is client-side, so it includes the driver (node-postgres over loopback,
  or PGlite's in-process protocol). Exact-scan rows use a prefix of the queries.
- **build**: wall time of \`CREATE INDEX\`; **size**: \`pg_relation_size\` of the index.
- **peak memory**: natively, VmHWM of the backend (one fresh connection per method; it includes the
  shared_buffers pages that backend touched); in PGlite, the byte length of the instance's
  \`WebAssembly.Memory\` (one fresh instance per method, started from a dump of the loaded table;
  wasm memory never shrinks, so this is the peak, and an idle instance already has ~190 MiB).
- **ratios**: each ruvector row against its pgvector baseline in the same run and on the same data
  (hnsw ↔ hnsw, ivfflat ↔ ivfflat, rabitq ↔ ivfflat, exact ↔ exact): build time, index size, and QPS at matched recall
  (the best QPS of any setting reaching at least that recall; no interpolation).
- Both targets run single-process: \`max_parallel_workers_per_gather = 0\`,
  \`max_parallel_maintenance_workers = 0\` (PGlite has no parallel workers, and this machine's two
  cores are shared), \`jit = off\`, \`maintenance_work_mem\` as stated per run. The exception is
  the \`*/hnsw-parallel\` rows (native only): their CREATE INDEX runs with
  \`max_parallel_maintenance_workers = 2\` for both extensions, then one search setting checks recall.
`

const mib = (b: number | null | undefined) => (b == null ? '–' : (b / 2 ** 20).toFixed(1))
const num = (x: number | null | undefined, d = 2) => (x == null || Number.isNaN(x) ? '–' : x.toFixed(d))
const times = (x: number | null) => (x == null ? '–' : `${x.toFixed(2)}×`)

function optionsText(m: MethodResult): string {
  if (!m.am) return 'no index (seq scan)'
  const o = Object.entries(m.buildOptions ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')
  return `${m.am}${o ? ` (${o})` : ''}`
}

function hardness(ds: DatasetResult): string {
  const parts = ds.targets.map((t) => {
    const s = t.methods.find((m) => m.id === 'pgvector/hnsw')?.settings.find((x) => x.gucs['hnsw.ef_search'] === 40)
    return s ? `${s.recall.toFixed(3)} on ${t.target}` : null
  }).filter(Boolean)
  return parts.length ? `pgvector hnsw (m=16, ef_construction=64) at ef_search=40 reaches recall@10 ${parts.join(', ')}.` : ''
}

function ratioTable(t: TargetResult): string[] {
  const rows = t.methods.filter((m) => m.status === 'ok' && m.baseline)
  if (!rows.length) {
    return ['No ruvector row ran on this target, so there are no ratios yet.', '']
  }
  const out = [
    `| ruvector row | against | build time | index size | ${RECALL_TARGETS.map((r) => `QPS at recall ≥ ${r}`).join(' | ')} |`,
    `|---|---|---|---|${RECALL_TARGETS.map(() => '---').join('|')}|`,
  ]
  for (const m of rows) {
    const b = t.methods.find((x) => x.id === m.baseline)
    if (!b || b.status !== 'ok') {
      out.push(`| ${m.id} | ${m.baseline} (did not run) | – | – | ${RECALL_TARGETS.map(() => '–').join(' | ')} |`)
      continue
    }
    const q = RECALL_TARGETS.map((r) => {
      const a = qpsAtRecall(m.settings, r)
      const c = qpsAtRecall(b.settings, r)
      if (a == null && c == null) return 'neither reaches'
      if (a == null) return 'ruvector does not reach'
      if (c == null) return 'pgvector does not reach'
      return times(ratio(a, c))
    })
    out.push(`| ${m.id} | ${b.id} | ${times(ratio(m.buildSeconds, b.buildSeconds))} | ${times(ratio(m.indexBytes, b.indexBytes))} | ${q.join(' | ')} |`)
  }
  out.push('', 'Ratios are ruvector ÷ pgvector: below 1× is faster build / smaller index; above 1× is more QPS.', '')
  return out
}

function targetSection(run: RunResult, ds: DatasetResult, t: TargetResult, plots: string[], mdDir: string): string[] {
  const out = [`#### ${t.target === 'pglite' ? 'PGlite' : 'Native PostgreSQL'}${t.serverVersion ? ` — ${t.serverVersion}` : ''}`, '']
  if (t.error) return [...out, `Target failed: ${t.error}`, '']
  const exts = Object.entries(t.extensions).map(([e, s]) =>
    `${EXTENSION_LABEL[e as keyof typeof EXTENSION_LABEL]} ${s!.ok ? s!.version : `unavailable (${s!.reason})`}`)
  out.push(`Extensions: ${exts.join('; ')}. Table \`items\`: ${mib(t.tableBytes)} MiB. Peak memory: ${t.memoryKind}.`, '')
  const skipped = t.methods.filter((m) => m.status !== 'ok')
  if (skipped.length) {
    out.push('Not measured:', ...skipped.map((m) => `- ${m.id}: ${m.status === 'error' ? 'error: ' : 'skipped: '}${m.reason}`), '')
  }
  const ok = t.methods.filter((m) => m.status === 'ok')
  out.push('| row | index | build (s) | index (MiB) | peak mem, build (MiB) | peak mem, build+search (MiB) |', '|---|---|---|---|---|---|')
  for (const m of ok) {
    out.push(`| ${m.id} | ${optionsText(m)} | ${num(m.buildSeconds)} | ${mib(m.indexBytes)} | ${mib(m.buildPeakBytes)} | ${mib(m.searchPeakBytes)} |`)
  }
  out.push('', ...ratioTable(t))
  out.push('| row | setting | queries | recall@10 | QPS | p50 (ms) | p99 (ms) |', '|---|---|---|---|---|---|---|')
  for (const m of ok) {
    for (const s of m.settings) {
      out.push(`| ${m.id} | ${s.label} | ${s.queries} | ${s.recall.toFixed(3)} | ${s.qps.toFixed(1)} | ${num(s.p50ms, 3)} | ${num(s.p99ms, 3)} |`)
    }
  }
  const plot = plots.find((p) => basename(p) === `${run.label}-${ds.name}-${t.target}.png`)
  if (plot) out.push('', `![${t.target}: recall vs QPS](${relative(mdDir, plot)})`)
  out.push('')
  return out
}

export function renderSection(run: RunResult, plots: string[], mdDir: string, jsonPath: string): string {
  const minutes = (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60000
  const m = run.machine
  const v = run.versions
  const out = [
    `## \`${run.label}\` — ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Command: \`${run.command}\`, commit ${run.gitCommit}, ` +
      `${run.startedAt.slice(11, 19)}–${run.finishedAt.slice(11, 19)} UTC (${minutes.toFixed(1)} min). ` +
      `Raw numbers: [\`${relative(mdDir, jsonPath)}\`](${relative(mdDir, jsonPath)}).`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ram} RAM, ${m.os}, node ${m.node}. ` +
      `Load average (1/5/15 min) ${run.loadBefore.join(' / ')} at the start and ${run.loadAfter.join(' / ')} at the end: ` +
      'the two cores are shared with other work, so treat absolute numbers as noisy and the same-run ratios as the result.',
    '',
    `Packages: @electric-sql/pglite ${v['@electric-sql/pglite']}, @electric-sql/pglite-pgvector ${v['@electric-sql/pglite-pgvector']}, ` +
      `@ruvector/pglite ${v['@ruvector/pglite']}. Native pgvector is built from Debian's source package by ` +
      '`scripts/setup/pgvector-native.sh`. Server and extension versions are given per target below.',
    '',
    `Settings: k=${run.settings.k}, ${run.settings.warmup} warm-up queries per setting, exact rows on ${run.settings.exactQueries} queries, ` +
      `maintenance_work_mem=${run.settings.maintenance_work_mem}, native shared_buffers=${run.settings.native_shared_buffers} ` +
      '(PGlite keeps its default), no parallel workers, jit off.',
    '',
  ]
  for (const ds of run.datasets) {
    out.push(`### Dataset: ${ds.description}`, '')
    out.push(`Ground truth: brute force, ${ds.groundTruth.cached ? 'read from the cache' : `computed in ${ds.groundTruth.seconds.toFixed(1)} s`}. ${hardness(ds)}`, '')
    for (const t of ds.targets) out.push(...targetSection(run, ds, t, plots, mdDir))
  }
  return out.join('\n')
}

const begin = (label: string) => `<!-- bench:${label}:begin -->`
const end = (label: string) => `<!-- bench:${label}:end -->`

export function updateMarkdown(path: string, run: RunResult, plots: string[], jsonPath: string): void {
  const old = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const sections = new Map<string, string>()
  for (const m of old.matchAll(/<!-- bench:([\w.-]+):begin -->\n([\s\S]*?)\n<!-- bench:\1:end -->/g)) sections.set(m[1], m[2])
  sections.set(run.label, renderSection(run, plots, dirname(path), jsonPath))
  // quick first, full second, anything else after, in the order first written.
  const order = [...sections.keys()].sort((a, b) => rank(a) - rank(b))
  const body = order.map((l) => `${begin(l)}\n${sections.get(l)}\n${end(l)}`).join('\n\n')
  writeFileSync(path, `${PREAMBLE}\n${body}\n`)
}

function rank(label: string): number {
  return label === 'quick' ? 0 : label === 'full' ? 1 : 2
}
