// Per-query time of a rabitq scan in PGlite on a real dataset, against pgvector's hnsw in the
// same process: the loop to run under `node --cpu-prof` when tuning the scan (the profile shows
// the side module's wasm function names).
//
//   node [--cpu-prof] scripts/bench/rabitq-profile.mjs [--dataset debian-minilm] [--rows 60173]
//        [--queries 300] [--probes 16] [--ef 20,40] [--lists 60] [--only rabitq|hnsw] [--cache DIR]
//        [--bundle path/to/ruvector.tar.gz]   (default: @ruvector/pglite's, to compare builds)
//
// Run from the repository root. The first setting of a run is slower (the JIT warms up): list
// a throwaway setting first when comparing.
//
// The loaded table and its index are dumped to --cache (build/bench/rabitq-profile) the first
// time, keyed by dataset, rows and lists, so later runs only query. Delete the dump after a change
// to the index format. Recall@10 is against the dataset's shipped ground truth (full data only).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { ruvector as packaged } from '@ruvector/pglite'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
)
const DATASET = args.dataset ?? 'debian-minilm'
const DIR = args['datasets-dir'] ?? '/work/shared/datasets'
const ROWS = Number(args.rows ?? Infinity)
const QUERIES = Number(args.queries ?? 300)
const WARMUP = 50
const PROBES = String(args.probes ?? '16').split(',').map(Number)
const EF = String(args.ef ?? '20,40').split(',').map(Number)
const LISTS = Number(args.lists ?? 60)
const ONLY = args.only
const CACHE = resolve(args.cache ?? 'build/bench/rabitq-profile')
const K = 10
const ruvector = args.bundle
  ? { name: 'ruvector', setup: async () => ({ bundlePath: new URL(`file://${resolve(args.bundle)}`) }) }
  : packaged

function fvecs(path, limit = Infinity) {
  const buf = readFileSync(path)
  const dims = buf.readInt32LE(0)
  const stride = 4 + dims * 4
  const count = Math.min(buf.length / stride, limit)
  const data = new Float32Array(count * dims)
  for (let i = 0; i < count; i++) for (let j = 0; j < dims; j++) data[i * dims + j] = buf.readFloatLE(i * stride + 4 + j * 4)
  return { dims, count, data }
}
function groundTruth(path, count) {
  const buf = readFileSync(path)
  const k = buf.readInt32LE(0)
  return Array.from({ length: count }, (_, q) => Array.from({ length: K }, (_, j) => buf.readInt32LE(q * (k + 1) * 4 + 4 + j * 4)))
}
// Shortest decimal that parses back to the same float32.
const f32 = (x) => {
  for (let p = 6; p < 9; p++) if (Math.fround(Number(x.toPrecision(p))) === x) return String(Number(x.toPrecision(p)))
  return String(Number(x.toPrecision(9)))
}
const literal = (data, i, dims) => `[${Array.from(data.subarray(i * dims, (i + 1) * dims), f32).join(',')}]`
const log = (...a) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a)

const base = fvecs(`${DIR}/${DATASET}.base.fvecs`, ROWS)
const queries = fvecs(`${DIR}/${DATASET}.query.fvecs`, QUERIES)
const dims = base.dims
const full = base.count === fvecs(`${DIR}/${DATASET}.base.fvecs`).count
const truth = full && existsSync(`${DIR}/${DATASET}.query.groundtruth.ivecs`)
  ? groundTruth(`${DIR}/${DATASET}.query.groundtruth.ivecs`, queries.count) : null
const qlits = Array.from({ length: queries.count }, (_, i) => literal(queries.data, i, dims))

async function open(name, ext, indexSql) {
  const dump = `${CACHE}/${DATASET}-${base.count}-${name}-${LISTS}.tar.gz`
  if (existsSync(dump)) {
    return PGlite.create({ extensions: { [name]: ext }, loadDataDir: new Blob([readFileSync(dump)]) })
  }
  const db = await PGlite.create({ extensions: { [name]: ext } })
  await db.exec(`CREATE EXTENSION ${name}; CREATE TABLE items (id int4 NOT NULL, embedding vector(${dims}) NOT NULL)`)
  log(`${name}: loading ${base.count} rows`)
  for (let s = 0; s < base.count; s += 500) {
    const values = []
    for (let i = s; i < Math.min(base.count, s + 500); i++) values.push(`(${i},'${literal(base.data, i, dims)}')`)
    await db.exec(`INSERT INTO items VALUES ${values.join(',')}`)
  }
  await db.exec('VACUUM ANALYZE items')
  await db.exec("SET maintenance_work_mem = '1GB'")
  const t0 = performance.now()
  await db.exec(indexSql)
  log(`${name}: index built in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  mkdirSync(CACHE, { recursive: true })
  writeFileSync(dump, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()))
  return db
}

async function run(db, label, gucs) {
  await db.exec(gucs)
  const sql = `SELECT id FROM items ORDER BY embedding <=> $1 LIMIT ${K}`
  for (let q = 0; q < Math.min(WARMUP, qlits.length); q++) await db.query(sql, [qlits[q]], { rowMode: 'array' })
  let hits = 0
  const t0 = performance.now()
  const results = []
  for (const q of qlits) results.push((await db.query(sql, [q], { rowMode: 'array' })).rows.map((r) => r[0]))
  const seconds = (performance.now() - t0) / 1000
  if (truth) results.forEach((ids, q) => { hits += ids.filter((id) => truth[q].includes(id)).length })
  const recall = truth ? (hits / (K * results.length)).toFixed(3) : 'n/a'
  log(`${label}: ${(results.length / seconds).toFixed(1)} QPS, ${(1000 * seconds / results.length).toFixed(3)} ms/query, recall@10 ${recall}`)
}

if (ONLY !== 'hnsw') {
  const db = await open('ruvector', ruvector, `CREATE INDEX ON items USING rabitq (embedding vector_cosine_ops) WITH (lists = ${LISTS})`)
  for (const p of PROBES) await run(db, `ruvector rabitq probes=${p}`, `SET rabitq.probes = ${p}`)
  await db.close()
}
if (ONLY !== 'rabitq') {
  const db = await open('vector', vector, `CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`)
  for (const ef of EF) await run(db, `pgvector hnsw ef_search=${ef}`, `SET hnsw.ef_search = ${ef}`)
  await db.close()
}
