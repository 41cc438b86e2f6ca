// Plain node-postgres with the `pgvector` package: registerTypes makes vector (and halfvec,
// sparsevec) columns come back as JavaScript values, toSql turns arrays into parameters.
import pg from 'pg'
import pgvector from 'pgvector/pg'

/**
 * A connection to a database where `CREATE EXTENSION ruvector` has run (registerTypes looks the
 * types up there). With a pg.Pool, call registerTypes in pool.on('connect', ...).
 */
export async function connect(config: pg.ClientConfig): Promise<pg.Client> {
  const client = new pg.Client(config)
  await client.connect()
  await pgvector.registerTypes(client)
  return client
}

export async function createTables(client: pg.Client): Promise<void> {
  await client.query('CREATE TABLE items (id serial PRIMARY KEY, content text NOT NULL, embedding vector(3) NOT NULL)')
  await client.query('CREATE INDEX items_embedding_idx ON items USING hnsw (embedding vector_l2_ops)')
}

export async function addItem(client: pg.Client, content: string, embedding: number[]): Promise<void> {
  await client.query('INSERT INTO items (content, embedding) VALUES ($1, $2)', [content, pgvector.toSql(embedding)])
}

export const NEAREST_BY_L2 = 'SELECT id, content, embedding, embedding <-> $1 AS distance FROM items ORDER BY embedding <-> $1 LIMIT $2'

/** The k items nearest to `embedding` by Euclidean distance; `embedding` comes back as number[]. */
export async function nearestByL2(client: pg.Client, embedding: number[], k: number) {
  const { rows } = await client.query<{ id: number; content: string; embedding: number[]; distance: number }>(
    NEAREST_BY_L2, [pgvector.toSql(embedding), k])
  return rows
}
