// rabitq with extra bits per dimension (WITH (bits = 2..4); by default 4 where values are stored
// out of line, else 1): the codes keep their one-bit part
// and add refinement planes, read only for the candidates a scan may return. At the default
// settings an index with bits = 4 reaches the recall of the plain one (>= 0.95 on 3,000
// clustered 384-dim rows under cosine, float64 reference), returns rows in non-decreasing exact
// distance, stays sound through inserts, deletes and VACUUM, and is larger than the plain index
// by the size of its planes: per entry 8 bytes of header, 16 of factors and 48 of sign bits, plus
// 3 x 48 bytes of planes and 8 of factors.
import { expect, test } from 'vitest'
import { explain, expectIndexSound, insertRows, SLOW_STATEMENT } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { clusteredVectors, literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const DIMS = 384
const BUILD_ROWS = 3000
const INSERT_ROWS = 600
const QUERY_COUNT = 30
const K = 10
const LISTS = 15
const SLOW = 300_000

const all = clusteredVectors(rng(0xb175), BUILD_ROWS + INSERT_ROWS + QUERY_COUNT, DIMS, { clusters: 8, spread: 0.2 })
const rows = all.slice(0, BUILD_ROWS + INSERT_ROWS).map((v, i) => ({ id: i + 1, v }))
const queries = all.slice(BUILD_ROWS + INSERT_ROWS)
const search = (table: string) => `SELECT id, embedding <=> $1 AS d FROM ${table} ORDER BY embedding <=> $1 LIMIT ${K}`

async function recall(t: Target, table: string, live: { id: number; v: number[] }[]): Promise<number> {
  expect(await explain(t, search(table), [literal(queries[0])])).toContain(`Index Scan using ${table}_idx on ${table}`)
  const found: number[][] = []
  for (const q of queries) {
    const hits = await t.query<{ id: number; d: number }>(search(table), [literal(q)])
    expect(hits).toHaveLength(K)
    const ds = hits.map((h) => h.d)
    expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d), 'exact distances in order').toEqual([])
    found.push(hits.map((h) => h.id))
  }
  return ref.recall(found, queries.map((q) => ref.exactTopK(live, q, K, ref.cosineDistance)))
}

describeTargets(`rabitq with extra bits per dimension (${BUILD_ROWS} clustered ${DIMS}-dim rows, cosine)`, (t) => {
  const pages: Record<number, number> = {}
  for (const bits of [1, 4]) {
    const table = `rq_bits${bits}`
    test(`bits = ${bits}: recall@${K} >= 0.95 at the defaults`, { timeout: SLOW }, async () => {
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, embedding vector(${DIMS}))`)
      await insertRows(t, table, rows.slice(0, BUILD_ROWS).map((r) => `${r.id}, '${literal(r.v)}'`), 250, SLOW_STATEMENT)
      await t.exec(`CREATE INDEX ${table}_idx ON ${table} USING rabitq (embedding vector_cosine_ops) WITH (lists = ${LISTS}, bits = ${bits})`, SLOW_STATEMENT)
      await t.exec(`ANALYZE ${table}`)
      await expectIndexSound(t, `${table}_idx`)
      const [{ n }] = await t.query<{ n: number }>(`SELECT pg_relation_size('${table}_idx')::int / 8192 AS n`)
      pages[bits] = n
      expect(await recall(t, table, rows.slice(0, BUILD_ROWS)), `recall@${K}`).toBeGreaterThanOrEqual(0.95)
    })
  }

  test('the planes cost what the layout says', () => {
    // Entries per 8 KB page (8,168 bytes after Postgres' header, 8 of ours): 8160 / 72 = 113
    // plain, 8160 / 224 = 36 with bits = 4; lists' last pages are partly filled.
    const listPages = (perPage: number) => [pages[1], pages[4]].map(() => Math.ceil(BUILD_ROWS / perPage))
    expect(pages[1]).toBeGreaterThanOrEqual(listPages(113)[0])
    expect(pages[1]).toBeLessThanOrEqual(listPages(113)[0] + LISTS + 3)
    expect(pages[4]).toBeGreaterThanOrEqual(listPages(36)[1])
    expect(pages[4]).toBeLessThanOrEqual(listPages(36)[1] + LISTS + 3)
  })

  test('without bits: 4 where values are stored out of line (>= 2,000 bytes), else 1', async () => {
    const cases = [['vector(384)', 0], ['vector(499)', 0], ['vector(500)', 3], ['vector(3072)', 3],
      ['halfvec(999)', 0], ['halfvec(1000)', 3]] as const
    for (const [type, exBits] of cases) {
      await t.exec(`CREATE TABLE rq_auto (v ${type}); CREATE INDEX rq_auto_idx ON rq_auto USING rabitq (v ${type.split('(')[0]}_l2_ops)`)
      // The metapage is the first page of ruvector_index_contents; its byte 9 holds bits - 1.
      const [{ ex }] = await t.query<{ ex: number }>("SELECT get_byte(ruvector_index_contents('rq_auto_idx'), 9) AS ex")
      expect(ex, type).toBe(exBits)
      await t.exec('DROP TABLE rq_auto')
    }
    await t.exec('CREATE TABLE rq_auto (v vector(3072)); CREATE INDEX rq_auto_idx ON rq_auto USING rabitq (v) WITH (bits = 2)')
    const [{ ex }] = await t.query<{ ex: number }>("SELECT get_byte(ruvector_index_contents('rq_auto_idx'), 9) AS ex")
    expect(ex).toBe(1)
    await t.exec('DROP TABLE rq_auto')
  })

  test(`bits = 4: ${INSERT_ROWS} inserts, then delete 30% and VACUUM`, { timeout: SLOW }, async () => {
    await insertRows(t, 'rq_bits4', rows.slice(BUILD_ROWS).map((r) => `${r.id}, '${literal(r.v)}'`), 200, SLOW_STATEMENT)
    await expectIndexSound(t, 'rq_bits4_idx')
    expect(await recall(t, 'rq_bits4', rows), `recall@${K} after inserts`).toBeGreaterThanOrEqual(0.95)
    await t.exec('DELETE FROM rq_bits4 WHERE id % 10 < 3', SLOW_STATEMENT)
    await t.exec('VACUUM rq_bits4', SLOW_STATEMENT)
    await expectIndexSound(t, 'rq_bits4_idx')
    const live = rows.filter((r) => r.id % 10 >= 3)
    expect(await recall(t, 'rq_bits4', live), `recall@${K} after VACUUM`).toBeGreaterThanOrEqual(0.95)
    await t.exec('DROP TABLE rq_bits4; DROP TABLE rq_bits1')
  })
}, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
