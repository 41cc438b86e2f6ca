// hnsw builds and maintenance_work_mem: a graph that outgrows it goes on building on disk with
// pgvector's notice and answers as well. ruvector keeps `vector` L2/IP/cosine values as
// bfloat16 (2 bytes a dimension, docs/hnsw.md) and L1 ones as float4, so an L2 graph fits at
// least as many tuples in the same memory; values far beyond f16's range (65504) and tiny ones
// build and answer as well as any.
import { expect, test } from 'vitest'
import { expectIndexSound, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { clusteredVectors, literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const DIMS = 128
const ROWS = 3000
const QUERIES = 20
const K = 10
const SLOW = 300_000

const all = clusteredVectors(rng(0x3e3071), ROWS + QUERIES, DIMS, { clusters: 8, spread: 0.3 })
const rows = all.slice(0, ROWS).map((v, i) => ({ id: i + 1, v }))
const queries = all.slice(ROWS)
const SPILL = /^hnsw graph no longer fits into maintenance_work_mem after (\d+) tuples$/

/** Builds an index under `mem`; returns the tuple count of the spill notice, or null. */
async function build(t: Target, table: string, name: string, opclass: string, mem: string): Promise<number | null> {
  const notices = await withSettings(t, { maintenance_work_mem: `'${mem}'`, max_parallel_maintenance_workers: 0 }, () =>
    t.notices(`CREATE INDEX ${name} ON ${table} USING hnsw (embedding ${opclass})`, SLOW_STATEMENT))
  const spills = notices.filter((n) => n.startsWith('hnsw graph'))
  expect(spills.length, notices.join(' | ')).toBeLessThanOrEqual(1)
  if (spills.length === 0) return null
  const match = SPILL.exec(spills[0])
  expect(match, spills[0]).not.toBeNull()
  return Number(match![1])
}

/** Top-K ids for each query through the index (high ef_search: the graph must hold them). */
async function search(t: Target, table: string, op: string, qs: readonly number[][]): Promise<number[][]> {
  const found: number[][] = []
  await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 200 }, async () => {
    for (const q of qs) {
      const sql = `SELECT id FROM ${table} ORDER BY embedding ${op} $1 LIMIT ${K}`
      found.push((await t.query<{ id: number }>(sql, [literal(q)])).map((r) => r.id))
    }
  })
  return found
}

describeTargets('hnsw build and maintenance_work_mem', (t) => {
  test('a graph beyond maintenance_work_mem goes on on disk, after as many tuples whatever the opclass', { timeout: SLOW }, async () => {
    await t.exec(`CREATE TABLE mem_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
    await insertRows(t, 'mem_items', rows.map((r) => `${r.id}, '${literal(r.v)}'`), 500, SLOW_STATEMENT)

    expect(await build(t, 'mem_items', 'mem_roomy', 'vector_l2_ops', '256MB')).toBeNull()
    await t.exec('DROP INDEX mem_roomy')

    const l2 = await build(t, 'mem_items', 'mem_l2', 'vector_l2_ops', '1MB')
    expect(l2).not.toBeNull()
    expect(l2!).toBeGreaterThan(0)
    expect(l2!).toBeLessThan(ROWS)
    await expectIndexSound(t, 'mem_l2')
    const expected = queries.map((q) => ref.exactTopK(rows, q, K, ref.l2))
    expect(ref.recall(await search(t, 'mem_items', '<->', queries), expected)).toBeGreaterThanOrEqual(0.98)
    await t.exec('DROP INDEX mem_l2')

    // Same rows, float4 values for L1: it goes to disk no later than the bfloat16 L2 graph.
    const l1 = await build(t, 'mem_items', 'mem_l1', 'vector_l1_ops', '1MB')
    expect(l1).not.toBeNull()
    expect(l1!).toBeLessThanOrEqual(l2!)
    await expectIndexSound(t, 'mem_l1')
  })

  test('values beyond f16 range build and answer as exactly as any', { timeout: SLOW }, async () => {
    // Every tenth row scaled past 65504, some rows tiny: bounds at both ends of the scale.
    const scaled = rows.slice(0, 1000).map((r, i) => ({
      id: r.id,
      v: r.v.map((x) => (i % 10 === 0 ? x * 1e5 : i % 10 === 1 ? x * 1e-6 : x)),
    }))
    await t.exec(`CREATE TABLE wide_items (id int PRIMARY KEY, embedding vector(${DIMS}))`)
    await insertRows(t, 'wide_items', scaled.map((r) => `${r.id}, '${literal(r.v)}'`), 500, SLOW_STATEMENT)
    const probes = [...queries.slice(0, 10), ...scaled.slice(0, 10).map((r) => r.v)]
    for (const [opclass, op, distance] of [
      ['vector_l2_ops', '<->', ref.l2],
      ['vector_ip_ops', '<#>', (a: readonly number[], b: readonly number[]) => -ref.innerProduct(a, b)],
    ] as const) {
      expect(await build(t, 'wide_items', 'wide_idx', opclass, '64MB')).toBeNull()
      await expectIndexSound(t, 'wide_idx')
      const expected = probes.map((q) => ref.exactTopK(scaled, q, K, distance))
      const recall = ref.recall(await search(t, 'wide_items', op, probes), expected)
      expect(recall, opclass).toBeGreaterThanOrEqual(0.98)
      await t.exec('DROP INDEX wide_idx')
    }
  })
})
