// Every rabitq operator class answers ORDER BY <op> LIMIT k with the rows an exact scan returns
// when every list is probed and every candidate reranked (rabitq.probes = lists, rabitq.rerank
// above the row count), on small seeded sets; half of each table is loaded before CREATE INDEX
// and half after, so both the build and the insert paths are covered. At the default rerank,
// rows still come out in non-decreasing exact distance. NULLs are never returned, zero vectors
// not under cosine, a NULL query still returns every row; an expression index reranks by the
// indexed expression.
import { expect, test } from 'vitest'
import { randomHalfvec } from '../harness/half'
import { explain, expectIndexSound, insertRows, withSettings } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 400
const DIMS = 24
const LISTS = 6
const K = 20
const QUERIES = 4
const ALL = { enable_seqscan: 'off', 'rabitq.probes': LISTS, 'rabitq.rerank': 100_000 }

const FAMILIES = [
  {
    type: 'vector', sqlType: `vector(${DIMS})`,
    value: (next: () => number, zero: boolean) => literal(zero ? new Array(DIMS).fill(0) : randomVector(next, DIMS)),
  },
  {
    type: 'halfvec', sqlType: `halfvec(${DIMS})`,
    value: (next: () => number, zero: boolean) => literal(zero ? new Array(DIMS).fill(0) : randomHalfvec(next, DIMS)),
  },
]
const OPS = [
  { name: 'l2', op: '<->', skipsZero: false },
  { name: 'ip', op: '<#>', skipsZero: false },
  { name: 'cosine', op: '<=>', skipsZero: true },
]

interface Hit { id: number; d: number }

async function topK(t: Target, table: string, op: string, sqlType: string, q: string, limit: string) {
  return t.query<Hit>(`SELECT id, val ${op} $1::${sqlType} AS d FROM ${table} ORDER BY val ${op} $1::${sqlType} ${limit}`, [q])
}

// Plain codes, and codes with three extra bits a dimension (refined before reranking).
const BITS = [1, 4]

describeTargets('rabitq operator classes', (t) => {
  for (const [f, family] of FAMILIES.entries()) for (const bits of BITS) {
    const table = `rq_${family.type}_b${bits}`
    // Every 50th row is NULL; rows with id ≡ 25 (mod 50) are zero vectors.
    const next = rng(0x2a7a00 + f)
    const rows = Array.from({ length: ROWS }, (_, i) => i + 1).map(
      (id) => `${id}, ${id % 50 === 0 ? 'NULL' : `'${family.value(next, id % 50 === 25)}'`}`,
    )
    const queries = Array.from({ length: QUERIES }, () => family.value(next, false))
    const nulls = ROWS / 50
    const zeros = ROWS / 50

    test(`${family.type}, bits = ${bits}: build on half the rows, insert the rest`, async () => {
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, val ${family.sqlType})`)
      await insertRows(t, table, rows.slice(0, ROWS / 2))
      for (const { name } of OPS) {
        await t.exec(`CREATE INDEX ${table}_${name} ON ${table} USING rabitq (val ${family.type}_${name}_ops) WITH (lists = ${LISTS}, bits = ${bits})`)
      }
      await insertRows(t, table, rows.slice(ROWS / 2))
      await t.exec(`ANALYZE ${table}`)
      for (const { name } of OPS) await expectIndexSound(t, `${table}_${name}`)
    })

    for (const { name, op, skipsZero } of OPS) {
      const index = `${table}_${name}`
      test(`${family.type}_${name}_ops, bits = ${bits}: every list and candidate = exact scan; default rerank keeps exact order`, async () => {
        // One index per operator: the planner picks the one whose operator matches.
        const sql = `SELECT id FROM ${table} ORDER BY val ${op} $1::${family.sqlType} LIMIT ${K}`
        await withSettings(t, { enable_seqscan: 'off' }, async () => {
          expect(await explain(t, sql, [queries[0]])).toContain(`Index Scan using ${index} on ${table}`)
        })
        for (const [i, q] of queries.entries()) {
          const viaIndex = await withSettings(t, ALL, () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          const exact = await withSettings(t, { enable_indexscan: 'off' }, () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          expect(viaIndex.map((h) => h.d), `query ${i} distances`).toEqual(exact.map((h) => h.d))
          const last = exact.at(-1)!.d
          const below = (hits: Hit[]) => hits.filter((h) => h.d < last).map((h) => h.id).sort((a, b) => a - b)
          expect(below(viaIndex), `query ${i} ids`).toEqual(below(exact))
        }
        const all = await withSettings(t, ALL, () => topK(t, table, op, family.sqlType, queries[1], ''))
        expect(all.length).toBe(ROWS - nulls - (skipsZero ? zeros : 0))
        expect(all.filter((h) => h.id % 50 === 0)).toEqual([])
        const ordered = await withSettings(t, { enable_seqscan: 'off', 'rabitq.probes': LISTS },
          () => topK(t, table, op, family.sqlType, queries[2], ''))
        const ds = ordered.map((h) => h.d)
        expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d), 'in exact order at the default rerank').toEqual([])
        expect(ordered.length).toBeGreaterThan(all.length * 0.95)
        const [{ n }] = await withSettings(t, ALL, () => t.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT id FROM ${table} ORDER BY val ${op} (SELECT NULL::${family.sqlType})) s`))
        expect(n, 'rows for a NULL query').toBe(all.length)
      })
    }
  }

  test('an expression index reranks by the indexed expression', async () => {
    const next = rng(0x2a7e)
    const rows = Array.from({ length: 300 }, (_, i) => `${i + 1}, '${literal(randomVector(next, DIMS))}'`)
    await t.exec(`CREATE TABLE rq_expr (id int, val vector(${DIMS}))`)
    await insertRows(t, 'rq_expr', rows)
    await t.exec(`CREATE INDEX rq_expr_idx ON rq_expr USING rabitq ((val::halfvec(${DIMS})) halfvec_l2_ops) WITH (lists = 4)`)
    const q = literal(randomVector(next, DIMS))
    const sql = `SELECT id, val::halfvec(${DIMS}) <-> $1::halfvec AS d FROM rq_expr ORDER BY val::halfvec(${DIMS}) <-> $1::halfvec LIMIT ${K}`
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      expect(await explain(t, sql, [q])).toContain('Index Scan using rq_expr_idx on rq_expr')
    })
    const viaIndex = await withSettings(t, { ...ALL, 'rabitq.probes': 4 }, () => t.query<Hit>(sql, [q]))
    const exact = await withSettings(t, { enable_indexscan: 'off' }, () => t.query<Hit>(sql, [q]))
    expect(viaIndex).toEqual(exact)
    await expectIndexSound(t, 'rq_expr_idx')
    await t.exec('DROP TABLE rq_expr')
  })

  test('rows deleted but not vacuumed, and rows of an aborted insert, are never returned', async () => {
    await t.exec(`CREATE TABLE rq_vis (id int, val vector(3))`)
    await t.exec("INSERT INTO rq_vis SELECT i, ARRAY[i, 0, 0]::vector FROM generate_series(1, 50) i")
    await t.exec('CREATE INDEX rq_vis_idx ON rq_vis USING rabitq (val) WITH (lists = 2)')
    await t.exec('DELETE FROM rq_vis WHERE id % 2 = 0')
    await t.exec("BEGIN; INSERT INTO rq_vis VALUES (100, '[0,0,0]'); ROLLBACK")
    const ids = await withSettings(t, ALL, () => t.query<{ id: number }>("SELECT id FROM rq_vis ORDER BY val <-> '[0,0,0]' LIMIT 5"))
    expect(ids.map((r) => r.id)).toEqual([1, 3, 5, 7, 9])
    await t.exec('DROP TABLE rq_vis')
  })
}, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
