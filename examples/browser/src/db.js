// The database: PGlite + ruvector in a Web Worker, persisted in IndexedDB. The first visit imports
// the data asset and builds the hnsw index; later visits open what IndexedDB already holds.
import { PGliteWorker } from '@electric-sql/pglite/worker'
import { loadAsset, manifest } from './load-asset.js'

export const EF_SEARCH = 100

const SCHEMA = `
  CREATE TABLE packages (
    id int PRIMARY KEY,
    name text NOT NULL UNIQUE,
    description text NOT NULL,
    embedding vector(${manifest.dim}) NOT NULL
  );
  -- What was imported, so a reload can tell whether IndexedDB holds this exact asset.
  CREATE TABLE asset_import (sha256 text NOT NULL, timings jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now());
`
const INDEX = `CREATE INDEX packages_embedding_idx ON packages
  USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)`

/**
 * Opens (or first fills) the database. `onStep(text)` reports progress. Resolves to
 * { db, source: 'indexeddb' | 'import', rows, timings, imported } with timings in ms.
 *
 * Durability: with idb://, PGlite by default makes every query -- even a SELECT -- wait until
 * it has compared the whole data directory with IndexedDB and copied what changed: ~200 ms
 * here, against ~10 ms for the search itself. So searches run with relaxedDurability (that copy
 * happens in the background). The import does not: a relaxed background copy can run while
 * CHECKPOINT removes WAL files, fail half-way, and a reload would then find half a database.
 * And as a relaxed instance cannot be closed without losing its last writes, a database that is
 * not (fully) imported is deleted and imported again from scratch with full durability.
 */
export async function openDatabase({ dataDir, onStep = () => {} }) {
  const timings = {}
  let t = performance.now()
  const lap = (name) => {
    const now = performance.now()
    timings[name] = Math.round(now - t)
    t = now
  }
  const open = async (relaxedDurability) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
    const db = await PGliteWorker.create(worker, { dataDir, relaxedDurability })
    await db.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
    return { db, worker }
  }
  const assetSha = manifest.vectors.sha256 + manifest.texts.sha256
  const idbName = idbDatabaseName(dataDir)

  onStep('starting PGlite + ruvector in a Web Worker…')
  if (await idbExists(idbName)) {
    const { db, worker } = await open(true)
    lap('open')
    const { present } = (await db.query(`SELECT to_regclass('asset_import') IS NOT NULL AS present`)).rows[0]
    const stored = present ? (await db.query('SELECT sha256, timings FROM asset_import')).rows[0] : null
    if (stored?.sha256 === assetSha) {
      const rows = await ready(db)
      lap('count')
      return { db, source: 'indexeddb', rows, timings, imported: stored.timings }
    }
    onStep('the stored database is incomplete or from another asset: starting over…')
    worker.terminate()
    await idbDelete(idbName)
  }
  let { db, worker } = await open(false)
  lap('openDurable')
  await importAsset(db, onStep, lap)
  await db.query('INSERT INTO asset_import (sha256, timings) VALUES ($1, $2::jsonb)', [assetSha, JSON.stringify(timings)])
  await db.close()
  worker.terminate()
  onStep('opening the stored database…')
  ;({ db, worker } = await open(true))
  lap('reopen')
  const rows = await ready(db)
  return { db, source: 'import', rows, timings, imported: timings }
}

async function ready(db) {
  await db.exec(`SET hnsw.ef_search = ${EF_SEARCH}`)
  return (await db.query('SELECT count(*)::int AS n FROM packages')).rows[0].n
}

// PGlite's idb:// keeps the data directory in the IndexedDB database "/pglite/<name>".
const idbDatabaseName = (dataDir) => `/pglite/${dataDir.replace(/^idb:\/\//, '')}`
const idbExists = async (name) => (await indexedDB.databases()).some((d) => d.name === name)
const idbDelete = (name) => new Promise((resolve, reject) => {
  const req = indexedDB.deleteDatabase(name)
  req.onsuccess = resolve
  req.onerror = () => reject(req.error)
})

/** Downloads the asset, imports it and builds the index; every step waits for IndexedDB. */
async function importAsset(db, onStep, lap) {
  onStep(`downloading the data asset (${manifest.rows.toLocaleString()} packages)…`)
  await db.exec('DROP TABLE IF EXISTS packages, asset_import')
  const { blob, rows } = await loadAsset()
  lap('fetchAsset')
  onStep(`importing ${rows.toLocaleString()} rows…`)
  await db.exec(SCHEMA)
  await db.query(`COPY packages (id, name, description, embedding) FROM '/dev/blob'`, [], { blob })
  lap('copy')
  onStep('building the hnsw index (cosine)…')
  await db.exec(`SET maintenance_work_mem = '256MB'`)
  await db.exec(INDEX)
  lap('createIndex')
  await db.exec('ANALYZE packages')
  // So that opening the database does not replay the import's WAL.
  await db.exec('CHECKPOINT')
  lap('analyzeCheckpoint')
}

/** The stored embedding of a package, or null if there is no such package. */
async function lookup(db, name) {
  const r = await db.query('SELECT id, embedding::text AS embedding FROM packages WHERE name = $1', [name])
  return r.rows[0] ?? null
}

const KNN = `SELECT id, name, description, embedding <=> $1::vector AS distance
  FROM packages WHERE id <> $2 ORDER BY embedding <=> $1::vector LIMIT $3`

/**
 * "More like this": the k packages nearest to `name`'s own embedding (cosine), itself excluded.
 * exact = true runs the same query with index scans disabled (a sequential scan + sort).
 * Resolves to { query: { id, name }, rows, ms } or null for an unknown package.
 */
export async function moreLikeThis(db, name, { k = 10, exact = false } = {}) {
  const q = await lookup(db, name)
  if (!q) return null
  const params = [q.embedding, q.id, k]
  const t0 = performance.now()
  const rows = exact
    ? await db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_indexscan = off')
        return (await tx.query(KNN, params)).rows
      })
    : (await db.query(KNN, params)).rows
  return { query: { id: q.id, name }, rows, ms: performance.now() - t0 }
}

/** EXPLAIN of the more-like-this query, to show (and test) that the hnsw index is used. */
export async function explainMoreLikeThis(db, name, k = 10) {
  const q = await lookup(db, name)
  if (!q) return null
  const r = await db.query(`EXPLAIN (COSTS OFF) ${KNN}`, [q.embedding, q.id, k])
  return r.rows.map((row) => row['QUERY PLAN']).join('\n')
}

/** Up to `limit` package names starting with `prefix`, for the input's suggestions. */
export async function suggest(db, prefix, limit = 30) {
  const r = await db.query(
    `SELECT name FROM packages WHERE name LIKE $1 || '%' ORDER BY name LIMIT $2`,
    [prefix.replace(/[\\%_]/g, '\\$&'), limit])
  return r.rows.map((row) => row.name)
}

export async function randomPackage(db) {
  return (await db.query('SELECT name FROM packages ORDER BY random() LIMIT 1')).rows[0].name
}
