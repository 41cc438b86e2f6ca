// Kysely with ruvector, on PGlite (Kysely's own PGliteDialect) or on PostgreSQL (PostgresDialect
// over a node-postgres pool), with the distance helpers of the `pgvector` package (pgvector/kysely).
import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql, type Generated } from 'kysely'
import pgvector from 'pgvector'
import { cosineDistance, l2Distance } from 'pgvector/kysely'
import type pg from 'pg'

export interface Database {
  items: {
    id: Generated<number>
    content: string
    /** pgvector's text form, '[1,2,3]': write pgvector.toSql(array), read with pgvector.fromSql. */
    embedding: string
  }
}

/** `const pglite = await PGlite.create({ extensions: { ruvector } })`, then CREATE EXTENSION ruvector. */
export const onPglite = (pglite: PGlite) => new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
export const onNodePostgres = (pool: pg.Pool) => new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })

export async function createTables(db: Kysely<Database>): Promise<void> {
  await db.schema.createTable('items')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('embedding', sql`vector(3)`, (c) => c.notNull())
    .execute()
  // Kysely has no operator-class builder: the column and its opclass go in as one expression.
  await db.schema.createIndex('items_embedding_idx').on('items').using('hnsw')
    .expression(sql`embedding vector_l2_ops`)
    .execute()
}

export async function addItems(db: Kysely<Database>, rows: { content: string; embedding: number[] }[]): Promise<void> {
  await db.insertInto('items')
    .values(rows.map((r) => ({ content: r.content, embedding: pgvector.toSql(r.embedding) })))
    .execute()
}

/** The k items nearest to `embedding` by Euclidean distance: what the hnsw index (vector_l2_ops) serves. */
export function nearestByL2(db: Kysely<Database>, embedding: number[], k: number) {
  return db.selectFrom('items')
    .select(['id', 'content', 'embedding', l2Distance('embedding', embedding).as('distance')])
    .orderBy(l2Distance('embedding', embedding))
    .limit(k)
}

/** The same by cosine distance (a scan here: an index serves one operator class). */
export function nearestByCosine(db: Kysely<Database>, embedding: number[], k: number) {
  return db.selectFrom('items')
    .select(['id', cosineDistance('embedding', embedding).as('distance')])
    .orderBy(cosineDistance('embedding', embedding))
    .limit(k)
}

/** Rows come back with the embedding as text; the pgvector package parses it. */
export const embeddingOf = (row: { embedding: string }): number[] => pgvector.fromSql(row.embedding)
