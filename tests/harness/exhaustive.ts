// Each of our access methods on a `vector_l2_ops` column, with settings under which it searches
// everything (hnsw's ef_search at least the row count, every ivf list probed), so that its
// answers must be exact. rabitq is ruvector's own, so pgvector runs only the first two.
import { config } from './config'

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
