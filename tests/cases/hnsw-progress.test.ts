// CREATE INDEX ... USING hnsw reports its progress in pg_stat_progress_create_index, as pgvector's
// does: while one connection builds an index over 20,000 × 64 seeded rows, a second one polls
// the view every 20 ms and must catch the build in its `building index: loading tuples` phase
// with its tuple counter moving. Native only: PGlite is one backend, nothing can watch it build.
// ruvector also reports tuples_total (pg_class.reltuples, known here after ANALYZE); pgvector
// 0.8.0 leaves it at 0, so that check is ruvector's alone.
// (ruvector also has a later `writing index pages` sub-phase that pgvector lacks; not asserted.)
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { config } from '../harness/config'
import { literal, randomVector, rng } from '../harness/random'

const DIMS = 64
const ROWS = 20_000
const POLL_MS = 20

const nativeInfo = config.targets.includes('native') ? inject('nativeServer') : null
const describeNative = nativeInfo
  ? describe
  : (title: string, body: () => void) => describe.skip(`${title} (skipped: the native target is not in this run)`, body) // skipped without a native target: the reason is in the title

interface Sample {
  phase: string
  command: string
  tuples_total: number
  tuples_done: number
}

describeNative(`[native:${config.extension}] hnsw build progress in pg_stat_progress_create_index`, () => {
  let builder: pg.Client | undefined
  let watcher: pg.Client | undefined

  beforeAll(async () => {
    const base = { host: nativeInfo!.host, port: nativeInfo!.port, user: nativeInfo!.user }
    const database = `progress_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ ...base, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    builder = new pg.Client({ ...base, database, statement_timeout: config.queryTimeoutMs })
    await builder.connect()
    watcher = new pg.Client({ ...base, database, statement_timeout: config.queryTimeoutMs })
    await watcher.connect()
  })

  afterAll(async () => {
    await watcher?.end()
    await builder?.end()
  })

  test(`${ROWS} × ${DIMS} seeded rows`, { timeout: 120_000 }, async () => {
    const c = builder!
    await c.query(`CREATE EXTENSION ${config.extension}`)
    await c.query(`CREATE TABLE progress_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
    const next = rng(0x9e0c4e55)
    for (let i = 0; i < ROWS; i += 1_000) {
      const ids = Array.from({ length: 1_000 }, (_, j) => i + j + 1)
      await c.query(`INSERT INTO progress_items VALUES ${ids.map((id) => `(${id}, '${literal(randomVector(next, DIMS))}')`).join(',')}`)
    }
    // pg_class.reltuples, which a build can report as its total, is only known after ANALYZE.
    await c.query('ANALYZE progress_items')
    expect((await c.query('SELECT count(*)::int AS n FROM progress_items')).rows).toEqual([{ n: ROWS }])
  })

  const samples: Sample[] = []
  const loading = () => samples.filter((s) => s.phase === 'building index: loading tuples')

  test('a second connection sees the build loading tuples, counting them as CREATE INDEX', { timeout: 120_000 }, async () => {
    const c = builder!
    // The whole graph in memory, and one process building it, so the counters are the leader's.
    await c.query("SET maintenance_work_mem = '512MB'")
    await c.query('SET max_parallel_maintenance_workers = 0')
    const { rows: [{ pid }] } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')

    let building = true
    const build = c.query('CREATE INDEX progress_idx ON progress_items USING hnsw (embedding vector_l2_ops) WITH (m = 16, ef_construction = 64)')
      .finally(() => {
        building = false
      })
    while (building) {
      const { rows } = await watcher!.query<Sample>(
        `SELECT phase, command, tuples_total::float8 AS tuples_total, tuples_done::float8 AS tuples_done
           FROM pg_stat_progress_create_index WHERE pid = $1`, [pid],
      )
      samples.push(...rows)
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
    await build

    const seen = [...new Set(samples.map((s) => s.phase))].join(', ') || 'none'
    expect(loading().length, `phases seen in ${samples.length} polls: ${seen}`).toBeGreaterThan(0)
    expect(samples.every((s) => s.command === 'CREATE INDEX')).toBe(true)
    for (const s of loading()) {
      expect(s.tuples_done).toBeGreaterThanOrEqual(0)
      expect(s.tuples_done).toBeLessThanOrEqual(ROWS)
    }
    // The count moves while the build runs, rather than only being set at the end.
    expect(loading().some((s) => s.tuples_done > 0 && s.tuples_done < ROWS)).toBe(true)
    // Once the command has returned, its row is gone.
    expect((await watcher!.query('SELECT * FROM pg_stat_progress_create_index WHERE pid = $1', [pid])).rows).toEqual([])
  })

  // pgvector 0.8.0 never sets tuples_total during an hnsw build (it stays 0); ruvector reports
  // pg_class.reltuples there, as btree does.
  const totalSkip = config.extension === 'ruvector' ? undefined : 'pgvector leaves tuples_total at 0 in hnsw builds'
  const testTotal = totalSkip ? test.skip : test // skipped against pgvector, which leaves tuples_total at 0
  testTotal(`while loading tuples, tuples_total > 0 and tuples_done is within it${totalSkip ? ` (skipped: ${totalSkip})` : ''}`, () => {
    expect(loading().length).toBeGreaterThan(0)
    for (const s of loading()) {
      expect(s.tuples_total).toBeGreaterThan(0)
      expect(s.tuples_done).toBeGreaterThanOrEqual(0)
      expect(s.tuples_done).toBeLessThanOrEqual(s.tuples_total)
    }
  })
})
