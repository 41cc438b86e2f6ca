// Shared pieces of the hnsw index cases: loading seeded data in few round trips, reading plans,
// and ruvector's structural index check.
import { expect } from 'vitest'
import { config } from './config'
import type { Target } from './target'

/** ruvector ships ruvector_index_check(regclass); pgvector has no counterpart. */
export const hasIndexCheck = config.extension === 'ruvector'

/**
 * `INSERT INTO <into> VALUES <rows>` in multi-row statements of `batch` rows each: a few round
 * trips for thousands of rows. `rows` are SQL row constructors without the parentheses, e.g.
 * `1, '[1,2,3]'`.
 */
export async function insertRows(
  t: Target, into: string, rows: readonly string[], batch = 500, opts?: { timeoutMs?: number },
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    await t.exec(`INSERT INTO ${into} VALUES ${rows.slice(i, i + batch).map((r) => `(${r})`).join(',')}`, opts)
  }
}

/**
 * For statements that build or repair a whole index: in PGlite on a 2-core machine shared with
 * the native target, building 10,000 × 128 can pass the default 30 s per-statement budget.
 */
export const SLOW_STATEMENT = { timeoutMs: 180_000 }

/** `EXPLAIN (COSTS OFF)` of a statement, one string with a line per plan node. */
export async function explain(t: Target, sql: string, params?: unknown[]): Promise<string> {
  const rows = await t.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, params)
  return rows.map((r) => r['QUERY PLAN']).join('\n')
}

/** Runs `body` with the given settings in force, then RESETs them whatever happens. */
export async function withSettings<T>(t: Target, settings: Record<string, string | number>, body: () => Promise<T>): Promise<T> {
  for (const [name, value] of Object.entries(settings)) await t.exec(`SET ${name} = ${value}`)
  try {
    return await body()
  } finally {
    for (const name of Object.keys(settings)) await t.exec(`RESET ${name}`)
  }
}

/**
 * ruvector only: ruvector_index_check(index) lists every structural problem it finds in the
 * index (an empty result means sound). On pgvector this is a no-op.
 */
export async function expectIndexSound(t: Target, index: string): Promise<void> {
  if (!hasIndexCheck) return
  const problems = await t.query('SELECT * FROM ruvector_index_check($1::regclass)', [index])
  expect(problems, `ruvector_index_check('${index}')`).toEqual([])
}

/** Indexes of a table, by name, as pg_class knows them (to check that a failed CREATE left nothing). */
export async function indexNames(t: Target, table: string): Promise<string[]> {
  const rows = await t.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass ORDER BY 1`, [table],
  )
  return rows.map((r) => r.name)
}
