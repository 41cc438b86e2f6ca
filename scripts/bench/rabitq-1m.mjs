// One PGlite instance on Node with its data directory on disk (NodeFS), 1,000,000 × 384 seeded
// clustered vectors, a rabitq index at its default lists: build time, table and index size,
// the wasm instance's heap, and QPS / recall@10 against exact top-10 computed here (in float64,
// on the float32 values the table holds) for a few rabitq.probes settings.
//
//   node scripts/bench/rabitq-1m.mjs [--rows 1000000] [--dims 384] [--queries 100] [--dir build/bench/rabitq-1m]
//                                    [--probes 10,20,40] [--maintenance-work-mem 512MB] [--reuse]
//
// --reuse reopens the data directory a previous run left (same --rows/--dims) and only queries:
// the persisted index answering after a restart, timed without the load's noise.
// Takes tens of minutes (loading a million rows into PGlite dominates); the data directory is
// rebuilt on every run. Not part of `npm test`; results go to BENCHMARKS.md by hand.
import { rmSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { ruvector } from '@ruvector/pglite'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
)
const ROWS = Number(args.rows ?? 1_000_000)
const DIMS = Number(args.dims ?? 384)
const QUERIES = Number(args.queries ?? 100)
const DIR = resolve(args.dir ?? 'build/bench/rabitq-1m')
const PROBES = (args.probes ?? '10,20,40').split(',').map(Number)
const MWM = args['maintenance-work-mem'] ?? '512MB'
const K = 10
const CLUSTERS = 1000

function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const gaussian = (next) => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next())

/** Clustered rows, each value rounded to 5 significant digits so text and float32 agree. */
function generate(count, seed, centres) {
  const next = rng(seed)
  const out = new Float32Array(count * DIMS)
  for (let i = 0; i < count; i++) {
    const c = Math.floor(next() * CLUSTERS)
    for (let d = 0; d < DIMS; d++) out[i * DIMS + d] = Number((centres[c * DIMS + d] + 0.35 * gaussian(next)).toPrecision(5))
  }
  return out
}
const literal = (data, i) => {
  const parts = new Array(DIMS)
  for (let d = 0; d < DIMS; d++) parts[d] = data[i * DIMS + d].toPrecision(5)
  return `[${parts.join(',')}]`
}
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a)
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`

const centreRng = rng(7)
const centres = Float32Array.from({ length: CLUSTERS * DIMS }, () => gaussian(centreRng))
log(`generating ${ROWS} × ${DIMS}`)
const base = generate(ROWS, 11, centres)
const queries = generate(QUERIES, 12, centres)

const REUSE = process.argv.includes('--reuse')
if (!REUSE) {
  rmSync(DIR, { recursive: true, force: true })
  mkdirSync(DIR, { recursive: true })
}
const tOpen = performance.now()
const db = await PGlite.create(DIR, { extensions: { ruvector } })
if (REUSE) log(`reopened ${DIR} in ${((performance.now() - tOpen) / 1000).toFixed(1)} s`)
let buildSeconds = null
if (!REUSE) {
await db.exec(`CREATE EXTENSION ruvector; CREATE TABLE items (id int4 PRIMARY KEY, embedding vector(${DIMS}) NOT NULL)`)
const tLoad = performance.now()
const CHUNK = 20_000
for (let start = 0; start < ROWS; start += CHUNK) {
  const lines = []
  for (let i = start; i < Math.min(ROWS, start + CHUNK); i++) lines.push(`${i}\t${literal(base, i)}\n`)
  await db.query(`COPY items FROM '/dev/blob'`, [], { blob: new Blob(lines) })
  if ((start / CHUNK) % 10 === 0) log(`loaded ${start + lines.length} rows`)
}
await db.exec('VACUUM ANALYZE items')
log(`load: ${((performance.now() - tLoad) / 1000).toFixed(0)} s`)

await db.exec(`SET maintenance_work_mem = '${MWM}'`)
const tBuild = performance.now()
await db.exec('CREATE INDEX items_rabitq ON items USING rabitq (embedding vector_l2_ops)')
buildSeconds = (performance.now() - tBuild) / 1000
}
const [{ table, index }] = (await db.query(
  `SELECT pg_table_size('items') AS table, pg_relation_size('items_rabitq') AS index`)).rows
// The wasm linear memory only grows, so its size now is the peak (as the bench reports it).
const heap = db.mod?.wasmMemory?.buffer.byteLength
log(`build: ${buildSeconds === null ? 'reused' : `${buildSeconds.toFixed(1)} s`}; table ${mb(Number(table))}, index ${mb(Number(index))}; wasm heap ${heap ? mb(heap) : 'n/a'}`)
const problems = (await db.query(`SELECT count(*)::int AS n FROM ruvector_index_check('items_rabitq')`)).rows[0].n
log(`ruvector_index_check: ${problems} problems`)

log('exact top-10 for the queries (float64, in JS)')
const truth = []
for (let q = 0; q < QUERIES; q++) {
  const best = []
  for (let i = 0; i < ROWS; i++) {
    let s = 0
    for (let d = 0; d < DIMS; d++) {
      const x = base[i * DIMS + d] - queries[q * DIMS + d]
      s += x * x
    }
    if (best.length < K || s < best[best.length - 1][0]) {
      best.push([s, i])
      best.sort((a, b) => a[0] - b[0])
      if (best.length > K) best.pop()
    }
  }
  truth.push(new Set(best.map((b) => b[1])))
}

// Warm-up: the first queries of an instance pay for catalog caches and the first page reads.
for (let q = 0; q < Math.min(10, QUERIES); q++) {
  await db.query(`SELECT id FROM items ORDER BY embedding <-> $1 LIMIT ${K}`, [literal(queries, q)])
}
const results = []
for (const probes of PROBES) {
  await db.exec(`SET rabitq.probes = ${probes}`)
  let hits = 0
  const t0 = performance.now()
  for (let q = 0; q < QUERIES; q++) {
    const res = await db.query(`SELECT id FROM items ORDER BY embedding <-> $1 LIMIT ${K}`, [literal(queries, q)])
    hits += res.rows.filter((r) => truth[q].has(r.id)).length
  }
  const seconds = (performance.now() - t0) / 1000
  results.push({ probes, qps: QUERIES / seconds, recall: hits / (QUERIES * K) })
  log(`probes=${probes}: ${(QUERIES / seconds).toFixed(1)} QPS, recall@10 ${(hits / (QUERIES * K)).toFixed(3)}`)
}
const plan = (await db.query(`EXPLAIN SELECT id FROM items ORDER BY embedding <-> '${literal(queries, 0)}' LIMIT 10`)).rows
log(plan.map((r) => r['QUERY PLAN']).join('\n').replace(/'\[[^\]]*\]'/g, "'[…]'"))
console.log(JSON.stringify({
  rows: ROWS, dims: DIMS, buildSeconds, tableBytes: Number(table), indexBytes: Number(index), wasmHeapAfterBuildBytes: heap,
  wasmHeapAfterQueriesBytes: db.mod?.wasmMemory?.buffer.byteLength, rssBytes: process.memoryUsage().rss, results,
}))
await db.close()
