// Crash durability of an index access method, shared by hnsw-, ivfflat- and rabitq-crash. Native: a
// cluster of its own (so the other files' server is untouched), synchronous_commit on, four
// connections inserting into an indexed table while every server process is SIGKILLed; after
// crash recovery ruvector_index_check finds nothing and every row whose INSERT had returned
// success is found by an index scan for its own vector. PGlite: a cluster in a host directory
// (NodeFS); the index built there answers the same after the instance is closed and the directory
// reopened. Both are ruvector-only (the check function); the native case needs the native target.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { config } from './config'
import { explain, expectIndexSound, hasIndexCheck, insertRows, SLOW_STATEMENT, withSettings } from './hnsw'
import { startNativeServer, type NativeServer } from './native-server'
import { openPglite } from './pglite-target'
import { literal, randomVector, rng } from './random'
import type { Target } from './target'

export interface CrashCase {
  /** The index access method under test. */
  method: 'hnsw' | 'ivfflat' | 'rabitq'
  /** `WITH (...)` options of the index each target builds; empty for none. */
  nativeOptions: string
  pgliteOptions: string
  /** Settings in force for every index scan the checks make (e.g. a wide enough search). */
  nativeScan: Record<string, string | number>
  pgliteScan: Record<string, string | number>
}

const DIMS = 32
const INITIAL_ROWS = 2_000
const WRITERS = 4
const onlyRuvector = config.extension === 'ruvector'
  ? undefined
  : `ruvector_index_check is ruvector's; extension is ${config.extension}`

const vectorOf = (id: number) => randomVector(rng(0xc4a5400 + id), DIMS)

/**
 * Ids among `ids` whose nearest neighbour by the index is not the row itself (seeded random
 * vectors are distinct, so the row itself, at distance 0, must come first).
 */
const SELF_NEAREST = `
  SELECT c.id FROM crash_items c
   WHERE c.id = ANY($1::int[])
     AND c.id IS DISTINCT FROM (SELECT i.id FROM crash_items i ORDER BY i.embedding <-> c.embedding LIMIT 1)`

/** describe, or a skipped describe with the reason in its title. */
const describeUnless = (skip: string | undefined) => (title: string, body: () => void) => // skips against pgvector or without a native target (reason below and in the title)
  skip ? describe.skip(`${title} (skipped: ${skip})`, body) : describe(title, body) // skipped against pgvector or without a native target: the reason is in the title

const createIndex = (method: string, options: string) =>
  `CREATE INDEX crash_idx ON crash_items USING ${method} (embedding vector_l2_ops)${options ? ` WITH (${options})` : ''}`

async function expectCheckEmpty(c: pg.Client) {
  if (!hasIndexCheck) return
  expect((await c.query('SELECT * FROM ruvector_index_check($1::regclass)', ['crash_idx'])).rows).toEqual([])
}

export function describeCrashCases(spec: CrashCase): void {
  const { method } = spec
  const nativeSkip = onlyRuvector ?? (config.targets.includes('native') ? undefined : 'the native target is not in this run')

  describeUnless(nativeSkip)(`[native:${config.extension}] ${method} index after every server process is killed`, () => {
    let server: NativeServer | undefined
    let base: pg.ClientConfig
    const database = 'crash'
    const connect = async () => {
      const c = new pg.Client({ ...base, database })
      c.on('error', () => undefined) // a connection dying with its server is expected here
      await c.connect()
      return c
    }

    beforeAll(async () => {
      // Committed means durable: with synchronous_commit off a success could still be in memory.
      server = await startNativeServer({ settings: { synchronous_commit: 'on' } })
      base = { host: server.info.host, port: server.info.port, user: server.info.user }
      const admin = new pg.Client({ ...base, database: 'postgres' })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${database}`)
      await admin.end()
    })

    afterAll(() => server?.stop())

    const committed = new Set<number>()

    test(`${WRITERS} connections inserting while the server is SIGKILLed`, { timeout: 180_000 }, async () => {
      const c = await connect()
      await c.query(`CREATE EXTENSION ${config.extension}`)
      await c.query(`CREATE TABLE crash_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
      for (let i = 0; i < INITIAL_ROWS; i += 500) {
        const ids = Array.from({ length: 500 }, (_, j) => i + j + 1)
        await c.query(`INSERT INTO crash_items VALUES ${ids.map((id) => `(${id}, '${literal(vectorOf(id))}')`).join(',')}`)
      }
      await c.query(createIndex(method, spec.nativeOptions))
      await c.end()
      for (let id = 1; id <= INITIAL_ROWS; id++) committed.add(id)

      let crashing = false
      let running = WRITERS
      const failures: unknown[] = []
      const attempted = new Set<number>()
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        const client = await connect()
        try {
          // Until the connection dies with the server.
          for (let id = INITIAL_ROWS + 1 + w; ; id += WRITERS) {
            attempted.add(id)
            await client.query('INSERT INTO crash_items VALUES ($1, $2)', [id, literal(vectorOf(id))])
            committed.add(id) // only once the server has acknowledged the commit
          }
        } catch (err) {
          // The server went away mid-INSERT: this row may or may not have been committed. Before
          // the kill, an error is a failure of its own.
          if (!crashing) failures.push(err)
        } finally {
          running--
          await client.end().catch(() => undefined)
        }
      })
      // Kill in the middle of the writing, once each connection has committed a good number of rows.
      while (committed.size < INITIAL_ROWS + 50 * WRITERS && running === WRITERS) await new Promise((r) => setTimeout(r, 20))
      expect(failures).toEqual([])
      crashing = true
      await server!.crash()
      await Promise.all(writers)
      expect(committed.size).toBeGreaterThanOrEqual(INITIAL_ROWS + 50 * WRITERS)
      // INSERTs were on the wire when the server died: they never returned.
      expect(attempted.size).toBeGreaterThan(committed.size - INITIAL_ROWS)
    })

    test('after recovery the index is sound and finds every committed row by its own vector', { timeout: 180_000 }, async () => {
      server!.restart()
      // The restart really was a crash recovery, with WAL to replay.
      const log = readFileSync(server!.logFile, 'utf8')
      expect(log).toContain('database system was not properly shut down; automatic recovery in progress')
      expect(log).toMatch(/redo starts at /)
      const c = await connect()
      try {
        await expectCheckEmpty(c)
        const ids = [...committed]
        const { rows: present } = await c.query('SELECT count(*)::int AS n FROM crash_items WHERE id = ANY($1::int[])', [ids])
        expect(present).toEqual([{ n: ids.length }])
        await c.query('SET enable_seqscan = off')
        for (const [name, value] of Object.entries(spec.nativeScan)) await c.query(`SET ${name} = ${value}`)
        const plan = await c.query(`EXPLAIN (COSTS OFF) ${SELF_NEAREST}`, [ids])
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using crash_idx on crash_items')
        expect((await c.query(SELF_NEAREST, [ids])).rows).toEqual([])
        // And it keeps taking rows.
        const more = Array.from({ length: 100 }, (_, j) => 1_000_000 + j)
        await c.query(`INSERT INTO crash_items VALUES ${more.map((id) => `(${id}, '${literal(vectorOf(id))}')`).join(',')}`)
        expect((await c.query(SELF_NEAREST, [more])).rows).toEqual([])
        await expectCheckEmpty(c)
      } finally {
        await c.end()
      }
    })
  })

  const pgliteSkip = onlyRuvector ?? (config.targets.includes('pglite') ? undefined : 'the pglite target is not in this run')

  describeUnless(pgliteSkip)(`[pglite:${config.extension}] ${method} index in a PGlite data directory, closed and reopened`, () => {
    const dir = mkdtempSync(join(tmpdir(), `ruvector-${method}-pglite-`))
    const dataDir = join(dir, 'pgdata')
    let db: Target | undefined
    const queries = Array.from({ length: 10 }, (_, i) => literal(vectorOf(9_000_000 + i)))
    const answers: number[][] = []
    const ROWS = 1_000
    const allIds = Array.from({ length: ROWS }, (_, i) => i + 1)
    const scan = { enable_seqscan: 'off', ...spec.pgliteScan }

    const answer = (t: Target) => withSettings(t, scan, async () => {
      const out: number[][] = []
      for (const q of queries) out.push((await t.query<{ id: number }>('SELECT id FROM crash_items ORDER BY embedding <-> $1 LIMIT 10', [q])).map((r) => r.id))
      return out
    })

    afterAll(async () => {
      await db?.close()
      rmSync(dir, { recursive: true, force: true })
    })

    test('build an index in a host directory', { timeout: 240_000 }, async () => {
      db = await openPglite(config.extension, null, { dataDir })
      await db.exec(`CREATE TABLE crash_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
      const rows = allIds.map((id) => `${id}, '${literal(vectorOf(id))}'`)
      await insertRows(db, 'crash_items', rows.slice(0, ROWS / 2))
      await db.exec(createIndex(method, spec.pgliteOptions), SLOW_STATEMENT)
      await insertRows(db, 'crash_items', rows.slice(ROWS / 2))
      await expectIndexSound(db, 'crash_idx')
      answers.push(...(await answer(db)))
      await db.close()
      db = undefined
    })

    test('reopened, the index gives the same answers, is sound, and takes new rows', { timeout: 240_000 }, async () => {
      db = await openPglite(config.extension, null, { dataDir })
      const t = db
      expect(await t.query('SELECT count(*)::int AS n FROM crash_items')).toEqual([{ n: ROWS }])
      await expectIndexSound(t, 'crash_idx')
      expect(await answer(t)).toEqual(answers)
      await withSettings(t, scan, async () => {
        expect(await explain(t, SELF_NEAREST, [allIds])).toContain('Index Scan using crash_idx on crash_items')
        expect(await t.query(SELF_NEAREST, [allIds])).toEqual([])
        await t.exec(`INSERT INTO crash_items VALUES (${ROWS + 1}, '${literal(vectorOf(ROWS + 1))}')`)
        expect(await t.query(SELF_NEAREST, [[ROWS + 1]])).toEqual([])
      })
      await expectIndexSound(t, 'crash_idx')
    })
  })
}
