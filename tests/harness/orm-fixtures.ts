// What the examples/orm cases share: the rows every example stores, the exact answers they must
// give, and a plain connection to the same database for looking at what the library did.
import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { NativeDatabase } from './clients'
import { randomVector, rng } from './random'
import * as ref from './reference'

export const DIMENSIONS = 3
const next = rng(0x0e1a5)
/** 200 rows, float32-exact, so every client's number formatting round-trips to the same floats. */
export const ITEMS = Array.from({ length: 200 }, (_, i) => ({
  id: i + 1, content: `item ${i + 1}`, embedding: randomVector(next, DIMENSIONS),
}))
export const QUERIES = Array.from({ length: 4 }, () => randomVector(next, DIMENSIONS))
export const K = 5

const rows = ITEMS.map((r) => ({ id: r.id, v: r.embedding }))
/** ids of the exact top K (float64 reference), ties by id; the examples insert in ITEMS order. */
export const exactCosine = (q: number[]) => ref.exactTopK(rows, q, K, ref.cosineDistance)
export const exactL2 = (q: number[]) => ref.exactTopK(rows, q, K, ref.l2)
export const cosineOf = (id: number, q: number[]) => ref.cosineDistance(ITEMS[id - 1].embedding, q)
export const l2Of = (id: number, q: number[]) => ref.l2(ITEMS[id - 1].embedding, q)

/** A connection of the test's own to the database the library uses. */
export interface Raw {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  close(): Promise<void>
}

/** PGlite has one connection: this is the library's own session, so SETs here reach it too. */
export const rawPglite = (db: PGlite): Raw => ({
  query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
  close: async () => undefined,
})

export async function rawNative(db: NativeDatabase): Promise<Raw> {
  const client = new pg.Client(db)
  await client.connect()
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    close: () => client.end(),
  }
}

/** EXPLAIN of a statement a library generated, with sequential scans off as on a big table. */
export async function planOf(raw: Raw, sql: string, params: readonly unknown[]): Promise<string> {
  await raw.query('BEGIN')
  try {
    await raw.query('SET LOCAL enable_seqscan = off')
    const plan = await raw.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, [...params])
    return plan.map((r) => r['QUERY PLAN']).join('\n')
  } finally {
    await raw.query('ROLLBACK')
  }
}

/** Name, access method, operator class and options of the table's non-primary-key indexes. */
export async function vectorIndexes(raw: Raw, table: string) {
  return raw.query(
    `SELECT c.relname AS name, am.amname AS method, o.opcname AS opclass, c.reloptions AS options
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       JOIN pg_opclass o ON o.oid = i.indclass[0]
      WHERE i.indrelid = $1::regclass AND NOT i.indisprimary ORDER BY 1`, [table])
}
