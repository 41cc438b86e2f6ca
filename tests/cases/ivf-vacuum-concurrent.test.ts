// VACUUM compacting IVF list pages while other sessions insert and scan. Native only (PGlite is
// one backend): three connections insert, one deletes and VACUUMs in a loop, one scans. Then
// ruvector_index_check finds nothing and every live row is the nearest neighbour of its own
// vector through the index (all lists probed, so a row the index lost is a failure, not a
// recall miss), for ivfflat and for rabitq with extra bits (whose planes move with entries).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { config } from '../harness/config'
import { hasIndexCheck } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'

const DIMS = 24
const INITIAL_ROWS = 2_000
const WRITERS = 3
const BATCHES = 30
const BATCH_ROWS = 20
const VACUUMS = 6
const LISTS = 8

const nativeInfo = config.targets.includes('native') ? inject('nativeServer') : null
const skip = !nativeInfo ? 'the native target is not in this run' : config.extension !== 'ruvector' ? `rabitq and ruvector_index_check are ruvector's; extension is ${config.extension}` : undefined
const describeUnless = skip // skipped without a native target or against pgvector: the reason is in the title
  ? (title: string, body: () => void) => describe.skip(`${title} (skipped: ${skip})`, body) // skipped without a native target (PGlite is one backend) or against pgvector (no rabitq, no ruvector_index_check)
  : describe

const vectorOf = (id: number) => randomVector(rng(0x7ac0000 + id), DIMS)
const rowsSql = (ids: number[]) => ids.map((id) => `(${id}, '${literal(vectorOf(id))}')`).join(',')

describeUnless(`[native:${config.extension}] ivf VACUUM while other sessions insert and scan`, () => {
  const clients: pg.Client[] = []
  let database = ''
  const connect = async () => {
    const c = new pg.Client({ host: nativeInfo!.host, port: nativeInfo!.port, user: nativeInfo!.user, database, statement_timeout: config.queryTimeoutMs })
    await c.connect()
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    database = `ivfconc_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ host: nativeInfo!.host, port: nativeInfo!.port, user: nativeInfo!.user, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    const c = await connect()
    await c.query(`CREATE EXTENSION ${config.extension}`)
  })

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined)
  })

  for (const [method, options, probes] of [
    ['ivfflat', `lists = ${LISTS}`, 'ivfflat.probes'],
    ['rabitq', `lists = ${LISTS}, bits = 2`, 'rabitq.probes'],
  ] as const) {
    test(method, { timeout: 300_000 }, async () => {
      const table = `conc_${method}`
      const main = clients[0]
      await main.query(`CREATE TABLE ${table} (id int PRIMARY KEY, embedding vector(${DIMS}))`)
      for (let i = 0; i < INITIAL_ROWS; i += 500) {
        await main.query(`INSERT INTO ${table} VALUES ${rowsSql(Array.from({ length: 500 }, (_, j) => i + j + 1))}`)
      }
      await main.query(`CREATE INDEX ${table}_idx ON ${table} USING ${method} (embedding vector_l2_ops) WITH (${options})`)

      const writers = await Promise.all(Array.from({ length: WRITERS }, connect))
      const vacuumer = await connect()
      const scanner = await connect()
      await scanner.query(`SET ${probes} = ${LISTS}`)
      await scanner.query('SET enable_seqscan = off')
      let writing = true
      const write = writers.map(async (c, w) => {
        for (let b = 0; b < BATCHES; b++) {
          const first = 1_000_000 * (w + 1) + b * BATCH_ROWS
          await c.query(`INSERT INTO ${table} VALUES ${rowsSql(Array.from({ length: BATCH_ROWS }, (_, j) => first + j))}`)
        }
      })
      const vacuum = (async () => {
        for (let v = 0; v < VACUUMS; v++) {
          // Old rows and rows the writers just added both die, so VACUUM compacts pages that
          // inserts are filling.
          await vacuumer.query(`DELETE FROM ${table} WHERE id % ${VACUUMS + 1} = ${v} AND id % 3 <> 0`)
          await vacuumer.query(`VACUUM ${table}`)
        }
      })()
      const scan = (async () => {
        let scans = 0
        while (writing) {
          const q = literal(vectorOf(9_000_000 + scans))
          const rows = (await scanner.query(`SELECT id FROM ${table} ORDER BY embedding <-> $1 LIMIT 10`, [q])).rows
          expect(rows.length).toBe(10)
          scans++
        }
        return scans
      })()
      await Promise.all([...write, vacuum])
      writing = false
      expect(await scan).toBeGreaterThan(0)
      await main.query(`VACUUM ${table}`)

      if (hasIndexCheck) {
        expect((await main.query('SELECT * FROM ruvector_index_check($1::regclass)', [`${table}_idx`])).rows).toEqual([])
      }
      const [{ live }] = (await main.query(`SELECT count(*)::int AS live FROM ${table}`)).rows
      expect(live).toBeGreaterThan(INITIAL_ROWS / 2)
      await main.query(`SET ${probes} = ${LISTS}`)
      await main.query('SET enable_seqscan = off')
      const lost = (await main.query(`
        SELECT c.id FROM ${table} c
         WHERE c.id IS DISTINCT FROM (SELECT i.id FROM ${table} i ORDER BY i.embedding <-> c.embedding LIMIT 1)`)).rows
      expect(lost, 'rows not found by their own vector').toEqual([])
      await main.query(`RESET ${probes}`)
      await main.query('RESET enable_seqscan')
    })
  }
})
