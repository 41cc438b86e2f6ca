// What applications see through their client libraries: node-postgres in binary mode against the
// native server (Buffer parameters are bound in binary and go to *_recv; `binary: true` asks for
// binary result columns from *_send), and the plain text values that node-postgres and PGlite's
// query API return for vector, halfvec and sparsevec columns.
//
// node-postgres 8 decodes every DataRow field as UTF-8 before handing binary columns over as a
// Buffer, so only results whose bytes are all below 0x80 survive that client unchanged (the raw
// protocol client in harness/wire.ts checks arbitrary bytes, in the *-binary / *-io cases). The
// binary-result case here therefore uses such values; parameters are byte-exact for any value.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { toHex, vectorBytes } from '../harness/bytes'
import { config } from '../harness/config'
import { halfvecBytes, randomHalfvec } from '../harness/half'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const nativeInfo = config.targets.includes('native') ? inject('nativeServer') : null
/** describe on the native target, or a skipped describe with the reason in its title. */
const describeNative = (title: string, body: () => void) =>
  nativeInfo ? describe(title, body) : describe.skip(`${title} (skipped: the native target is not in this run)`, body) // skipped without a native target: these clients talk to a server

/** The float4 values of a printed vector (shortest float4 text reads back exactly). */
const parse = (text: string) => text.slice(1, -1).split(',').map(Number).map(Math.fround)

/** Raw bytes for every result column, whatever its type. */
const rawTypes = { getTypeParser: () => (value: Buffer | string) => value }

/** node-postgres' `binary` query option, which its type definitions do not declare. */
const binaryQuery = (text: string, values: unknown[]) =>
  ({ text, values, binary: true, types: rawTypes }) as unknown as pg.QueryConfig

describeNative(`[native:${config.extension}] node-postgres in binary mode`, () => {
  let client: pg.Client
  let database: string

  beforeAll(async () => {
    const base = { host: nativeInfo!.host, port: nativeInfo!.port, user: nativeInfo!.user }
    database = `nodepg_${process.pid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ ...base, database: 'postgres' })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${database}`)
    await admin.end()
    client = new pg.Client({ ...base, database })
    await client.connect()
    await client.query(`CREATE EXTENSION ${config.extension}`)
    await client.query('CREATE TABLE items (id int, v vector, h halfvec)')
  })

  afterAll(async () => {
    await client?.end()
  })

  test('Buffer parameters reach vector_recv / halfvec_recv byte for byte and are stored as sent', async () => {
    const next = rng(0x90de)
    for (const [id, dims] of [[1, 3], [2, 128], [3, 1536], [4, 16000]]) {
      const v = randomVector(next, dims, 1000)
      const h = randomHalfvec(next, dims, 1000)
      await client.query({
        text: 'INSERT INTO items VALUES ($1, $2, $3)',
        values: [id, Buffer.from(vectorBytes(v)), Buffer.from(halfvecBytes(h))],
      })
      const { rows } = await client.query(
        "SELECT encode(vector_send(v), 'hex') AS v, encode(halfvec_send(h), 'hex') AS h, v::text AS vt, h::text AS ht FROM items WHERE id = $1",
        [id],
      )
      expect(rows[0].v === toHex(vectorBytes(v)), `vector dims=${dims}`).toBe(true)
      expect(rows[0].h === toHex(halfvecBytes(h)), `halfvec dims=${dims}`).toBe(true)
      // The same rows read as text give back the values the client sent.
      expect(parse(rows[0].vt)).toEqual(v)
      expect(parse(rows[0].ht)).toEqual(h)
    }
  })

  test('binary result columns carry pgvector\'s layout', async () => {
    await client.query({
      text: 'INSERT INTO items VALUES ($1, $2, $3)',
      values: [10, Buffer.from(vectorBytes([2, 3, 0.5, 12])), Buffer.from(halfvecBytes([2, 3, 0.5, 8]))],
    })
    const { rows } = await client.query(binaryQuery(
      "SELECT v, h, '[3,0.75]'::vector AS lit, '[0.5]'::halfvec(1) AS half, NULL::vector AS n FROM items WHERE id = $1",
      [10],
    ))
    expect(toHex(rows[0].v)).toBe('00040000' + '40000000' + '40400000' + '3f000000' + '41400000')
    expect(toHex(rows[0].h)).toBe('00040000' + '4000' + '4200' + '3800' + '4800')
    expect(toHex(rows[0].lit)).toBe('00020000' + '40400000' + '3f400000')
    expect(toHex(rows[0].half)).toBe('00010000' + '3800')
    expect(rows[0].n).toBeNull()
  })

  test('a binary parameter and a binary result of the same value agree', async () => {
    const bytes = Buffer.from(halfvecBytes([2, 0.5, 3]))
    const { rows } = await client.query(binaryQuery(
      'SELECT $1::halfvec AS h, $2::vector AS v, $1::halfvec::vector AS widened',
      [bytes, Buffer.from(vectorBytes([0.5, 2]))],
    ))
    expect(toHex(rows[0].h)).toBe(toHex(bytes))
    expect(toHex(rows[0].v)).toBe(toHex(vectorBytes([0.5, 2])))
    expect(toHex(rows[0].widened)).toBe(toHex(vectorBytes([2, 0.5, 3])))
  })
})

describeTargets('text values returned by the client', (t) => {
  test('vector, halfvec and sparsevec columns come back as pgvector prints them', async () => {
    await t.exec('CREATE TABLE client_text (v vector(3), h halfvec(3), s sparsevec(5))')
    await t.query('INSERT INTO client_text VALUES ($1, $2, $3)', ['[1,-2.5,0.1]', '[1,-2.5,0.1]', '{1:1.5,5:-2}/5'])
    await t.query("INSERT INTO client_text VALUES ('[1e-07,3.4028235e+38,-0]', '[65504,-0,6e-08]', '{}/5')")
    // No ::text: the client's own handling of these (to it, unknown) types.
    const rows = await t.query('SELECT v, h, s FROM client_text ORDER BY v')
    expect(rows).toEqual([
      { v: '[1e-07,3.4028235e+38,-0]', h: '[65504,-0,5.9604645e-08]', s: '{}/5' },
      { v: '[1,-2.5,0.1]', h: '[1,-2.5,0.099975586]', s: '{1:1.5,5:-2}/5' },
    ])
    const next = rng(0x7e77)
    const h = randomHalfvec(next, 64, 10)
    const v = randomVector(next, 64, 10)
    const [r] = await t.query('SELECT $1::vector AS v, $2::halfvec AS h', [literal(v), literal(h)])
    expect(parse(r.v as string)).toEqual(v)
    expect(parse(r.h as string)).toEqual(h)
  })
})
