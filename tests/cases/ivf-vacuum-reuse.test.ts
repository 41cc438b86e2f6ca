// VACUUM gives the room of deleted rows back to later inserts in ivfflat and rabitq indexes, as
// pgvector's ivfflat does: under rounds of "delete half, VACUUM, insert as many" the index stays
// within a page per list of its built size (without reuse it grows by half its size a round),
// stays sound, and answers over exactly the live rows (rabitq with extra bits too, whose
// refinement planes move with their entries).
import { expect, test } from 'vitest'
import { expectIndexSound, insertRows, SLOW_STATEMENT, withSettings } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { clusteredVectors, literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const DIMS = 32
const ROWS = 3000
const LISTS = 6
const ROUNDS = 3
const K = 10
const SLOW = 300_000

const all = clusteredVectors(rng(0x5ac3), ROWS * (ROUNDS + 1), DIMS, { clusters: 6, spread: 0.2 })
const byId = (id: number) => all[id - 1]

async function indexPages(t: Target, index: string): Promise<number> {
  const [{ n }] = await t.query<{ n: number }>(`SELECT (pg_relation_size('${index}') / 8192)::int AS n`)
  return n
}

async function churn(t: Target, table: string, method: string, options: string, probes: Record<string, number>) {
  await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, embedding vector(${DIMS}))`)
  await insertRows(t, table, Array.from({ length: ROWS }, (_, i) => `${i + 1}, '${literal(byId(i + 1))}'`), 500, SLOW_STATEMENT)
  await t.exec(`CREATE INDEX ${table}_idx ON ${table} USING ${method} (embedding vector_l2_ops) WITH (${options})`, SLOW_STATEMENT)
  const built = await indexPages(t, `${table}_idx`)
  const live = new Set(Array.from({ length: ROWS }, (_, i) => i + 1))
  let nextId = ROWS + 1
  for (let round = 0; round < ROUNDS; round++) {
    const dead = [...live].filter((id) => (id + round) % 2 === 0)
    await t.exec(`DELETE FROM ${table} WHERE (id + ${round}) % 2 = 0`)
    await t.exec(`VACUUM ${table}`, SLOW_STATEMENT)
    dead.forEach((id) => live.delete(id))
    await expectIndexSound(t, `${table}_idx`)
    const fresh = Array.from({ length: dead.length }, (_, i) => nextId + i)
    await insertRows(t, table, fresh.map((id) => `${id}, '${literal(byId(id))}'`), 500, SLOW_STATEMENT)
    fresh.forEach((id) => live.add(id))
    nextId += fresh.length
    await expectIndexSound(t, `${table}_idx`)
    expect(await indexPages(t, `${table}_idx`), `round ${round}: pages against ${built} built`).toBeLessThanOrEqual(built + LISTS)
    // Every list probed: the index's answers are the exact ones over the live rows.
    const rows = [...live].map((id) => ({ id, v: byId(id) }))
    await withSettings(t, { enable_seqscan: 'off', ...probes }, async () => {
      for (const q of [byId(fresh[0]), byId([...live][7]), all[all.length - 1]]) {
        const hits = await t.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY embedding <-> $1 LIMIT ${K}`, [literal(q)])
        expect(hits.map((h) => h.id), `round ${round}`).toEqual(ref.exactTopK(rows, q, K, ref.l2))
      }
    })
  }
}

describeTargets('ivfflat reuses the room VACUUM frees', (t) => {
  test('delete half, VACUUM, insert as many: three rounds', { timeout: SLOW }, async () => {
    await churn(t, 'reuse_flat', 'ivfflat', `lists = ${LISTS}`, { 'ivfflat.probes': LISTS })
  })
})

describeTargets('rabitq with extra bits reuses the room VACUUM frees', (t) => {
  test('delete half, VACUUM, insert as many: three rounds', { timeout: SLOW }, async () => {
    await churn(t, 'reuse_rq', 'rabitq', `lists = ${LISTS}, bits = 2`, { 'rabitq.probes': LISTS })
  })
}, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
