// PGlite's own query API with the `pgvector` package: toSql for parameters, fromSql for results
// (PGlite returns types it does not know, such as vector, as their text form).
import type { PGlite } from '@electric-sql/pglite'
import pgvector from 'pgvector'

/** `db`: `await PGlite.create({ extensions: { ruvector } })`, then `CREATE EXTENSION ruvector`. */
export async function createTables(db: PGlite): Promise<void> {
  await db.exec(`
    CREATE TABLE items (id serial PRIMARY KEY, content text NOT NULL, embedding vector(3) NOT NULL);
    CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops);`)
}

export async function addItem(db: PGlite, content: string, embedding: number[]): Promise<void> {
  await db.query('INSERT INTO items (content, embedding) VALUES ($1, $2)', [content, pgvector.toSql(embedding)])
}

export const NEAREST_BY_L2 = 'SELECT id, content, embedding, embedding <-> $1 AS distance FROM items ORDER BY embedding <-> $1 LIMIT $2'

/** The k items nearest to `embedding` by Euclidean distance. */
export async function nearestByL2(db: PGlite, embedding: number[], k: number) {
  const { rows } = await db.query<{ id: number; content: string; embedding: string; distance: number }>(
    NEAREST_BY_L2, [pgvector.toSql(embedding), k])
  return rows.map((r) => ({ ...r, embedding: pgvector.fromSql(r.embedding) as number[] }))
}
