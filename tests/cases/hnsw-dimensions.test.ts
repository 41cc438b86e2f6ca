// Dimension limits of hnsw indexes. pgvector indexes vector up to 2,000 dimensions and halfvec up
// to 4,000 (an element must fit in an 8 kB page); ruvector deliberately goes further, to the
// types' own limit of 16,000 for both, so there the two differ and each side is checked on its own:
// pgvector's errors (skipped for ruvector) and ruvector's large indexes answering exactly
// (skipped for pgvector). bit keeps pgvector's 64,000 on both.
import { expect, test } from 'vitest'
import { config } from '../harness/config'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { randomHalfvec } from '../harness/half'
import { expectIndexSound, indexNames, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const tooMany = (n: number) => ({
  message: `column cannot have more than ${n} dimensions for hnsw index`, code: SQLSTATE.programLimitExceeded,
})

describeTargets('hnsw dimension limits shared with pgvector', (t) => {
  test('bit: 64,000 dimensions are indexed, 64,001 are refused', async () => {
    await t.exec('CREATE TABLE dim_bit (ok bit(64000), over bit(64001))')
    await t.exec('CREATE INDEX dim_bit_ok ON dim_bit USING hnsw (ok bit_hamming_ops)')
    await expectSqlError(t.exec('CREATE INDEX dim_bit_over ON dim_bit USING hnsw (over bit_hamming_ops)'), tooMany(64000))
    await expectSqlError(t.exec('CREATE INDEX dim_bit_over ON dim_bit USING hnsw ((ok::bit(64001)) bit_jaccard_ops)'), tooMany(64000))
    expect(await indexNames(t, 'dim_bit')).toEqual(['dim_bit_ok'])
  })

  test('sparsevec: no dimension limit of its own (1,000,000 dimensions)', async () => {
    await t.exec('CREATE TABLE dim_sparse (v sparsevec(1000000))')
    await t.exec("INSERT INTO dim_sparse VALUES ('{1:1,999999:2}/1000000'), ('{5:1}/1000000'), ('{999999:2.5}/1000000')")
    await t.exec('CREATE INDEX dim_sparse_idx ON dim_sparse USING hnsw (v sparsevec_l2_ops)')
    const rows = await withSettings(t, { enable_seqscan: 'off' }, () => t.query<{ v: string }>(
      "SELECT v::text AS v FROM dim_sparse ORDER BY v <-> '{999999:2}/1000000' LIMIT 2"))
    expect(rows).toEqual([{ v: '{999999:2.5}/1000000' }, { v: '{1:1,999999:2}/1000000' }])
    await expectIndexSound(t, 'dim_sparse_idx')
  })
})

describeTargets('pgvector\'s hnsw dimension limits for vector and halfvec', (t) => {
  test('vector: 2,000 dimensions are indexed, 2,001 are refused', async () => {
    await t.exec('CREATE TABLE dim_v (ok vector(2000), over vector(2001))')
    await t.exec('CREATE INDEX dim_v_ok ON dim_v USING hnsw (ok vector_l2_ops)')
    await expectSqlError(t.exec('CREATE INDEX dim_v_over ON dim_v USING hnsw (over vector_l2_ops)'), tooMany(2000))
    await expectSqlError(t.exec('CREATE INDEX dim_v_over ON dim_v USING hnsw (over vector_cosine_ops)'), tooMany(2000))
    expect(await indexNames(t, 'dim_v')).toEqual(['dim_v_ok'])
  })

  test('halfvec: 4,000 dimensions are indexed, 4,001 are refused', async () => {
    await t.exec('CREATE TABLE dim_h (ok halfvec(4000), over halfvec(4001))')
    await t.exec('CREATE INDEX dim_h_ok ON dim_h USING hnsw (ok halfvec_l2_ops)')
    await expectSqlError(t.exec('CREATE INDEX dim_h_over ON dim_h USING hnsw (over halfvec_l2_ops)'), tooMany(4000))
    expect(await indexNames(t, 'dim_h')).toEqual(['dim_h_ok'])
  })
}, config.extension === 'vector' ? {} : { skip: 'ruvector indexes vector and halfvec up to 16,000 dimensions by design' })

/** Index top-k equals the float64 exact top-k for every query (distinct random rows: no ties). */
async function expectExact(t: Target, table: string, type: string, rows: { id: number; v: number[] }[], queries: number[][]) {
  await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 200 }, async () => {
    for (const q of queries) {
      const hits = await t.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY v <-> $1::${type} LIMIT 10`, [literal(q)])
      expect(hits.map((h) => h.id)).toEqual(ref.exactTopK(rows, q, 10, ref.l2))
    }
  })
}

describeTargets('ruvector hnsw indexes beyond pgvector\'s dimension limits', (t) => {
  const cases: { table: string; type: string; dims: number; rows: number; half: boolean }[] = [
    { table: 'big_v3072', type: 'vector(3072)', dims: 3072, rows: 100, half: false },
    { table: 'big_h4000', type: 'halfvec(4000)', dims: 4000, rows: 100, half: true },
    { table: 'big_v16000', type: 'vector(16000)', dims: 16000, rows: 12, half: false },
    { table: 'big_h16000', type: 'halfvec(16000)', dims: 16000, rows: 12, half: true },
  ]
  for (const [i, c] of cases.entries()) {
    test(`${c.type}: index on ${c.rows} rows (half before CREATE INDEX, half after) answers exactly`, { timeout: 180_000 }, async () => {
      const next = rng(0xb16d00 + i)
      const draw = () => (c.half ? randomHalfvec(next, c.dims) : randomVector(next, c.dims))
      const rows = Array.from({ length: c.rows }, (_, j) => ({ id: j + 1, v: draw() }))
      const queries = Array.from({ length: 5 }, draw)
      await t.exec(`CREATE TABLE ${c.table} (id int, v ${c.type})`)
      const values = rows.map((r) => `${r.id}, '${literal(r.v)}'`)
      await insertRows(t, c.table, values.slice(0, c.rows / 2), 10, SLOW_STATEMENT)
      await t.exec(`CREATE INDEX ${c.table}_idx ON ${c.table} USING hnsw (v ${c.half ? 'halfvec' : 'vector'}_l2_ops)`, SLOW_STATEMENT)
      await insertRows(t, c.table, values.slice(c.rows / 2), 10, SLOW_STATEMENT)
      await expectIndexSound(t, `${c.table}_idx`)
      await expectExact(t, c.table, c.type, rows, [...queries, rows[3].v])
    })
  }
}, config.extension === 'ruvector' ? {} : { skip: `pgvector refuses hnsw indexes over 2,000 (vector) / 4,000 (halfvec) dimensions; extension is ${config.extension}` })
