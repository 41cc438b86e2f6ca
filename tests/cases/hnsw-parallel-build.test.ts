// Parallel hnsw builds, as pgvector users ask for them: max_parallel_maintenance_workers and the
// table's parallel_workers option. Natively the build says "using N parallel workers" at DEBUG1
// (pgvector's message; N is also capped at the cores besides the leader's, and the harness's
// server runs on this machine) and the index finds the exact neighbours as well as a serial build's;
// ruvector's parallel graph does not depend on how many workers built it (same pages with 1 and
// 3). PGlite is one process: the same statements build serially and say nothing about workers.
import { availableParallelism } from 'node:os'
import { expect, test } from 'vitest'
import { config } from '../harness/config'
import { expectIndexSound, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { clusteredVectors, literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const DIMS = 64
const ROWS = 6000
const QUERIES = 40
const K = 10
const SLOW = 300_000

const all = clusteredVectors(rng(0x9a2a11e1), ROWS + QUERIES, DIMS, { clusters: 6, spread: 0.25 })
const rows = all.slice(0, ROWS).map((v, i) => ({ id: i + 1, v }))
const queries = all.slice(ROWS)
const expected = queries.map((q) => ref.exactTopK(rows, q, K, ref.l2))
const SEARCH = `SELECT id FROM par_items ORDER BY embedding <-> $1 LIMIT ${K}`

/** Builds `name` with `workers` as the table's parallel_workers; returns the worker messages. */
async function build(t: Target, name: string, workers: number): Promise<string[]> {
  await t.exec(`ALTER TABLE par_items SET (parallel_workers = ${workers})`)
  const notices = await withSettings(
    t, { client_min_messages: 'debug1', max_parallel_maintenance_workers: 3, maintenance_work_mem: "'256MB'" },
    () => t.notices(`CREATE INDEX ${name} ON par_items USING hnsw (embedding vector_l2_ops)`, SLOW_STATEMENT),
  )
  return notices.filter((n) => /parallel workers/.test(n))
}

async function recall(t: Target, index: string): Promise<number> {
  const found: number[][] = []
  await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 100 }, async () => {
    for (const q of queries) {
      const plan = await t.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${SEARCH}`, [literal(q)])
      expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain(`Index Scan using ${index}`)
      found.push((await t.query<{ id: number }>(SEARCH, [literal(q)])).map((r) => r.id))
    }
  })
  return ref.recall(found, expected)
}

async function pagesDigest(t: Target, index: string): Promise<string> {
  const [row] = await t.query<{ sha: string }>(`SELECT encode(sha256(c), 'hex') AS sha FROM ruvector_index_contents('${index}') c`)
  return row.sha
}

describeTargets('hnsw parallel build', (t) => {
  test('max_parallel_maintenance_workers: workers natively, serial in PGlite, same recall', { timeout: SLOW }, async () => {
    await t.exec(`CREATE TABLE par_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
    await insertRows(t, 'par_items', rows.map((r) => `${r.id}, '${literal(r.v)}'`), 500, SLOW_STATEMENT)

    const three = await build(t, 'par_three', 3)
    const workers = Math.min(3, availableParallelism() - 1)
    expect(three).toEqual(t.name === 'native' && workers > 0 ? [`using ${workers} parallel workers`] : [])
    await expectIndexSound(t, 'par_three')
    const parallelRecall = await recall(t, 'par_three')
    await t.exec('DROP INDEX par_three')

    expect(await build(t, 'par_serial', 0)).toEqual([])
    await expectIndexSound(t, 'par_serial')
    const serialRecall = await recall(t, 'par_serial')
    await t.exec('DROP INDEX par_serial')

    expect(parallelRecall, 'recall@10 of the parallel build').toBeGreaterThanOrEqual(0.97)
    expect(parallelRecall).toBeGreaterThanOrEqual(serialRecall - 0.02)
  })

  const ruvectorOnly = test.skipIf(config.extension !== 'ruvector') // skipped against pgvector: ruvector_index_contents is ruvector's
  ruvectorOnly('the graph does not depend on the number of workers', { timeout: SLOW }, async () => {
    await build(t, 'par_one', 1)
    await build(t, 'par_three', 3)
    expect(await pagesDigest(t, 'par_three')).toBe(await pagesDigest(t, 'par_one'))
    await expectIndexSound(t, 'par_one')
  })
})
