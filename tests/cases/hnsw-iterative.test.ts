// Iterative index scans (hnsw.iterative_scan). A plain hnsw scan looks at hnsw.ef_search
// candidates and stops, so a selective WHERE clause or a LIMIT above ef_search leaves the answer
// short; relaxed_order and strict_order keep scanning until the query has its rows (or
// hnsw.max_scan_tuples is reached), strict_order also keeping distance order. The filter here
// matches 1% of 10,000 rows. The index scan is forced (enable_seqscan = off): which plan the
// planner picks for a filtered query is a cost question, covered in hnsw-planner.
import { expect, test } from 'vitest'
import { explain, expectIndexSound, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 10_000
const DIMS = 16
const CATEGORIES = 100
const K = 10

const next = rng(0x17e2a7e)
const rows = Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, category: (i + 1) % CATEGORIES, v: randomVector(next, DIMS) }))
const queries = Array.from({ length: 8 }, (_, i) => ({ category: (i * 37) % CATEGORIES, v: randomVector(next, DIMS) }))

const FILTERED = `SELECT id, embedding <-> $2 AS d FROM iter WHERE category = $1 ORDER BY embedding <-> $2 LIMIT ${K}`

interface Hit { id: number; d: number }

function filtered(t: Target, q: (typeof queries)[number], settings: Record<string, string | number>) {
  return withSettings(t, { enable_seqscan: 'off', ...settings }, () => t.query<Hit>(FILTERED, [q.category, literal(q.v)]))
}

describeTargets('hnsw iterative index scans', (t) => {
  test('load 10,000 rows in 100 categories and index them', { timeout: 300_000 }, async () => {
    await t.exec(`CREATE TABLE iter (id int, category int, embedding vector(${DIMS}))`)
    await insertRows(t, 'iter', rows.map((r) => `${r.id}, ${r.category}, '${literal(r.v)}'`), 1000)
    await t.exec('CREATE INDEX iter_idx ON iter USING hnsw (embedding vector_l2_ops)', SLOW_STATEMENT)
    await t.exec('ANALYZE iter')
    await expectIndexSound(t, 'iter_idx')
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      const plan = await explain(t, FILTERED, [queries[0].category, literal(queries[0].v)])
      expect(plan).toContain('Index Scan using iter_idx on iter')
      expect(plan).toMatch(/Filter: \(category = /)
    })
  })

  test('off (the default): a 1%-selective filter leaves the answer short', async () => {
    let total = 0
    for (const q of queries) {
      const hits = await filtered(t, q, {})
      expect(hits.length).toBeLessThan(K)
      total += hits.length
    }
    // ef_search = 40 candidates hold about 0.4 rows of one category on average.
    expect(total).toBeLessThan(queries.length * K / 2)
  })

  for (const mode of ['relaxed_order', 'strict_order']) {
    test(`${mode}: the filtered query gets all ${K} rows, nearly the exact ones`, async () => {
      const found: number[][] = []
      const expected: number[][] = []
      for (const q of queries) {
        const hits = await filtered(t, q, { 'hnsw.iterative_scan': mode })
        expect(hits).toHaveLength(K)
        expect(hits.every((h) => rows[h.id - 1].category === q.category)).toBe(true)
        expect(new Set(hits.map((h) => h.id)).size).toBe(K)
        if (mode === 'strict_order') {
          const ds = hits.map((h) => h.d)
          expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d)).toEqual([])
        }
        found.push(hits.map((h) => h.id))
        expected.push(ref.exactTopK(rows.filter((r) => r.category === q.category), q.v, K, ref.l2))
      }
      expect(ref.recall(found, expected)).toBeGreaterThanOrEqual(0.9)
    })
  }

  test('strict_order returns a long answer in non-decreasing distance order', async () => {
    const q = literal(queries[0].v)
    const hits = await withSettings(t, { enable_seqscan: 'off', 'hnsw.iterative_scan': 'strict_order', 'hnsw.ef_search': 10 },
      () => t.query<Hit>(`SELECT id, embedding <-> $1 AS d FROM iter ORDER BY embedding <-> $1 LIMIT 300`, [q]))
    expect(hits).toHaveLength(300)
    const ds = hits.map((h) => h.d)
    expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d)).toEqual([])
  })

  test('without an iterative scan a LIMIT above ef_search gets ef_search rows; with one, all of them', async () => {
    const q = literal(queries[1].v)
    const sql = 'SELECT id FROM iter ORDER BY embedding <-> $1 LIMIT 100'
    const off = await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 40 }, () => t.query(sql, [q]))
    expect(off).toHaveLength(40)
    for (const mode of ['relaxed_order', 'strict_order']) {
      const on = await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 40, 'hnsw.iterative_scan': mode },
        () => t.query(sql, [q]))
      expect(on).toHaveLength(100)
    }
  })

  test('an iterative scan for a filter no row matches ends, empty, under either bound', async () => {
    // The scan can only stop at hnsw.max_scan_tuples (default 20,000, more than the table) or at
    // the end of the graph; either way the answer is empty and comes back.
    const none = { category: CATEGORIES + 1, v: queries[2].v }
    for (const mode of ['relaxed_order', 'strict_order']) {
      expect(await filtered(t, none, { 'hnsw.iterative_scan': mode })).toEqual([])
      expect(await filtered(t, none, { 'hnsw.iterative_scan': mode, 'hnsw.max_scan_tuples': 1000 })).toEqual([])
    }
  })
})
