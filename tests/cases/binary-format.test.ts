// The binary wire format: int16 dim, int16 unused = 0, dim × float4, big-endian. Checked through
// vector_send() as SQL, and through the real protocol (binary Bind parameters go to vector_recv,
// binary result columns come from vector_send).
import { expect, test } from 'vitest'
import { fromHex, parseVectorBytes, toHex, vectorBytes } from '../harness/bytes'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const sendHex = "SELECT encode(vector_send($1::vector), 'hex') AS h"

describeTargets('vector binary format', (t) => {
  test('vector_send produces the documented layout, byte for byte', async () => {
    const cases: [string, string][] = [
      ['[1,2]', '00020000' + '3f800000' + '40000000'],
      ['[-0]', '00010000' + '80000000'],
      ['[1.5,-2.25,0]', '00030000' + '3fc00000' + 'c0100000' + '00000000'],
      ['[1e-45]', '00010000' + '00000001'],
      ['[3.4028235e38]', '00010000' + '7f7fffff'],
      ['[0.1]', '00010000' + '3dcccccd'],
    ]
    for (const [input, hex] of cases) {
      const [r] = await t.query<{ h: string }>(sendHex, [input])
      expect(r.h, input).toBe(hex)
    }
    const [r] = await t.query<{ type: string; isnull: boolean }>(
      "SELECT pg_typeof(vector_send('[1]'::vector))::text AS type, vector_send(NULL::vector) IS NULL AS isnull",
    )
    expect(r).toEqual({ type: 'bytea', isnull: true })
  })

  test('vector_send of large random vectors matches an independent encoding', async () => {
    const next = rng(0xb1a)
    for (const dims of [17, 1536, 16000]) {
      const v = randomVector(next, dims, 100)
      const [r] = await t.query<{ h: string }>(sendHex, [`[${v.join(',')}]`])
      expect(r.h.length).toBe(8 + 8 * dims)
      expect(r.h === toHex(vectorBytes(v)), `dims=${dims}`).toBe(true)
    }
  })

  test('binary result columns carry the same bytes as vector_send', async () => {
    const rows = await t.queryBinary(
      "SELECT '[1,2]'::vector AS a, '[-0,1e-45,3.4028235e38]'::vector AS b, NULL::vector AS c",
      [],
    )
    expect(rows).toHaveLength(1)
    const [a, b, c] = rows[0]
    expect(toHex(a!)).toBe('000200003f80000040000000')
    expect(toHex(b!)).toBe('00030000' + '80000000' + '00000001' + '7f7fffff')
    expect(c).toBeNull()
  })

  test('binary parameters round-trip through vector_recv and vector_send', async () => {
    const next = rng(0xb1b)
    for (const dims of [1, 3, 128, 2000]) {
      const v = randomVector(next, dims, 1000)
      const bytes = vectorBytes(v)
      const [[back, dimsOut, textLen]] = await t.queryBinary(
        'SELECT $1::vector AS v, vector_dims($1::vector) AS d, length($1::vector::text) AS n', [bytes],
      )
      expect(toHex(back!)).toBe(toHex(bytes))
      expect(parseVectorBytes(back!).values).toEqual(v)
      expect(new DataView(dimsOut!.buffer).getInt32(0)).toBe(dims)
      expect(new DataView(textLen!.buffer).getInt32(0)).toBeGreaterThan(dims)
    }
    // The text the server prints for binary input is the same as for the equivalent literal.
    const [[txt]] = await t.queryBinary('SELECT $1::vector::text', [vectorBytes([1.5, -0, 1e-7])])
    expect(new TextDecoder().decode(txt!)).toBe('[1.5,-0,1e-07]')
  })

  test('binary distances equal the text-mode ones', async () => {
    const [[d]] = await t.queryBinary('SELECT $1::vector <-> $2::vector', [vectorBytes([1, 2]), vectorBytes([4, 6])])
    expect(new DataView(d!.buffer).getFloat64(0)).toBe(5)
  })

  test('vector_recv rejects malformed input with exact errors', async () => {
    const bad: [string, string, string][] = [
      ['00000000', 'vector must have at least 1 dimension', SQLSTATE.dataException],
      ['ffff0000', 'vector must have at least 1 dimension', SQLSTATE.dataException],
      ['3e810000', 'vector cannot have more than 16000 dimensions', SQLSTATE.programLimitExceeded],
      ['000100013f800000', 'expected unused to be 0, not 1', SQLSTATE.dataException],
      ['0001ffff3f800000', 'expected unused to be 0, not -1', SQLSTATE.dataException],
      ['000100007fc00000', 'NaN not allowed in vector', SQLSTATE.dataException],
      ['00010000ffc00000', 'NaN not allowed in vector', SQLSTATE.dataException],
      ['000100007f800000', 'infinite value not allowed in vector', SQLSTATE.dataException],
      ['000200003f800000ff800000', 'infinite value not allowed in vector', SQLSTATE.dataException],
      // Framing errors are PostgreSQL's own, raised around the type's recv function.
      ['000200003f800000', 'insufficient data left in message', '08P01'],
      ['0001', 'insufficient data left in message', '08P01'],
      ['000100003f80000000', 'incorrect binary data format in bind parameter 1', '22P03'],
    ]
    for (const [hex, message, code] of bad) {
      await expectSqlError(t.queryBinary('SELECT $1::vector', [fromHex(hex)]), { message, code })
    }
    // And the session is still usable afterwards.
    const [[ok]] = await t.queryBinary('SELECT $1::vector', [fromHex('000100003f800000')])
    expect(toHex(ok!)).toBe('000100003f800000')
  })

  test('binary input is checked against the column typmod', async () => {
    await t.exec('CREATE TABLE binary_typmod (v vector(3))')
    await expectSqlError(t.queryBinary('INSERT INTO binary_typmod VALUES ($1)', [vectorBytes([1, 2])]), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
    })
    await t.queryBinary('INSERT INTO binary_typmod VALUES ($1)', [vectorBytes([1, 2, 3])])
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM binary_typmod')
    expect(rows).toEqual([{ v: '[1,2,3]' }])
    await expectSqlError(t.queryBinary('SELECT $1::vector(3)', [vectorBytes([1, 2, 3, 4])]), {
      message: 'expected 3 dimensions, not 4', code: SQLSTATE.dataException,
    })
  })
})
