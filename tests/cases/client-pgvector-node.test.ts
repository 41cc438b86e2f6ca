// examples/orm/pgvector-node: the `pgvector` npm package without an ORM, node-postgres with
// registerTypes natively and PGlite's own query API with toSql/fromSql. Both store the rows,
// build an l2 hnsw index and must return the exact top k with the stored vectors.
import type { PGlite } from '@electric-sql/pglite'
import type pg from 'pg'
import { afterAll, beforeAll, expect, test } from 'vitest'
import * as onNodePostgres from '../../examples/orm/pgvector-node/node-postgres'
import * as onPglite from '../../examples/orm/pgvector-node/pglite'
import { describeClients } from '../harness/clients'
import { ITEMS, K, QUERIES, exactL2, l2Of, planOf, rawNative, rawPglite, vectorIndexes, type Raw } from '../harness/orm-fixtures'
import { closeTo } from '../harness/reference'

interface Hit { id: number; content: string; embedding: number[]; distance: number }

describeClients('pgvector package with node-postgres / PGlite (examples/orm/pgvector-node)', (target) => {
  // The two examples have the same shape; each target gets the one written for its client.
  let createTables: () => Promise<void>
  let addItem: (content: string, embedding: number[]) => Promise<void>
  let nearestByL2: (embedding: number[], k: number) => Promise<Hit[]>
  let nearestSql: string
  let raw: Raw
  let client: pg.Client | undefined

  beforeAll(async () => {
    if (target.name === 'pglite') {
      const db: PGlite = await target.openPglite()
      createTables = () => onPglite.createTables(db)
      addItem = (c, e) => onPglite.addItem(db, c, e)
      nearestByL2 = (e, k) => onPglite.nearestByL2(db, e, k)
      nearestSql = onPglite.NEAREST_BY_L2
      raw = rawPglite(db)
    } else {
      const database = await target.nativeDatabase()
      const c = await onNodePostgres.connect(database)
      client = c
      createTables = () => onNodePostgres.createTables(c)
      addItem = (content, e) => onNodePostgres.addItem(c, content, e)
      nearestByL2 = (e, k) => onNodePostgres.nearestByL2(c, e, k)
      nearestSql = onNodePostgres.NEAREST_BY_L2
      raw = await rawNative(database)
    }
  })
  afterAll(async () => {
    await raw?.close()
    await client?.end()
  })

  test('the table, the rows and an hnsw index with vector_l2_ops', async () => {
    await createTables()
    for (const r of ITEMS) await addItem(r.content, r.embedding)
    expect(await vectorIndexes(raw, 'items')).toEqual([
      { name: 'items_embedding_idx', method: 'hnsw', opclass: 'vector_l2_ops', options: null },
    ])
    expect(await raw.query('SELECT count(*)::int AS n FROM items')).toEqual([{ n: ITEMS.length }])
  })

  test('the nearest-neighbour query goes through the index and returns the exact top k as arrays', async () => {
    expect(await planOf(raw, nearestSql, ['[0,0,0]', K])).toContain('Index Scan using items_embedding_idx on items')
    for (const q of QUERIES) {
      const rows = await nearestByL2(q, K)
      expect(rows.map((r) => r.id)).toEqual(exactL2(q))
      for (const r of rows) {
        expect(r.content).toBe(`item ${r.id}`)
        expect(Array.isArray(r.embedding)).toBe(true)
        // The server prints the shortest text that reads back as the same float32.
        expect(r.embedding.map(Math.fround)).toEqual(ITEMS[r.id - 1].embedding)
        expect(closeTo(Number(r.distance), l2Of(r.id, q), 1e-5), `distance of ${r.id}`).toBe(true)
      }
    }
  })
})
