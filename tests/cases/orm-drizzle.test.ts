// examples/orm/drizzle on both targets: drizzle-orm/pglite on PGlite, drizzle-orm/node-postgres
// on the native server. The schema's hnsw index must come out of drizzle-kit's DDL as declared,
// and cosineDistance / l2Distance queries must return the exact nearest rows.
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { addItems, createTables, nearestByCosine, nearestByL2, onNodePostgres, onPglite, type Db } from '../../examples/orm/drizzle/db'
import { describeClients } from '../harness/clients'
import {
  ITEMS, K, QUERIES, cosineOf, exactCosine, exactL2, l2Of, planOf, rawNative, rawPglite, vectorIndexes, type Raw,
} from '../harness/orm-fixtures'
import { closeTo } from '../harness/reference'

describeClients('Drizzle ORM (examples/orm/drizzle)', (target) => {
  let db: Db
  let raw: Raw
  let pool: pg.Pool | undefined

  beforeAll(async () => {
    if (target.name === 'pglite') {
      const pglite = await target.openPglite()
      db = onPglite(pglite)
      raw = rawPglite(pglite)
    } else {
      const database = await target.nativeDatabase()
      pool = new pg.Pool(database)
      db = onNodePostgres(pool)
      raw = await rawNative(database)
    }
  })
  afterAll(async () => {
    await raw?.close()
    await pool?.end()
  })

  test('drizzle-kit\'s DDL for the schema creates the table and the hnsw index it declares', async () => {
    const statements = await createTables(db)
    expect(statements.at(-1)).toBe('CREATE INDEX "items_embedding_idx" ON "items" USING hnsw ("embedding" vector_cosine_ops);')
    expect(await vectorIndexes(raw, 'items')).toEqual([
      { name: 'items_embedding_idx', method: 'hnsw', opclass: 'vector_cosine_ops', options: null },
    ])
    const [column] = await raw.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'items'::regclass AND attname = 'embedding'`)
    expect(column).toEqual({ type: 'vector(3)' })
  })

  test('insert through the ORM stores the vectors as given', async () => {
    await addItems(db, ITEMS.map(({ content, embedding }) => ({ content, embedding })))
    const rows = await raw.query<{ id: number; e: string }>('SELECT id, embedding::text AS e FROM items ORDER BY id')
    expect(rows.map((r) => r.id)).toEqual(ITEMS.map((r) => r.id))
    // The server prints the shortest text that reads back as the same float32.
    expect(rows.map((r) => JSON.parse(r.e).map(Math.fround))).toEqual(ITEMS.map((r) => r.embedding))
  })

  test('cosineDistance ordering goes through the hnsw index and returns the exact top k', async () => {
    const { sql, params } = nearestByCosine(db, QUERIES[0], K).toSQL()
    expect(await planOf(raw, sql, params)).toContain('Index Scan using items_embedding_idx on items')
    for (const q of QUERIES) {
      const rows = await nearestByCosine(db, q, K)
      expect(rows.map((r) => r.id)).toEqual(exactCosine(q))
      for (const r of rows) {
        expect(r.content).toBe(`item ${r.id}`)
        expect(closeTo(Number(r.distance), cosineOf(r.id, q), 1e-5, 1e-6), `distance of ${r.id}`).toBe(true)
      }
    }
  })

  test('l2Distance ordering returns the exact top k, with embeddings read back as number[]', async () => {
    for (const q of QUERIES) {
      const rows = await nearestByL2(db, q, K)
      expect(rows.map((r) => r.id)).toEqual(exactL2(q))
      for (const r of rows) {
        expect(r.embedding.map(Math.fround)).toEqual(ITEMS[r.id - 1].embedding)
        expect(closeTo(Number(r.distance), l2Of(r.id, q), 1e-5)).toBe(true)
      }
    }
  })
})
