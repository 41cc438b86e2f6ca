// Iterative rabitq scans. A plain scan reads rabitq.probes lists and stops, so a 1%-selective
// WHERE clause leaves the answer short; rabitq.iterative_scan reads the next lists until the
// query has its rows or rabitq.max_probes lists were read. relaxed_order restarts the order at
// each batch of lists and returns every row; strict_order keeps every row in non-decreasing
// exact distance, dropping rows of later lists nearer than one already returned, so it may
// return fewer.
import { expect, test } from 'vitest'
import { explain, expectIndexSound, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { literal, randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 10_000
const DIMS = 32
const CATEGORIES = 100
const LISTS = 100
const K = 10

const next = rng(0x2a17e2)
const rows = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, category: (i + 1) % CATEGORIES, v: randomVector(next, DIMS) }))
const queries = Array.from({ length: 8 }, (_, i) => ({ category: (i * 37) % CATEGORIES, v: randomVector(next, DIMS) }))

const FILTERED = `SELECT id, embedding <-> $2 AS d FROM rq_iter WHERE category = $1 ORDER BY embedding <-> $2 LIMIT ${K}`

interface Hit { id: number; d: number }

function filtered(t: Target, q: (typeof queries)[number], settings: Record<string, string | number>) {
  return withSettings(t, { enable_seqscan: 'off', 'rabitq.probes': 1, ...settings }, () => t.query<Hit>(FILTERED, [q.category, literal(q.v)]))
}

describeTargets('rabitq iterative index scans', (t) => {
  test('load 10,000 rows in 100 categories and index them', { timeout: 300_000 }, async () => {
    await t.exec(`CREATE TABLE rq_iter (id int, category int, embedding vector(${DIMS}))`)
    await insertRows(t, 'rq_iter', rows.map((r) => `${r.id}, ${r.category}, '${literal(r.v)}'`), 1000)
    await t.exec(`CREATE INDEX rq_iter_idx ON rq_iter USING rabitq (embedding vector_l2_ops) WITH (lists = ${LISTS})`, SLOW_STATEMENT)
    await t.exec('ANALYZE rq_iter')
    await expectIndexSound(t, 'rq_iter_idx')
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      const plan = await explain(t, FILTERED, [queries[0].category, literal(queries[0].v)])
      expect(plan).toContain('Index Scan using rq_iter_idx on rq_iter')
      expect(plan).toMatch(/Filter: \(category = /)
    })
  })

  test('off (the default): a 1%-selective filter over one list leaves the answer short', async () => {
    let total = 0
    for (const q of queries) total += (await filtered(t, q, {})).length
    expect(total).toBeLessThan(queries.length * K / 2)
  })

  for (const mode of ['relaxed_order', 'strict_order']) {
    test(`${mode}: the filtered query gets ${mode === 'strict_order' ? 'most of its' : K} rows of its category`, async () => {
      const found: number[][] = []
      const expected: number[][] = []
      for (const q of queries) {
        const hits = await filtered(t, q, { 'rabitq.iterative_scan': mode, 'rabitq.probes': 10 })
        if (mode === 'strict_order') expect(hits.length).toBeGreaterThanOrEqual(K / 2)
        else expect(hits).toHaveLength(K)
        expect(hits.every((h) => rows[h.id - 1].category === q.category)).toBe(true)
        expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length)
        if (mode === 'strict_order') {
          const ds = hits.map((h) => h.d)
          expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d)).toEqual([])
        }
        found.push(hits.map((h) => h.id))
        expected.push(ref.exactTopK(rows.filter((r) => r.category === q.category), q.v, K, ref.l2))
      }
      // Rows of the first batch that matches come first even if a later list holds nearer ones,
      // so recall is well below 1 on this uniform data (measured: 0.375 relaxed).
      expect(ref.recall(found, expected)).toBeGreaterThanOrEqual(0.3)
    })
  }

  test('iterative scans stop at rabitq.max_probes lists; a category with no rows returns none', async () => {
    const q = literal(queries[1].v)
    const count = async (settings: Record<string, string | number>) => (await withSettings(t,
      { enable_seqscan: 'off', 'rabitq.iterative_scan': 'relaxed_order', 'rabitq.probes': 1, ...settings },
      () => t.query(`SELECT id FROM rq_iter ORDER BY embedding <-> $1`, [q]))).length
    expect(await count({})).toBe(ROWS)
    const two = await count({ 'rabitq.max_probes': 2 })
    expect(two).toBeGreaterThan(0)
    expect(two).toBeLessThan(ROWS / 10)
    expect(await count({ 'rabitq.max_probes': 1, 'rabitq.probes': 2 })).toBe(two)
    const none = { category: CATEGORIES + 1, v: queries[2].v }
    expect(await filtered(t, none, { 'rabitq.iterative_scan': 'relaxed_order' })).toEqual([])
  })
}, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
