// examples/orm/typeorm on both targets: the typeorm-pglite driver on PGlite, TypeORM's own
// node-postgres pool natively. synchronize() must create the vector(3) column and keep the
// hnsw index made beside it; the query builder's cosine ordering must return the exact top k
// as entities whose embeddings are the stored ones.
import type { DataSource } from 'typeorm'
import { getPGliteInstance } from 'typeorm-pglite'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ItemEntity, addItems, createTables, nearestByCosine, onPglite, onPostgres } from '../../examples/orm/typeorm/db'
import { createExtensionSql, describeClients } from '../harness/clients'
import { ITEMS, K, QUERIES, exactCosine, planOf, rawNative, rawPglite, vectorIndexes, type Raw } from '../harness/orm-fixtures'

describeClients('TypeORM (examples/orm/typeorm)', (target) => {
  let ds: DataSource
  let raw: Raw

  beforeAll(async () => {
    if (target.name === 'pglite') {
      // typeorm-pglite makes the instance itself (one per process) from these options.
      ds = onPglite(await target.pgliteOptions())
      const pglite = await getPGliteInstance()
      await pglite.exec(createExtensionSql)
      raw = rawPglite(pglite)
    } else {
      const database = await target.nativeDatabase()
      ds = onPostgres(database)
      raw = await rawNative(database)
    }
    await ds.initialize()
  })
  afterAll(async () => {
    await raw?.close()
    if (ds?.isInitialized) await ds.destroy()
  })

  test('synchronize creates the vector(3) column; the hnsw index made beside it survives a second synchronize', async () => {
    await createTables(ds)
    await ds.synchronize()
    const [column] = await raw.query(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = 'items'::regclass AND attname = 'embedding'`)
    expect(column).toEqual({ type: 'vector(3)' })
    expect(await vectorIndexes(raw, 'items')).toEqual([
      { name: 'items_embedding_idx', method: 'hnsw', opclass: 'vector_cosine_ops', options: null },
    ])
  })

  test('insert through the repository stores the vectors as given', async () => {
    await addItems(ds, ITEMS.map(({ content, embedding }) => ({ content, embedding })))
    const items = await ds.getRepository(ItemEntity).find({ order: { id: 'ASC' } })
    expect(items.map((r) => r.id)).toEqual(ITEMS.map((r) => r.id))
    // The server prints the shortest text that reads back as the same float32.
    expect(items.map((r) => r.embedding.map(Math.fround))).toEqual(ITEMS.map((r) => r.embedding))
  })

  test('the query builder\'s cosine ordering goes through the hnsw index and returns the exact top k', async () => {
    const [sql, params] = nearestByCosine(ds, QUERIES[0], K).getQueryAndParameters()
    expect(await planOf(raw, sql, params)).toContain('Index Scan using items_embedding_idx on items')
    for (const q of QUERIES) {
      const items = await nearestByCosine(ds, q, K).getMany()
      expect(items.map((r) => r.id)).toEqual(exactCosine(q))
      for (const r of items) {
        expect(r.content).toBe(`item ${r.id}`)
        expect(r.embedding.map(Math.fround)).toEqual(ITEMS[r.id - 1].embedding)
      }
    }
  })
})
