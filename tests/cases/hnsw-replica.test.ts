// An hnsw index replicates through WAL. Native: a primary cluster of its own and a hot standby
// made from it with pg_basebackup -R, streaming. On the primary the index is built, then takes
// 500 inserts and loses 30% of its rows to DELETE + VACUUM, every page change of which reaches
// the standby only as GenericXLog records. Once the standby has replayed the primary's current
// LSN, its index scans give the very top-10 the primary's give (the same pages, so the same
// answers) and ruvector_index_check finds nothing on either side. ruvector-only (the check
// function) and native-only (a PGlite instance has no replication).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { config } from '../harness/config'
import { hasIndexCheck } from '../harness/hnsw'
import { startNativeServer, type NativeServer } from '../harness/native-server'
import { literal, randomVector, rng } from '../harness/random'

const DIMS = 16
const INITIAL_ROWS = 2_000
const LATER_ROWS = 500
const QUERIES = 30
const REPLAY_LIMIT_MS = 30_000
const onlyRuvector = config.extension === 'ruvector'
  ? undefined
  : `ruvector_index_check is ruvector's; extension is ${config.extension}`

const vectorOf = (id: number) => randomVector(rng(0x4e91a00 + id), DIMS)
const queries = Array.from({ length: QUERIES }, (_, i) => literal(vectorOf(7_000_000 + i)))

const TOP10 = 'SELECT id FROM replica_items ORDER BY embedding <-> $1 LIMIT 10'

/** describe, or a skipped describe with the reason in its title. */
const describeUnless = (skip: string | undefined) => (title: string, body: () => void) => // skips against pgvector or without a native target (reason below and in the title)
  skip ? describe.skip(`${title} (skipped: ${skip})`, body) : describe(title, body) // skipped against pgvector (no ruvector_index_check) or without a native target

const nativeSkip = onlyRuvector ?? (config.targets.includes('native') ? undefined : 'the native target is not in this run')

describeUnless(nativeSkip)(`[native:${config.extension}] hnsw index on a streaming-replication hot standby`, () => {
  let primary: NativeServer | undefined
  let standby: NativeServer | undefined
  let onPrimary: pg.Client | undefined
  let onStandby: pg.Client | undefined
  const database = 'replica'

  const insert = async (c: pg.Client, from: number, count: number) => {
    for (let i = 0; i < count; i += 250) {
      const ids = Array.from({ length: Math.min(250, count - i) }, (_, j) => from + i + j)
      await c.query(`INSERT INTO replica_items VALUES ${ids.map((id) => `(${id}, '${literal(vectorOf(id))}')`).join(',')}`)
    }
  }

  const topTens = async (c: pg.Client) => {
    const out: number[][] = []
    for (const q of queries) out.push((await c.query<{ id: number }>(TOP10, [q])).rows.map((r) => r.id))
    return out
  }

  const checkEmpty = async (c: pg.Client, side: string) => {
    if (!hasIndexCheck) return
    const { rows } = await c.query('SELECT * FROM ruvector_index_check($1::regclass)', ['replica_idx'])
    expect(rows, `ruvector_index_check('replica_idx') on the ${side}`).toEqual([])
  }

  beforeAll(async () => {
    // Page images at the first change after a checkpoint, as a production primary writes them.
    primary = await startNativeServer({ settings: { full_page_writes: 'on' } })
    const base = { host: primary.info.host, port: primary.info.port, user: primary.info.user }
    const admin = new pg.Client({ ...base, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    // The standby starts from a copy of the (still empty) primary; everything after is streamed.
    standby = await startNativeServer({ standbyOf: primary.info })
    onPrimary = new pg.Client({ ...base, database })
    await onPrimary.connect()
    onStandby = new pg.Client({ host: standby.info.host, port: standby.info.port, user: standby.info.user, database })
    await onStandby.connect()
  })

  afterAll(async () => {
    await onStandby?.end().catch(() => undefined)
    await onPrimary?.end().catch(() => undefined)
    standby?.stop()
    primary?.stop()
  })

  test('the standby is in recovery, streaming from the primary', async () => {
    expect((await onStandby!.query('SELECT pg_is_in_recovery() AS r')).rows).toEqual([{ r: true }])
    expect((await onPrimary!.query('SELECT pg_is_in_recovery() AS r')).rows).toEqual([{ r: false }])
  })

  test('on the primary: build, 500 inserts, DELETE 30% and VACUUM', { timeout: 120_000 }, async () => {
    const c = onPrimary!
    await c.query(`CREATE EXTENSION ${config.extension}`)
    await c.query(`CREATE TABLE replica_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
    await insert(c, 1, INITIAL_ROWS)
    await c.query('CREATE INDEX replica_idx ON replica_items USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64)')
    // Each of these goes into the built index through aminsert: GenericXLog records only.
    await insert(c, INITIAL_ROWS + 1, LATER_ROWS)
    const deleted = await c.query('DELETE FROM replica_items WHERE id % 10 < 3')
    expect(deleted.rowCount).toBe(750)
    await c.query('VACUUM replica_items')
    expect((await c.query('SELECT count(*)::int AS n FROM replica_items')).rows).toEqual([{ n: INITIAL_ROWS + LATER_ROWS - 750 }])
    await checkEmpty(c, 'primary')
  })

  test('the standby replays up to the primary\'s current WAL position', { timeout: REPLAY_LIMIT_MS + 10_000 }, async () => {
    // The insert position, not pg_current_wal_lsn(): the test servers run with
    // synchronous_commit off, so the write position can still be short of the DELETE's commit.
    const { rows: [{ lsn }] } = await onPrimary!.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')
    const deadline = Date.now() + REPLAY_LIMIT_MS
    let replayed = ''
    for (;;) {
      const { rows: [row] } = await onStandby!.query<{ replayed: string | null; caught_up: boolean | null }>(
        'SELECT pg_last_wal_replay_lsn()::text AS replayed, pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up', [lsn],
      )
      replayed = row.replayed ?? '(none)'
      if (row.caught_up) break
      if (Date.now() > deadline) throw new Error(`standby replayed up to ${replayed}, primary is at ${lsn}, after ${REPLAY_LIMIT_MS} ms`)
      await new Promise((r) => setTimeout(r, 50))
    }
    expect((await onStandby!.query('SELECT count(*)::int AS n FROM replica_items')).rows).toEqual([{ n: INITIAL_ROWS + LATER_ROWS - 750 }])
  })

  test(`on the standby the index scan's top-10 for ${QUERIES} queries equals the primary's, and both indexes are sound`, { timeout: 60_000 }, async () => {
    for (const c of [onPrimary!, onStandby!]) await c.query('SET enable_seqscan = off')
    const plan = await onStandby!.query(`EXPLAIN (COSTS OFF) ${TOP10}`, [queries[0]])
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using replica_idx on replica_items')
    const fromPrimary = await topTens(onPrimary!)
    const fromStandby = await topTens(onStandby!)
    // Not a vacuous comparison: every query found its ten, none of them a deleted row.
    for (const ids of fromPrimary) {
      expect(ids).toHaveLength(10)
      expect(ids.filter((id) => id % 10 < 3)).toEqual([])
    }
    expect(fromStandby).toEqual(fromPrimary)
    await checkEmpty(onStandby!, 'standby')
    await checkEmpty(onPrimary!, 'primary')
  })
})
