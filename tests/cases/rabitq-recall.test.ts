// Recall of a rabitq index at its DEFAULT settings (lists chosen from the row count,
// rabitq.probes, rabitq.rerank) on 10,000 clustered vectors, at 128 dimensions under L2 and 768
// under cosine, measured against exact top-10 lists computed here in float64: after the build,
// after 2,000 more inserts, and after deleting 30% of the rows and VACUUM (which must keep every
// deleted row out of the answers). The bar is 0.95. Rows must come out in non-decreasing exact
// distance (the scan reranks from the heap; Postgres never sees an estimate), and
// ruvector_index_check must find nothing after each step.
import { expect, test } from 'vitest'
import { explain, expectIndexSound, insertRows, SLOW_STATEMENT } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { clusteredVectors, literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const BUILD_ROWS = 10_000
const INSERT_ROWS = 2_000
const QUERY_COUNT = 40
const K = 10
const MIN_RECALL = 0.95
const SLOW = 600_000

const CASES = [
  { dims: 128, opclass: 'vector_l2_ops', op: '<->', distance: ref.l2, seed: 0x2ab1 },
  { dims: 768, opclass: 'vector_cosine_ops', op: '<=>', distance: ref.cosineDistance, seed: 0x2ab2 },
] as const

for (const c of CASES) {
  const table = `rq_recall_${c.dims}`
  const all = clusteredVectors(rng(c.seed), BUILD_ROWS + INSERT_ROWS + QUERY_COUNT, c.dims, { clusters: 8, spread: 0.2 })
  const rows = all.slice(0, BUILD_ROWS + INSERT_ROWS).map((v, i) => ({ id: i + 1, v }))
  const queries = all.slice(BUILD_ROWS + INSERT_ROWS)
  const deleted = (id: number) => id % 10 < 3
  const search = `SELECT id, embedding ${c.op} $1 AS d FROM ${table} ORDER BY embedding ${c.op} $1 LIMIT ${K}`

  async function measure(t: Target, live: { id: number; v: number[] }[]): Promise<{ recall: number; returned: number[] }> {
    const expected = queries.map((q) => ref.exactTopK(live, q, K, c.distance))
    // No settings at all: the planner must choose the index on its own, at the defaults.
    expect(await explain(t, search, [literal(queries[0])])).toContain(`Index Scan using ${table}_idx on ${table}`)
    const found: number[][] = []
    for (const q of queries) {
      const hits = await t.query<{ id: number; d: number }>(search, [literal(q)])
      expect(hits).toHaveLength(K)
      const ds = hits.map((h) => h.d)
      expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d), 'exact distances in order').toEqual([])
      found.push(hits.map((h) => h.id))
    }
    return { recall: ref.recall(found, expected), returned: found.flat() }
  }

  describeTargets(`rabitq recall at default settings on ${BUILD_ROWS} clustered ${c.dims}-dim vectors (${c.opclass})`, (t) => {
    test(`build: recall@${K} >= ${MIN_RECALL}`, { timeout: SLOW }, async () => {
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, embedding vector(${c.dims}))`)
      await insertRows(t, table, rows.slice(0, BUILD_ROWS).map((r) => `${r.id}, '${literal(r.v)}'`), 250, SLOW_STATEMENT)
      await t.exec(`CREATE INDEX ${table}_idx ON ${table} USING rabitq (embedding ${c.opclass})`, SLOW_STATEMENT)
      await t.exec(`ANALYZE ${table}`)
      await expectIndexSound(t, `${table}_idx`)
      const { recall } = await measure(t, rows.slice(0, BUILD_ROWS))
      expect(recall, `recall@${K}`).toBeGreaterThanOrEqual(MIN_RECALL)
    })

    test('the index is far smaller than the table (with its TOAST)', { timeout: SLOW }, async () => {
      const [{ ratio }] = await t.query<{ ratio: number }>(
        `SELECT pg_relation_size('${table}_idx')::float8 / pg_table_size('${table}') AS ratio`)
      // Codes are 1 bit a dimension plus 24 bytes of header and factors (128 dims: 40 bytes
      // against 520 a row), 4 bits plus 32 bytes at 768 dims, where values are stored out of
      // line and bits = 4 is the default (416 bytes against 3,080).
      expect(ratio).toBeLessThan(c.dims >= 768 ? 0.16 : 0.12)
    })

    test(`${INSERT_ROWS} inserts into the built index: recall@${K} >= ${MIN_RECALL}`, { timeout: SLOW }, async () => {
      await insertRows(t, table, rows.slice(BUILD_ROWS).map((r) => `${r.id}, '${literal(r.v)}'`), 250, SLOW_STATEMENT)
      await expectIndexSound(t, `${table}_idx`)
      const { recall } = await measure(t, rows)
      expect(recall, `recall@${K}`).toBeGreaterThanOrEqual(MIN_RECALL)
    })

    test(`delete 30% and VACUUM: no deleted row returned, recall@${K} >= ${MIN_RECALL}`, { timeout: SLOW }, async () => {
      await t.exec(`DELETE FROM ${table} WHERE id % 10 < 3`, SLOW_STATEMENT)
      await t.exec(`VACUUM ${table}`, SLOW_STATEMENT)
      await expectIndexSound(t, `${table}_idx`)
      const live = rows.filter((r) => !deleted(r.id))
      const { recall, returned } = await measure(t, live)
      expect(returned.filter(deleted)).toEqual([])
      expect(recall, `recall@${K}`).toBeGreaterThanOrEqual(MIN_RECALL)
      await t.exec(`DROP TABLE ${table}`)
    })
  }, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
}
