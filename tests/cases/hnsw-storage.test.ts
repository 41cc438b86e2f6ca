// How hnsw indexes store `vector` values. ruvector's (L2, inner product, cosine) keep bfloat16
// plus what bounds its rounding, and report lower bounds that the executor rechecks against the
// row: so the index is about half pgvector's size, and results must still come back in exact
// order with exact distances — even for rows closer together than bfloat16 can tell apart, and
// at any scale of values. The ordering cases hold for pgvector too (it stores float4).
import { expect, test } from 'vitest'
import { config } from '../harness/config'
import { expectIndexSound, insertRows, withSettings } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

type Row = { id: number; v: number[] }

const metrics = [
  { opclass: 'vector_l2_ops', op: '<->', distance: ref.l2, scale: () => 0 },
  { opclass: 'vector_ip_ops', op: '<#>', distance: (a: ref.Vec, b: ref.Vec) => -ref.innerProduct(a, b), scale: ref.innerProductScale },
  // 1 - cos loses float4's relative precision near 0: compare on the scale of cos itself.
  { opclass: 'vector_cosine_ops', op: '<=>', distance: ref.cosineDistance, scale: () => 1 },
] as const

async function load(t: Target, table: string, dims: number, rows: Row[]): Promise<void> {
  await t.exec(`CREATE TABLE ${table} (id int, v vector(${dims}))`)
  await insertRows(t, table, rows.map((r) => `${r.id}, '${literal(r.v)}'`), 200)
}

/** Every query's top 10 through the index: the exact ids in exact order, with exact distances. */
async function expectExactOrder(t: Target, table: string, rows: Row[], queries: number[][]): Promise<void> {
  for (const m of metrics) {
    await t.exec(`CREATE INDEX ${table}_idx ON ${table} USING hnsw (v ${m.opclass})`)
    await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 400 }, async () => {
      for (const q of queries) {
        const hits = await t.query<{ id: number; d: number }>(
          `SELECT id, v ${m.op} $1 AS d FROM ${table} ORDER BY v ${m.op} $1 LIMIT 10`, [literal(q)])
        const want = ref.exactTopK(rows, q, 10, m.distance)
        expect(hits.map((h) => h.id), `${m.opclass}`).toEqual(want)
        for (const h of hits) {
          const exact = m.distance(rows[h.id - 1].v, q)
          expect(ref.closeTo(h.d, exact, 1e-5, m.scale(rows[h.id - 1].v, q)), `${m.opclass} row ${h.id}: ${h.d} vs ${exact}`).toBe(true)
        }
      }
    })
    await expectIndexSound(t, `${table}_idx`)
    await t.exec(`DROP INDEX ${table}_idx`)
  }
}

describeTargets('hnsw results are exact whatever the index stores', (t) => {
  test('rows closer together than bfloat16 resolves come back in exact order', async () => {
    // 30 centres, each with 10 copies moved by ~1% of their values; queries ~5% off a centre.
    // A copy's distances to the query differ by less than bfloat16's rounding (2⁻⁹ of each
    // value) can tell, and by far more than float4's: only the recheck orders them.
    const next = rng(0x5107a9e)
    const dims = 48
    const rows: Row[] = []
    const centres = Array.from({ length: 30 }, () => randomVector(next, dims))
    for (const c of centres) {
      for (let j = 0; j < 10; j++) {
        rows.push({ id: rows.length + 1, v: c.map((x) => Math.fround(x + (next() - 0.5) * 0.02)) })
      }
    }
    const queries = centres.slice(0, 6).map((c) => c.map((x) => Math.fround(x + (next() - 0.5) * 0.1)))
    await load(t, 'st_ties', dims, rows)
    await expectExactOrder(t, 'st_ties', rows, queries)
  })

  for (const scale of [1e-15, 1e-6, 1e6, 1e15]) {
    test(`values of magnitude ${scale} keep their order (the bounds scale with the values)`, async () => {
      const next = rng(0x5ca1e + Math.log10(scale))
      const rows: Row[] = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, v: randomVector(next, 16, scale) }))
      const queries = Array.from({ length: 3 }, () => randomVector(next, 16, scale))
      const table = `st_scale_${scale < 1 ? 'small' : 'large'}_${Math.abs(Math.log10(scale))}`
      await load(t, table, 16, rows)
      await expectExactOrder(t, table, rows, queries)
    })
  }
})

describeTargets('ruvector hnsw stores vector values in two bytes a dimension', (t) => {
  test('a vector index is as small as the halfvec index of the same rows, and half the float4 layout', async () => {
    const next = rng(0xb16f)
    const dims = 384
    const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, v: randomVector(next, dims) }))
    await load(t, 'st_size', dims, rows)
    await t.exec('CREATE INDEX st_size_v ON st_size USING hnsw (v vector_cosine_ops)')
    await t.exec(`CREATE INDEX st_size_h ON st_size USING hnsw ((v::halfvec(${dims})) halfvec_cosine_ops)`)
    await t.exec('CREATE INDEX st_size_l1 ON st_size USING hnsw (v vector_l1_ops)')
    const [sizes] = await t.query<{ v: number; h: number; l1: number }>(
      `SELECT pg_relation_size('st_size_v')::int AS v, pg_relation_size('st_size_h')::int AS h,
              pg_relation_size('st_size_l1')::int AS l1`)
    // bfloat16 values plus 8 bytes of bounds per element, against binary16 values.
    expect(sizes.v).toBeLessThanOrEqual(sizes.h * 1.05)
    // L1 has no bound here and keeps float4: 1,752-byte elements, 4 to a page (docs/hnsw.md).
    expect(sizes.v).toBeLessThanOrEqual(sizes.l1 * 0.6)
    for (const index of ['st_size_v', 'st_size_h', 'st_size_l1']) await expectIndexSound(t, index)
  })
}, config.extension === 'vector' ? { skip: 'pgvector stores float4 in vector indexes' } : {})
