// Exact-scan QPS in PGlite, ruvector vs pgvector, nothing else: a quick before/after check for
// per-call overhead of the distance functions (the full harness is `npm run bench`).
//
//   node scripts/bench/exact-scan.mjs [--dims 128,384] [--rows 10000] [--queries 300] [--rounds 5] [--op '<->'] [--chunk 20]
//                                     [--bundle path/to/ruvector.tar.gz]   (default: @ruvector/pglite's)
//
// Both extensions get the same seeded rows and queries, each in its own PGlite instance (both
// define `vector`); rounds alternate between them so drift (other load on the machine, JIT
// warm-up) hits both alike. Prints each one's QPS and the median over rounds of ruvector's QPS / pgvector's.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'
import { ruvector } from '@ruvector/pglite'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
)
const dimsList = (args.dims ?? '128,384').split(',').map(Number)
const rows = Number(args.rows ?? 10000)
const queries = Number(args.queries ?? 300)
const rounds = Number(args.rounds ?? 5)
const op = args.op ?? '<->'

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
const literal = (next, dims) => `[${Array.from({ length: dims }, () => (next() * 2 - 1).toFixed(4)).join(',')}]`

async function open(name, ext, dims) {
  const db = await PGlite.create({ extensions: { [name]: ext } })
  await db.exec(`CREATE EXTENSION ${name}; CREATE TABLE t (id int4 PRIMARY KEY, embedding vector(${dims}) NOT NULL)`)
  const next = rng(dims)
  const batch = 200
  for (let start = 0; start < rows; start += batch) {
    const values = []
    for (let i = start; i < Math.min(rows, start + batch); i++) values.push(`(${i},'${literal(next, dims)}')`)
    await db.exec(`INSERT INTO t VALUES ${values.join(',')}`)
  }
  await db.exec('VACUUM ANALYZE t')
  return db
}

async function run(db, qs) {
  const sql = `SELECT id FROM t ORDER BY embedding ${op} $1 LIMIT 10`
  const ids = []
  const t0 = performance.now()
  for (const q of qs) ids.push((await db.query(sql, [q], { rowMode: 'array' })).rows.map((r) => r[0]).join(','))
  return { seconds: (performance.now() - t0) / 1000, ids }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const chunk = Number(args.chunk ?? 20)

const ruvectorExt = args.bundle
  ? { name: 'ruvector', setup: async () => ({ bundlePath: new URL(`file://${resolve(args.bundle)}`) }) }
  : ruvector
const bundle = (await ruvectorExt.setup(undefined, {})).bundlePath
if (bundle?.protocol === 'file:' && !existsSync(fileURLToPath(bundle))) throw new Error(`no ${fileURLToPath(bundle)}: run scripts/build/wasm.sh`)

for (const dims of dimsList) {
  const dbs = { vector: await open('vector', vector, dims), ruvector: await open('ruvector', ruvectorExt, dims) }
  const next = rng(1000 + dims)
  const qs = Array.from({ length: queries }, () => literal(next, dims))
  // Warm-up, one full pass each: V8 tiers PGlite's wasm up only after it ran hot for a while, and
  // a 20-query warm-up left whichever dimension came first measured much slower.
  const reference = await run(dbs.vector, qs)
  const checked = await run(dbs.ruvector, qs)
  const differ = reference.ids.filter((ids, i) => ids !== checked.ids[i]).length
  if (differ) console.warn(`  ${dims} dims: top-10 differ in ${differ} of ${queries} queries`)
  // Each round alternates the two every `chunk` queries (the machine may be shared: load that
  // comes and goes then hits both alike); its ratio is pgvector's time over ruvector's.
  const seconds = { vector: 0, ruvector: 0 }
  const ratios = []
  for (let r = 0; r < rounds; r++) {
    const round = { vector: 0, ruvector: 0 }
    for (let start = 0, k = r; start < queries; start += chunk, k++) {
      for (const name of k % 2 ? ['ruvector', 'vector'] : ['vector', 'ruvector']) {
        round[name] += (await run(dbs[name], qs.slice(start, start + chunk))).seconds
      }
    }
    ratios.push(round.vector / round.ruvector)
    seconds.vector += round.vector
    seconds.ruvector += round.ruvector
  }
  const n = queries * rounds
  console.log(`${dims} dims, ${rows} rows, ${op}: pgvector ${(n / seconds.vector).toFixed(1)} QPS, ruvector ${(n / seconds.ruvector).toFixed(1)} QPS,`
    + ` ratio ${median(ratios).toFixed(2)} (median of rounds: ${ratios.map((x) => x.toFixed(2)).join(' ')})`)
  await dbs.vector.close()
  await dbs.ruvector.close()
}
