// halfvec input and output: the text format (parsed like strtof, rounded to binary16 with ties
// to even, printed as the shortest float4 of the widened value), every input error, the
// halfvec(n) typmod, and the binary format (int16 dim, int16 unused, dim × binary16, big-endian).
import { expect, test } from 'vitest'
import { fromHex, toHex } from '../harness/bytes'
import { expectSqlError, SQLSTATE, type ExpectedError } from '../harness/expect-error'
import { f16round, halfvecBytes, parseHalfvecBytes, randomHalfvec } from '../harness/half'
import { literal, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const syntax = (input: string, detail: string | null = null): ExpectedError => ({
  message: `invalid input syntax for type halfvec: "${input}"`,
  code: SQLSTATE.invalidTextRepresentation,
  detail,
})
const dataError = (message: string): ExpectedError => ({ message, code: SQLSTATE.dataException, detail: null })
const outOfRange = (token: string): ExpectedError => ({
  message: `"${token}" is out of range for type halfvec`,
  code: SQLSTATE.numericValueOutOfRange,
  detail: null,
})
const MUST_START = 'Vector contents must start with "[".'
const JUNK = 'Junk after closing right brace.'
const ones = (n: number) => `[${Array(n).fill('1').join(',')}]`

const INPUT_ERRORS: [string, ExpectedError][] = [
  ['1,2]', syntax('1,2]', MUST_START)],
  ['', syntax('', MUST_START)],
  ['{1,2}', syntax('{1,2}', MUST_START)],
  ['[1,2', syntax('[1,2')],
  ['[', syntax('[')],
  ['[1,,2]', syntax('[1,,2]')],
  ['[1,2,]', syntax('[1,2,]')],
  ['[a]', syntax('[a]')],
  ['[1 2]', syntax('[1 2]')],
  ['[1e]', syntax('[1e]')],
  ['[1,2] x', syntax('[1,2] x', JUNK)],
  ['[1,2]]', syntax('[1,2]]', JUNK)],
  ['[]', dataError('halfvec must have at least 1 dimension')],
  ['[ ]', dataError('halfvec must have at least 1 dimension')],
  ['[NaN]', dataError('NaN not allowed in halfvec')],
  ['[1,-nan]', dataError('NaN not allowed in halfvec')],
  ['[Infinity]', dataError('infinite value not allowed in halfvec')],
  ['[1,-inf]', dataError('infinite value not allowed in halfvec')],
  // Finite but beyond binary16 (anything that rounds past 65504), quoted as written.
  ['[65520]', outOfRange('65520')],
  ['[1, -65520.0 ,2]', outOfRange('-65520.0')],
  ['[1e5]', outOfRange('1e5')],
  ['[0x1p16]', outOfRange('0x1p16')],
  // Beyond float4 already: strtof's own range error, same message.
  ['[1e39]', outOfRange('1e39')],
]

describeTargets('halfvec text format', (t) => {
  const text = async (input: string) => (await t.query<{ t: string }>('SELECT $1::halfvec::text AS t', [input]))[0].t

  test('rounds to binary16 and prints the shortest float4 of the result', async () => {
    const cases: [string, string][] = [
      ['[1,2,3]', '[1,2,3]'],
      ['[1.5,-2.25,0]', '[1.5,-2.25,0]'],
      ['[-0]', '[-0]'],
      ['[0.1]', '[0.099975586]'],
      ['[0.2,0.3]', '[0.19995117,0.30004883]'],
      ['[3.14159]', '[3.140625]'],
      ['[65504,-65504,65519]', '[65504,-65504,65504]'],
      ['[2049,2051,4097]', '[2048,2052,4096]'],
      ['[6.1035156e-05,5.9604645e-08,2.9802322e-08,2.9802326e-08]', '[6.1035156e-05,5.9604645e-08,0,5.9604645e-08]'],
      ['[1e-8,-1e-8]', '[0,-0]'],
      ['[1e-7]', '[1.1920929e-07]'],
      ['[100000e-1]', '[10000]'],
      ['[ 1 , 2 ]', '[1,2]'],
      ['\t[1,\n2]\r', '[1,2]'],
      ['[0x10,+1.5e1,.5]', '[16,15,0.5]'],
    ]
    for (const [input, output] of cases) expect(await text(input), JSON.stringify(input)).toBe(output)
  })

  test('random values round like a float32 → binary16 reference and read back exactly', async () => {
    const next = rng(0x4a1f)
    for (const dims of [1, 17, 1536]) {
      for (const scale of [1e-6, 1, 1000, 60000]) {
        const raw = Array.from({ length: dims }, () => Math.fround((next() * 2 - 1) * scale))
        const [r] = await t.query<{ t: string; again: string }>(
          'SELECT $1::halfvec::text AS t, $1::halfvec::text::halfvec::text AS again',
          [literal(raw)],
        )
        const printed = r.t.slice(1, -1).split(',').map(Number)
        expect(printed.map(f16round), `dims=${dims} scale=${scale}`).toEqual(raw.map(f16round))
        expect(r.again).toBe(r.t)
      }
    }
  })

  for (const [input, expected] of INPUT_ERRORS) {
    test(`rejects ${JSON.stringify(input)}`, async () => {
      await expectSqlError(t.query('SELECT $1::halfvec', [input]), expected)
    })
  }

  test('the first problem found wins, as in pgvector', async () => {
    await expectSqlError(t.query("SELECT '[1,2'::halfvec(5)"), syntax('[1,2'))
    await expectSqlError(t.query("SELECT '[65520,NaN]'::halfvec"), outOfRange('65520'))
    await expectSqlError(t.query("SELECT '[NaN,65520]'::halfvec"), dataError('NaN not allowed in halfvec'))
    await expectSqlError(t.query("SELECT '[1,2] x'::halfvec(3)"), syntax('[1,2] x', JUNK))
  })

  test('a halfvec(3) column takes 3 dimensions', async () => {
    await t.exec('CREATE TABLE half_typmod (v halfvec(3))')
    const [col] = await t.query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'half_typmod'::regclass AND attname = 'v'",
    )
    expect(col.type).toBe('halfvec(3)')
    await t.query('INSERT INTO half_typmod VALUES ($1)', ['[1,2,3]'])
    await expectSqlError(t.query('INSERT INTO half_typmod VALUES ($1)', ['[1,2]']), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("INSERT INTO half_typmod VALUES ('[1,2,3,4]'::halfvec)"), {
      message: 'expected 3 dimensions, not 4', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT '[1,2]'::halfvec(2)::halfvec(1)"), {
      message: 'expected 1 dimensions, not 2', code: SQLSTATE.dataException,
    })
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM half_typmod')
    expect(rows).toEqual([{ v: '[1,2,3]' }])
  })

  test('invalid type modifiers are rejected', async () => {
    const bad: [string, string][] = [
      ['halfvec(0)', 'dimensions for type halfvec must be at least 1'],
      ['halfvec(-1)', 'dimensions for type halfvec must be at least 1'],
      ['halfvec(16001)', 'dimensions for type halfvec cannot exceed 16000'],
      ['halfvec(3,4)', 'invalid type modifier'],
    ]
    for (const [type, message] of bad) {
      await expectSqlError(t.exec(`CREATE TABLE bad_half_typmod (v ${type})`), { message, code: SQLSTATE.invalidParameterValue })
    }
  })

  test('up to 16000 dimensions; 16001 are rejected', async () => {
    const [r] = await t.query<{ d: number; n: number }>(
      'SELECT vector_dims($1::halfvec) AS d, l2_norm($1::halfvec) AS n', [ones(16000)],
    )
    expect(r).toEqual({ d: 16000, n: Math.sqrt(16000) })
    await expectSqlError(t.query('SELECT $1::halfvec', [ones(16001)]), {
      message: 'halfvec cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded, detail: null,
    })
    await t.exec('CREATE TABLE half_max (v halfvec(16000))')
    await t.query('INSERT INTO half_max VALUES ($1)', [ones(16000)])
  })

  test('a stored halfvec reads back as its text, also when TOASTed', async () => {
    await t.exec('CREATE TABLE half_store (id int, v halfvec)')
    const big = randomHalfvec(rng(0x70a57), 4000, 100)
    const literals = ['[1,2,3]', '[-0,0,5.9604645e-08]', '[65504]', literal(big)]
    for (const [i, lit] of literals.entries()) await t.query('INSERT INTO half_store VALUES ($1, $2)', [i, lit])
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM half_store ORDER BY id')
    expect(rows.slice(0, 3).map((r) => r.v)).toEqual(literals.slice(0, 3))
    expect(rows[3].v.slice(1, -1).split(',').map(Number).map(f16round)).toEqual(big)
    // 4000 halves are 8 KB: TOASTed out of line uncompressed (`external`, like pgvector), so
    // pg_column_size reports the raw 8004 data bytes.
    const [s] = await t.query<{ storage: string; size: number; compression: string | null }>(`
      SELECT (SELECT typstorage FROM pg_type WHERE typname = 'halfvec') AS storage,
             pg_column_size(v) AS size, pg_column_compression(v) AS compression FROM half_store WHERE id = 3`)
    expect(s).toEqual({ storage: 'e', size: 8004, compression: null })
  })
})

describeTargets('halfvec binary format', (t) => {
  const sendHex = "SELECT encode(halfvec_send($1::halfvec), 'hex') AS h"

  test('halfvec_send produces the documented layout, byte for byte', async () => {
    const cases: [string, string][] = [
      ['[1,2]', '00020000' + '3c00' + '4000'],
      ['[-0]', '00010000' + '8000'],
      ['[1.5,-2.25,0]', '00030000' + '3e00' + 'c080' + '0000'],
      ['[6e-08]', '00010000' + '0001'],
      ['[65504]', '00010000' + '7bff'],
      ['[0.1]', '00010000' + '2e66'],
    ]
    for (const [input, hex] of cases) {
      const [r] = await t.query<{ h: string }>(sendHex, [input])
      expect(r.h, input).toBe(hex)
    }
  })

  test('halfvec_send of random values matches an independent encoding', async () => {
    const next = rng(0xb1f)
    for (const dims of [17, 1536, 16000]) {
      const v = randomHalfvec(next, dims, 1000)
      const [r] = await t.query<{ h: string }>(sendHex, [literal(v)])
      expect(r.h === toHex(halfvecBytes(v)), `dims=${dims}`).toBe(true)
    }
  })

  test('binary parameters and results round-trip through halfvec_recv and halfvec_send', async () => {
    const next = rng(0xb2f)
    for (const dims of [1, 3, 128, 2000]) {
      const v = randomHalfvec(next, dims, 100)
      const bytes = halfvecBytes(v)
      const [[back, text]] = await t.queryBinary('SELECT $1::halfvec, $1::halfvec::text', [bytes])
      expect(toHex(back!)).toBe(toHex(bytes))
      expect(parseHalfvecBytes(back!).values).toEqual(v)
      expect(new TextDecoder().decode(text!).slice(1, -1).split(',').map(Number).map(f16round)).toEqual(v)
    }
    const rows = await t.queryBinary("SELECT '[1,-0,65504]'::halfvec, NULL::halfvec", [])
    expect(toHex(rows[0][0]!)).toBe('00030000' + '3c00' + '8000' + '7bff')
    expect(rows[0][1]).toBeNull()
  })

  test('halfvec_recv rejects malformed input with exact errors', async () => {
    const bad: [string, string, string][] = [
      ['00000000', 'halfvec must have at least 1 dimension', SQLSTATE.dataException],
      ['ffff0000', 'halfvec must have at least 1 dimension', SQLSTATE.dataException],
      ['3e810000', 'halfvec cannot have more than 16000 dimensions', SQLSTATE.programLimitExceeded],
      ['000100013c00', 'expected unused to be 0, not 1', SQLSTATE.dataException],
      ['00010000' + '7e00', 'NaN not allowed in halfvec', SQLSTATE.dataException],
      ['00010000' + 'fc01', 'NaN not allowed in halfvec', SQLSTATE.dataException],
      ['00010000' + '7c00', 'infinite value not allowed in halfvec', SQLSTATE.dataException],
      ['00020000' + '3c00' + 'fc00', 'infinite value not allowed in halfvec', SQLSTATE.dataException],
      ['000200003c00', 'insufficient data left in message', '08P01'],
      ['000100003c0000', 'incorrect binary data format in bind parameter 1', '22P03'],
    ]
    for (const [hex, message, code] of bad) {
      await expectSqlError(t.queryBinary('SELECT $1::halfvec', [fromHex(hex)]), { message, code })
    }
    await expectSqlError(t.queryBinary('SELECT $1::halfvec(2)', [halfvecBytes([1])]), {
      message: 'expected 2 dimensions, not 1', code: SQLSTATE.dataException,
    })
    const [[ok]] = await t.queryBinary('SELECT $1::halfvec', [fromHex('000100003c00')])
    expect(toHex(ok!)).toBe('000100003c00')
  })
})
