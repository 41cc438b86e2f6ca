// hnsw indexes as applications create and query them: the exact statements Drizzle (drizzle-kit
// migrations) and Kysely (schema builder, plus the pgvector package's Kysely helpers) emit, run
// on both targets, and node-postgres with the `pgvector` npm package (registerTypes, toSql)
// against the native server. The ORMs themselves are not loaded here; what reaches the server is
// their SQL text, reproduced verbatim, so the shapes are what this case pins: quoted identifiers,
// operator class after the column, `WITH (m=16,ef_construction=64)` without spaces, `IF NOT
// EXISTS`, lower-case keywords, the query vector as a text parameter and LIMIT as a parameter.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import pgvector from 'pgvector'
import pgvectorPg from 'pgvector/pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { config } from '../harness/config'
import { explain, expectIndexSound, withSettings } from '../harness/hnsw'
import { randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'

const DIMS = 3
const ROWS = 300
const next = rng(0x0a11ce)
// Integers, so every client's number formatting round-trips exactly.
const data = Array.from({ length: ROWS }, (_, i) => ({
  id: i + 1,
  v: randomVector(next, DIMS, 100).map(Math.round),
}))
const query = [10, -20, 30]
const exactCosine = ref.exactTopK(data.filter((r) => r.v.some((x) => x !== 0)), query, 5, ref.cosineDistance)
const exactL2 = ref.exactTopK(data, query, 5, ref.l2)

// What drizzle-kit writes into a migration for
//   index('orm_items_embedding_idx').using('hnsw', t.embedding.op('vector_cosine_ops'))
// and for the same with .with({ m: 16, ef_construction: 64 }) (its statement-breakpoint comment
// is a separate line in the file and not sent).
const DRIZZLE_INDEX = 'CREATE INDEX "orm_items_embedding_idx" ON "orm_items" USING hnsw ("embedding" vector_cosine_ops);'
const DRIZZLE_INDEX_WITH = 'CREATE INDEX IF NOT EXISTS "orm_items_embedding_m_idx" ON "orm_items" USING hnsw ("embedding" vector_cosine_ops) WITH (m=16,ef_construction=64);'
// db.select({ id: items.id }).from(items).orderBy(cosineDistance(items.embedding, q)).limit(5)
const DRIZZLE_SELECT = 'select "id" from "orm_items" order by "orm_items"."embedding" <=> $1 limit $2'

// db.schema.createIndex('orm_items_l2_idx').on('orm_items').using('hnsw').expression(sql`embedding vector_l2_ops`)
const KYSELY_INDEX = 'create index "orm_items_l2_idx" on "orm_items" using hnsw (embedding vector_l2_ops)'
// db.selectFrom('orm_items').select('id').orderBy(l2Distance('embedding', q)).limit(5)  (pgvector/kysely)
const KYSELY_SELECT = 'select "id" from "orm_items" order by "embedding" <-> $1 limit $2'

describeTargets('hnsw indexes through ORM-generated SQL', (t) => {
  test('the table and its rows, as the ORMs insert them', async () => {
    await t.exec(`CREATE TABLE "orm_items" ("id" serial PRIMARY KEY NOT NULL, "embedding" vector(${DIMS}))`)
    for (let i = 0; i < ROWS; i += 100) {
      const chunk = data.slice(i, i + 100)
      // One parameter per row, each the pgvector package's toSql() text, as drizzle and kysely bind them.
      await t.query(
        `insert into "orm_items" ("id", "embedding") values ${chunk.map((_, j) => `($${2 * j + 1}, $${2 * j + 2})`).join(', ')}`,
        chunk.flatMap((r) => [r.id, pgvector.toSql(r.v)]),
      )
    }
    expect(await t.query('SELECT count(*)::int AS n FROM orm_items')).toEqual([{ n: ROWS }])
  })

  test('drizzle-kit\'s CREATE INDEX statements create hnsw indexes with the options they name', async () => {
    await t.exec(DRIZZLE_INDEX)
    await t.exec(DRIZZLE_INDEX_WITH)
    // Running the migration again is a no-op for the IF NOT EXISTS form.
    await t.exec(DRIZZLE_INDEX_WITH)
    const rows = await t.query(
      `SELECT c.relname, am.amname, c.reloptions, o.opcname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_am am ON am.oid = c.relam JOIN pg_opclass o ON o.oid = i.indclass[0]
        WHERE i.indrelid = 'orm_items'::regclass AND am.amname = 'hnsw' ORDER BY 1`)
    expect(rows).toEqual([
      { relname: 'orm_items_embedding_idx', amname: 'hnsw', reloptions: null, opcname: 'vector_cosine_ops' },
      { relname: 'orm_items_embedding_m_idx', amname: 'hnsw', reloptions: ['m=16', 'ef_construction=64'], opcname: 'vector_cosine_ops' },
    ])
    await expectIndexSound(t, 'orm_items_embedding_idx')
    await t.exec('DROP INDEX "orm_items_embedding_m_idx"')
  })

  test('drizzle\'s cosineDistance ordering is served by the index and finds the exact neighbours', async () => {
    const params = [pgvector.toSql(query), 5]
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      expect(await explain(t, DRIZZLE_SELECT, params)).toContain('Index Scan using orm_items_embedding_idx on orm_items')
      const rows = await t.query<{ id: number }>(DRIZZLE_SELECT, params)
      expect(rows.map((r) => r.id)).toEqual(exactCosine)
    })
  })

  test('kysely\'s CREATE INDEX and l2Distance ordering', async () => {
    await t.exec(KYSELY_INDEX)
    const params = [pgvector.toSql(query), 5]
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      expect(await explain(t, KYSELY_SELECT, params)).toContain('Index Scan using orm_items_l2_idx on orm_items')
      const rows = await t.query<{ id: number }>(KYSELY_SELECT, params)
      expect(rows.map((r) => r.id)).toEqual(exactL2)
    })
    await expectIndexSound(t, 'orm_items_l2_idx')
  })

  test('vectors read back through the pgvector package\'s fromSql are the stored ones', async () => {
    const rows = await t.query<{ id: number; embedding: string }>(
      'select "id", "embedding" from "orm_items" order by "embedding" <-> $1 limit $2', [pgvector.toSql(query), 3])
    expect(rows.map((r) => pgvector.fromSql(r.embedding))).toEqual(exactL2.slice(0, 3).map((id) => data[id - 1].v))
  })
})

const nativeInfo = config.targets.includes('native') ? inject('nativeServer') : null
/** describe on the native target, or a skipped describe with the reason in its title. */
const describeNative = (title: string, body: () => void) =>
  nativeInfo ? describe(title, body) : describe.skip(`${title} (skipped: the native target is not in this run)`, body) // skipped without a native target: the ORMs connect to a server

/** The package's SparseVector from a dense array, through its documented (object, dimensions) form. */
const sparse = (v: number[]) =>
  new pgvector.SparseVector(Object.fromEntries(v.flatMap((x, i) => (x === 0 ? [] : [[i, x]]))), v.length)

describeNative(`[native:${config.extension}] node-postgres with pgvector/pg and an hnsw index`, () => {
  let client: pg.Client

  beforeAll(async () => {
    const base = { host: nativeInfo!.host, port: nativeInfo!.port, user: nativeInfo!.user }
    const database = `ormpg_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ ...base, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    client = new pg.Client({ ...base, database })
    await client.connect()
    await client.query(`CREATE EXTENSION ${config.extension}`)
    // What the pgvector package's README has applications do on every new connection.
    await pgvectorPg.registerTypes(client)
  })

  afterAll(async () => {
    await client?.end()
  })

  test('vector, halfvec and sparsevec columns with hnsw indexes, queried with toSql parameters', async () => {
    await client.query(`CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(${DIMS}), half halfvec(${DIMS}), sparse sparsevec(${DIMS}))`)
    for (const r of data) {
      await client.query('INSERT INTO items (embedding, half, sparse) VALUES ($1, $2, $3)', [
        pgvectorPg.toSql(r.v), pgvectorPg.toSql(r.v), pgvectorPg.toSql(sparse(r.v)),
      ])
    }
    await client.query('CREATE INDEX ON items USING hnsw (embedding vector_l2_ops)')
    await client.query('CREATE INDEX ON items USING hnsw (half halfvec_l2_ops)')
    await client.query('CREATE INDEX ON items USING hnsw (sparse sparsevec_l2_ops)')
    await client.query('SET enable_seqscan = off')
    await client.query('SET hnsw.ef_search = 100')
    for (const column of ['embedding', 'half', 'sparse']) {
      const param = column === 'sparse' ? pgvectorPg.toSql(sparse(query)) : pgvectorPg.toSql(query)
      const plan = await client.query(`EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY ${column} <-> $1 LIMIT 5`, [param])
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(`Index Scan using items_${column}_idx on items`)
      const { rows } = await client.query(`SELECT id, embedding, half, sparse FROM items ORDER BY ${column} <-> $1 LIMIT 5`, [param])
      expect(rows.map((r) => Number(r.id)), column).toEqual(exactL2)
      // registerTypes parses all three types into JS values.
      const first = data[exactL2[0] - 1].v
      expect(rows[0].embedding).toEqual(first)
      expect(rows[0].half).toEqual(first)
      expect(rows[0].sparse).toBeInstanceOf(pgvector.SparseVector)
      expect(rows[0].sparse.toArray()).toEqual(first)
    }
    await client.query('RESET enable_seqscan')
    await client.query('RESET hnsw.ef_search')
  })
})
