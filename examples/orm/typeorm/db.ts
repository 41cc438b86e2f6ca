// TypeORM with ruvector, on PGlite (the typeorm-pglite driver) or on PostgreSQL (its own
// node-postgres pool). TypeORM knows the `vector` column type; the hnsw index is made with SQL,
// since TypeORM's index types stop at brin, and declared so that synchronize leaves it alone.
import type { PGliteOptions } from '@electric-sql/pglite'
import pgvector from 'pgvector'
import { DataSource, EntitySchema } from 'typeorm'
import { PGliteDriver } from 'typeorm-pglite'

export interface Item {
  id: number
  content: string
  embedding: number[]
}

export const ItemEntity = new EntitySchema<Item>({
  name: 'Item',
  tableName: 'items',
  columns: {
    id: { type: Number, primary: true, generated: true },
    content: { type: 'text' },
    embedding: { type: 'vector', length: 3 },
  },
  // Made by createTables below; `synchronize: false` keeps synchronize() from dropping it.
  indices: [{ name: 'items_embedding_idx', columns: ['embedding'], synchronize: false }],
})

const common = {
  type: 'postgres' as const,
  entities: [ItemEntity],
  // Otherwise TypeORM runs CREATE EXTENSION "vector" (pgvector's name) for vector columns;
  // create the extension yourself instead: CREATE EXTENSION ruvector.
  installExtensions: false,
}

/** `options`: PGlite.create's, e.g. { dataDir, extensions: { ruvector } }. */
export const onPglite = (options: PGliteOptions): DataSource =>
  new DataSource({ ...common, driver: new PGliteDriver(options).driver })

export const onPostgres = (connection: { host: string; port: number; user: string; database: string }): DataSource =>
  new DataSource({ ...common, host: connection.host, port: connection.port, username: connection.user, database: connection.database })

export async function createTables(ds: DataSource): Promise<void> {
  await ds.synchronize()
  await ds.query('CREATE INDEX IF NOT EXISTS items_embedding_idx ON items USING hnsw (embedding vector_cosine_ops)')
}

export async function addItems(ds: DataSource, rows: Omit<Item, 'id'>[]): Promise<void> {
  await ds.getRepository(ItemEntity).insert(rows)
}

/** The k items nearest to `embedding` by cosine distance, as entities. */
export function nearestByCosine(ds: DataSource, embedding: number[], k: number) {
  return ds.getRepository(ItemEntity).createQueryBuilder('item')
    .orderBy('item.embedding <=> :embedding')
    .setParameters({ embedding: pgvector.toSql(embedding) })
    .limit(k)
}
