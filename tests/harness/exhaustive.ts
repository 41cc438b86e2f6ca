// Each of our access methods on a `vector_l2_ops` column, with settings under which it searches
// everything (hnsw's ef_search at least the row count, every ivf list probed), so that its
// answers must be exact. rabitq is ruvector's own, so pgvector runs only the first two.
import { expect } from 'vitest'
import { config } from './config'
import { withSettings } from './hnsw'
import { literal } from './random'
import * as ref from './reference'
import type { Target } from './target'

export interface ExhaustiveMethod {
  name: 'hnsw' | 'ivfflat' | 'rabitq'
  /** What follows `CREATE INDEX name ON table`. */
  index: string
  settings: Record<string, number>
}

export function exhaustiveL2Methods(rows: number): ExhaustiveMethod[] {
  return [
    { name: 'hnsw', index: 'USING hnsw (v vector_l2_ops)', settings: { 'hnsw.ef_search': rows } },
    { name: 'ivfflat', index: 'USING ivfflat (v vector_l2_ops) WITH (lists = 4)', settings: { 'ivfflat.probes': 4 } },
    ...(config.extension === 'ruvector'
      ? [{ name: 'rabitq' as const, index: 'USING rabitq (v vector_l2_ops) WITH (lists = 4)', settings: { 'rabitq.probes': 4 } }]
      : []),
  ]
}

/** With the method's settings (and no sequential scan), each query's top 10 from `table` are
 *  exactly the 10 nearest of `rows` by L2, in order. */
export async function expectExactTop10(
  t: Target, m: ExhaustiveMethod, table: string, rows: readonly { id: number; v: number[] }[], queries: readonly number[][],
): Promise<void> {
  await withSettings(t, { enable_seqscan: 'off', ...m.settings }, async () => {
    for (const q of queries) {
      const hits = await t.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY v <-> $1 LIMIT 10`, [literal(q)])
      expect(hits.map((h) => h.id)).toEqual(ref.exactTopK(rows, q, 10, ref.l2))
    }
  })
}
