// examples/orm/kysely on both targets: Kysely's PGliteDialect on PGlite, PostgresDialect over a
// node-postgres pool natively, with the pgvector package's Kysely helpers. The schema builder's
// hnsw index must be created as written, and l2Distance / cosineDistance orderings must return
// the exact nearest rows.
import type { Kysely } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  addItems, createTables, embeddingOf, nearestByCosine, nearestByL2, onNodePostgres, onPglite, type Database,
} from '../../examples/orm/kysely/db'
import { describeClients } from '../harness/clients'
import {
  ITEMS, K, QUERIES, cosineOf, exactCosine, exactL2, l2Of, planOf, rawNative, rawPglite, vectorIndexes, type Raw,
} from '../harness/orm-fixtures'
import { closeTo } from '../harness/reference'

describeClients('Kysely with pgvector/kysely (examples/orm/kysely)', (target) => {
  let db: Kysely<Database>
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
    // On PGlite the harness closes the instance; Kysely's destroy would close it a second time.
    if (pool) await db?.destroy()
  })

  test('the schema builder creates the table and an hnsw index with vector_l2_ops', async () => {
    await createTables(db)
    expect(await vectorIndexes(raw, 'items')).toEqual([
      { name: 'items_embedding_idx', method: 'hnsw', opclass: 'vector_l2_ops', options: null },
    ])
  })

  test('insert with pgvector.toSql stores the vectors as given', async () => {
    await addItems(db, ITEMS.map(({ content, embedding }) => ({ content, embedding })))
    const rows = await db.selectFrom('items').select(['id', 'embedding']).orderBy('id').execute()
    expect(rows.map((r) => r.id)).toEqual(ITEMS.map((r) => r.id))
    // The server prints the shortest text that reads back as the same float32.
    expect(rows.map((r) => embeddingOf(r).map(Math.fround))).toEqual(ITEMS.map((r) => r.embedding))
  })

  test('l2Distance ordering goes through the hnsw index and returns the exact top k', async () => {
    const { sql, parameters } = nearestByL2(db, QUERIES[0], K).compile()
    expect(await planOf(raw, sql, parameters)).toContain('Index Scan using items_embedding_idx on items')
    for (const q of QUERIES) {
      const rows = await nearestByL2(db, q, K).execute()
      expect(rows.map((r) => r.id)).toEqual(exactL2(q))
      for (const r of rows) {
        expect(embeddingOf(r).map(Math.fround)).toEqual(ITEMS[r.id - 1].embedding)
        expect(closeTo(Number(r.distance), l2Of(r.id, q), 1e-5), `distance of ${r.id}`).toBe(true)
      }
    }
  })

  test('cosineDistance ordering returns the exact top k', async () => {
    for (const q of QUERIES) {
      const rows = await nearestByCosine(db, q, K).execute()
      expect(rows.map((r) => r.id)).toEqual(exactCosine(q))
      for (const r of rows) expect(closeTo(Number(r.distance), cosineOf(r.id, q), 1e-5, 1e-6)).toBe(true)
    }
  })
})
