// When the planner uses an hnsw index, with no settings forced: for ORDER BY <operator of the
// index's class> ... LIMIT, including the documented variants (a distance filter, a partial index,
// an expression index over a halfvec cast); never for a scan without that ordering, a descending
// order, another operator, or an ordering expression built on the distance. pgvector's cost
// estimate makes an hnsw path infinitely expensive without an ORDER BY it can serve.
import { expect, test } from 'vitest'
import { explain, insertRows } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const ROWS = 5_000
const DIMS = 32

const next = rng(0x91a77e4)
const rows = Array.from({ length: ROWS }, (_, i) => `${i + 1}, ${(i + 1) % 50}, '${literal(randomVector(next, DIMS))}'`)
const q = literal(randomVector(next, DIMS))

describeTargets('the planner and hnsw indexes', (t) => {
  test('load and index', { timeout: 120_000 }, async () => {
    await t.exec(`CREATE TABLE plan_items (id int, category int, embedding vector(${DIMS}))`)
    await insertRows(t, 'plan_items', rows, 1000)
    await t.exec('CREATE INDEX plan_l2 ON plan_items USING hnsw (embedding vector_l2_ops)')
    await t.exec('ANALYZE plan_items')
  })

  test('ORDER BY embedding <-> $1 LIMIT k uses the index', async () => {
    const plan = await explain(t, 'SELECT id FROM plan_items ORDER BY embedding <-> $1 LIMIT 10', [q])
    expect(plan).toMatch(/^Limit\n {2}-> {2}Index Scan using plan_l2 on plan_items\n {8}Order By: \(embedding <-> /)
    // The same with the query vector inline, and with the distance in the select list.
    expect(await explain(t, `SELECT id FROM plan_items ORDER BY embedding <-> '${q}' LIMIT 5`)).toContain('Index Scan using plan_l2 on plan_items')
    expect(await explain(t, 'SELECT id, embedding <-> $1 AS d FROM plan_items ORDER BY d LIMIT 10', [q])).toContain('Index Scan using plan_l2')
  })

  test('a distance filter with the same ordering still uses the index', async () => {
    const plan = await explain(t, 'SELECT id FROM plan_items WHERE embedding <-> $1 < 1 ORDER BY embedding <-> $1 LIMIT 10', [q])
    expect(plan).toContain('Index Scan using plan_l2 on plan_items')
  })

  test('scans without an ordering the index serves do not use it', async () => {
    const notIndexed = async (sql: string, params?: unknown[]) => {
      const plan = await explain(t, sql, params)
      expect(plan, sql).not.toContain('plan_l2')
      return plan
    }
    expect(await notIndexed('SELECT id FROM plan_items WHERE category = 3')).toContain('Seq Scan on plan_items')
    await notIndexed('SELECT count(*) FROM plan_items')
    await notIndexed(`SELECT id FROM plan_items WHERE embedding <-> $1 < 1`, [q])
    await notIndexed('SELECT id FROM plan_items ORDER BY embedding <-> $1 DESC LIMIT 10', [q])
    await notIndexed('SELECT id FROM plan_items ORDER BY embedding <=> $1 LIMIT 10', [q])
    await notIndexed('SELECT id FROM plan_items ORDER BY 1 - (embedding <-> $1) DESC LIMIT 10', [q])
    await notIndexed('SELECT id FROM plan_items ORDER BY id LIMIT 10')
  })

  test('a partial index serves the queries its predicate covers', async () => {
    await t.exec('CREATE INDEX plan_cat7 ON plan_items USING hnsw (embedding vector_l2_ops) WHERE category = 7')
    await t.exec('ANALYZE plan_items')
    const plan = await explain(t, 'SELECT id FROM plan_items WHERE category = 7 ORDER BY embedding <-> $1 LIMIT 10', [q])
    expect(plan).toContain('Index Scan using plan_cat7 on plan_items')
    const other = await explain(t, 'SELECT id FROM plan_items WHERE category = 8 ORDER BY embedding <-> $1 LIMIT 10', [q])
    expect(other).not.toContain('plan_cat7')
    await t.exec('DROP INDEX plan_cat7')
  })

  test('an expression index over a halfvec cast serves the same expression', async () => {
    await t.exec(`CREATE INDEX plan_half ON plan_items USING hnsw ((embedding::halfvec(${DIMS})) halfvec_l2_ops)`)
    const sql = `SELECT id FROM plan_items ORDER BY embedding::halfvec(${DIMS}) <-> $1::halfvec(${DIMS}) LIMIT 10`
    expect(await explain(t, sql, [q])).toContain('Index Scan using plan_half on plan_items')
    // And answers it: the rows' own vectors are found at distance 0.
    const [{ d }] = await t.query<{ d: number }>(
      `SELECT embedding::halfvec(${DIMS}) <-> (SELECT embedding::halfvec(${DIMS}) FROM plan_items WHERE id = 42) AS d
         FROM plan_items ORDER BY embedding::halfvec(${DIMS}) <-> (SELECT embedding::halfvec(${DIMS}) FROM plan_items WHERE id = 42) LIMIT 1`)
    expect(d).toBe(0)
    await t.exec('DROP INDEX plan_half')
  })

  test('with one index per operator class, each ordering picks its own', async () => {
    await t.exec('CREATE INDEX plan_cos ON plan_items USING hnsw (embedding vector_cosine_ops)')
    await t.exec('CREATE INDEX plan_ip ON plan_items USING hnsw (embedding vector_ip_ops)')
    for (const [op, index] of [['<->', 'plan_l2'], ['<=>', 'plan_cos'], ['<#>', 'plan_ip']]) {
      expect(await explain(t, `SELECT id FROM plan_items ORDER BY embedding ${op} $1 LIMIT 10`, [q])).toContain(`Index Scan using ${index} on plan_items`)
    }
    await t.exec('DROP INDEX plan_l2')
    expect(await explain(t, 'SELECT id FROM plan_items ORDER BY embedding <-> $1 LIMIT 10', [q])).not.toContain('Index Scan')
  })
})
