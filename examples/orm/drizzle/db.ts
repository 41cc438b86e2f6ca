// Drizzle ORM with ruvector, on PGlite (drizzle-orm/pglite) or on PostgreSQL (drizzle-orm/node-postgres).
// The same schema and queries serve both; only the connection differs.
import type { PGlite } from '@electric-sql/pglite'
import { cosineDistance, l2Distance, sql } from 'drizzle-orm'
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api'
import type pg from 'pg'
import * as schema from './schema'
import { items } from './schema'

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

/** `const pglite = await PGlite.create({ extensions: { ruvector } })`, then CREATE EXTENSION ruvector. */
export const onPglite = (client: PGlite): Db => drizzlePglite({ client, schema })
export const onNodePostgres = (pool: pg.Pool): Db => drizzleNodePg({ client: pool, schema })

/**
 * Creates the table and its hnsw index with the statements `drizzle-kit generate` writes for this
 * schema's first migration (drizzle-kit's programmatic API; `drizzle-kit migrate` or `push` from
 * the command line do the same).
 */
export async function createTables(db: Db): Promise<string[]> {
  const statements = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(schema))
  for (const statement of statements) await db.execute(sql.raw(statement))
  return statements
}

export async function addItems(db: Db, rows: { content: string; embedding: number[] }[]): Promise<void> {
  await db.insert(items).values(rows)
}

/** The k items nearest to `embedding` by cosine distance: what the hnsw index serves. */
export function nearestByCosine(db: Db, embedding: number[], k: number) {
  const distance = cosineDistance(items.embedding, embedding)
  return db.select({ id: items.id, content: items.content, distance }).from(items).orderBy(distance).limit(k)
}

/** The same by Euclidean distance (a scan here: an index serves one operator class). */
export function nearestByL2(db: Db, embedding: number[], k: number) {
  const distance = l2Distance(items.embedding, embedding)
  return db.select({ id: items.id, embedding: items.embedding, distance }).from(items).orderBy(distance).limit(k)
}
