// sparsevec input and output: the `{1:1.5,3:2}/5` text format (1-based indices, zeros
// dropped, sorted), every input error with pgvector's text and order, the sparsevec(n) typmod,
// the limits (16000 non-zero elements, 1,000,000,000 dimensions), and the binary format
// (int32 dim, int32 nnz, int32 unused, nnz × int32 0-based index, nnz × float4, big-endian).
import { expect, test } from 'vitest'
import { fromHex, toHex } from '../harness/bytes'
import { expectSqlError, SQLSTATE, type ExpectedError } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

const syntax = (input: string, detail: string | null = null): ExpectedError => ({
  message: `invalid input syntax for type sparsevec: "${input}"`,
  code: SQLSTATE.invalidTextRepresentation,
  detail,
})
const data = (message: string): ExpectedError => ({ message, code: SQLSTATE.dataException, detail: null })
const limit = (message: string): ExpectedError => ({ message, code: SQLSTATE.programLimitExceeded, detail: null })
const outOfRange = (token: string): ExpectedError => ({
  message: `"${token}" is out of range for type sparsevec`,
  code: SQLSTATE.numericValueOutOfRange,
  detail: null,
})
const MUST_START = 'Vector contents must start with "{".'

/** pgvector's binary layout, built independently of the server. */
function sparsevecBytes(dim: number, entries: [number, number][], { nnz = entries.length, unused = 0 } = {}): Uint8Array {
  const out = new Uint8Array(12 + 8 * entries.length)
  const view = new DataView(out.buffer)
  view.setInt32(0, dim)
  view.setInt32(4, nnz)
  view.setInt32(8, unused)
  entries.forEach(([i, v], k) => {
    view.setInt32(12 + 4 * k, i)
    view.setFloat32(12 + 4 * entries.length + 4 * k, v)
  })
  return out
}

const elements = (n: number, value = '1') => Array.from({ length: n }, (_, i) => `${i + 1}:${value}`).join(',')

const INPUT_ERRORS: [string, ExpectedError][] = [
  ['', syntax('', MUST_START)],
  ['[1,2]', syntax('[1,2]', MUST_START)],
  ['1:2}/3', syntax('1:2}/3', MUST_START)],
  ['{1:2', syntax('{1:2')],
  ['{1:2}', syntax('{1:2}', 'Unexpected end of input.')],
  ['{1:2} 3', syntax('{1:2} 3', 'Unexpected end of input.')],
  ['{1:2}/', syntax('{1:2}/')],
  ['{1:2}/x', syntax('{1:2}/x')],
  ['{1:2}/3x', syntax('{1:2}/3x', 'Junk after closing.')],
  ['{1:2}/3/4', syntax('{1:2}/3/4', 'Junk after closing.')],
  ['{a:1}/3', syntax('{a:1}/3')],
  ['{1 1}/3', syntax('{1 1}/3')],
  ['{1:}/3', syntax('{1:}/3')],
  ['{1:1,}/3', syntax('{1:1,}/3')],
  ['{,1:1}/3', syntax('{,1:1}/3')],
  ['{1:1;2:1}/3', syntax('{1:1;2:1}/3')],
  ['{1.5:1}/3', syntax('{1.5:1}/3')],
  ['{1:NaN}/3', data('NaN not allowed in sparsevec')],
  ['{1:-Infinity}/3', data('infinite value not allowed in sparsevec')],
  ['{1:1e39}/3', outOfRange('1e39')],
  ['{2:-1e-50}/3', outOfRange('-1e-50')],
  ['{}/0', data('sparsevec must have at least 1 dimension')],
  ['{}/-1', data('sparsevec must have at least 1 dimension')],
  ['{}/1000000001', limit('sparsevec cannot have more than 1000000000 dimensions')],
  ['{}/99999999999999999999', limit('sparsevec cannot have more than 1000000000 dimensions')],
  ['{0:1}/3', data('sparsevec index out of bounds')],
  ['{4:1}/3', data('sparsevec index out of bounds')],
  ['{-5:1}/3', data('sparsevec index out of bounds')],
  ['{99999999999:1}/3', data('sparsevec index out of bounds')],
  ['{1:1,1:2}/3', data('sparsevec indices must not contain duplicates')],
  ['{3:1,1:1,3:2}/3', data('sparsevec indices must not contain duplicates')],
  // Sorted first, then checked in order: the out-of-bounds index sorts before the duplicates.
  ['{2:1,2:1,0:1}/3', data('sparsevec index out of bounds')],
  // Errors while parsing come before the dimension check, which comes before index checks.
  ['{1:NaN}/0', data('NaN not allowed in sparsevec')],
  ['{0:1}/0', data('sparsevec must have at least 1 dimension')],
]

describeTargets('sparsevec text format', (t) => {
  const text = async (input: string) => (await t.query<{ t: string }>('SELECT $1::sparsevec::text AS t', [input]))[0].t

  test('prints 1-based indices in order, shortest float4 values, and the dimension count', async () => {
    const cases: [string, string][] = [
      ['{1:1.5,3:2}/5', '{1:1.5,3:2}/5'],
      ['{}/3', '{}/3'],
      ['{ }/3', '{}/3'],
      ['{1:0,2:1,3:-0}/3', '{2:1}/3'],
      ['{3:1,1:2}/3', '{1:2,3:1}/3'],
      ['  { 1 : 1.5 , 3 : 2 } / 5  ', '{1:1.5,3:2}/5'],
      ['\t{\n1:1\r}\f/\v2', '{1:1}/2'],
      ['{1:0.1,2:1e-7,3:123456789,4:-3.4028235e38,5:1e-45}/5', '{1:0.1,2:1e-07,3:1.2345679e+08,4:-3.4028235e+38,5:1e-45}/5'],
      ['{+1:2,002:0x10}/+3', '{1:2,2:16}/3'],
      ['{1:1,1:0}/3', '{1:1}/3'],
      ['{1000000000:1}/1000000000', '{1000000000:1}/1000000000'],
      ['{1:0e-50,2:0x0p-200}/2', '{}/2'],
    ]
    for (const [input, output] of cases) expect(await text(input), JSON.stringify(input)).toBe(output)
  })

  for (const [input, expected] of INPUT_ERRORS) {
    test(`rejects ${JSON.stringify(input)}`, async () => {
      await expectSqlError(t.query('SELECT $1::sparsevec', [input]), expected)
    })
  }

  test('at most 16000 non-zero elements, counted from the commas before anything else', async () => {
    const [r] = await t.query<{ t: number }>('SELECT l2_norm($1::sparsevec) AS t', [`{${elements(16000)}}/16000`])
    expect(r.t).toBe(Math.sqrt(16000))
    const tooMany = limit('sparsevec cannot have more than 16000 non-zero elements')
    await expectSqlError(t.query('SELECT $1::sparsevec', [`{${elements(16001)}}/20000`]), tooMany)
    await expectSqlError(t.query('SELECT $1::sparsevec', [`{${elements(16001, '0')}}/20000`]), tooMany)
    await expectSqlError(t.query('SELECT $1::sparsevec', [`[${',1'.repeat(16001)}`]), tooMany)
  })

  test('typmod: sparsevec(n) columns and casts, and invalid modifiers', async () => {
    await t.exec('CREATE TABLE sparse_typmod (v sparsevec(3))')
    const [col] = await t.query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'sparse_typmod'::regclass AND attname = 'v'",
    )
    expect(col.type).toBe('sparsevec(3)')
    await t.query('INSERT INTO sparse_typmod VALUES ($1)', ['{1:1}/3'])
    await expectSqlError(t.query('INSERT INTO sparse_typmod VALUES ($1)', ['{1:1}/4']), {
      message: 'expected 3 dimensions, not 4', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT '{1:1}/3'::sparsevec::sparsevec(2)"), { message: 'expected 2 dimensions, not 3', code: SQLSTATE.dataException })
    const [big] = await t.query<{ t: string }>("SELECT '{5:1}/1000000000'::sparsevec(1000000000)::text AS t")
    expect(big.t).toBe('{5:1}/1000000000')
    const bad: [string, string][] = [
      ['sparsevec(0)', 'dimensions for type sparsevec must be at least 1'],
      ['sparsevec(1000000001)', 'dimensions for type sparsevec cannot exceed 1000000000'],
      ['sparsevec(3,4)', 'invalid type modifier'],
    ]
    for (const [type, message] of bad) {
      await expectSqlError(t.exec(`CREATE TABLE bad_sparse_typmod (v ${type})`), { message, code: SQLSTATE.invalidParameterValue })
    }
  })

  test('stored values read back, large ones TOASTed out of line uncompressed', async () => {
    await t.exec('CREATE TABLE sparse_store (id int, v sparsevec)')
    const big = `{${elements(2000, '0.5')}}/100000`
    for (const [i, lit] of ['{1:1,3:2}/3', '{}/5', big].entries()) await t.query('INSERT INTO sparse_store VALUES ($1, $2)', [i, lit])
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM sparse_store ORDER BY id')
    expect(rows.map((r) => r.v)).toEqual(['{1:1,3:2}/3', '{}/5', big])
    const [s] = await t.query(`
      SELECT (SELECT typstorage FROM pg_type WHERE typname = 'sparsevec') AS storage,
             pg_column_size(v) AS size, pg_column_compression(v) AS compression FROM sparse_store WHERE id = 2`)
    expect(s).toEqual({ storage: 'e', size: 16012, compression: null })
  })
})

describeTargets('sparsevec binary format', (t) => {
  test('sparsevec_send produces the documented layout, byte for byte', async () => {
    const [r] = await t.query<{ a: string; b: string }>(`
      SELECT encode(sparsevec_send('{1:1.5,3:2}/5'), 'hex') AS a, encode(sparsevec_send('{}/7'), 'hex') AS b`)
    expect(r.a).toBe('00000005' + '00000002' + '00000000' + '00000000' + '00000002' + '3fc00000' + '40000000')
    expect(r.b).toBe('00000007' + '00000000' + '00000000')
    expect(r.a).toBe(toHex(sparsevecBytes(5, [[0, 1.5], [2, 2]])))
  })

  test('binary parameters and results round-trip through sparsevec_recv and sparsevec_send', async () => {
    const cases: [number, [number, number][]][] = [
      [1, [[0, 1]]], [5, []], [1000000000, [[0, -0.5], [999999999, 3.4028234663852886e38]]],
      [100, Array.from({ length: 50 }, (_, i) => [2 * i, Math.fround(i / 7 + 1)] as [number, number])],
    ]
    for (const [dim, entries] of cases) {
      const bytes = sparsevecBytes(dim, entries)
      const [[back, text]] = await t.queryBinary('SELECT $1::sparsevec, $1::sparsevec::text', [bytes])
      expect(toHex(back!)).toBe(toHex(bytes))
      expect(new TextDecoder().decode(text!)).toMatch(new RegExp(`^\\{.*\\}/${dim}$`))
    }
    const rows = await t.queryBinary("SELECT '{2:1}/3'::sparsevec, NULL::sparsevec", [])
    expect(toHex(rows[0][0]!)).toBe(toHex(sparsevecBytes(3, [[1, 1]])))
    expect(rows[0][1]).toBeNull()
  })

  test('sparsevec_recv rejects malformed input with exact errors', async () => {
    const bad: [Uint8Array, string, string][] = [
      [sparsevecBytes(0, []), 'sparsevec must have at least 1 dimension', SQLSTATE.dataException],
      [sparsevecBytes(1000000001, []), 'sparsevec cannot have more than 1000000000 dimensions', SQLSTATE.programLimitExceeded],
      [sparsevecBytes(5, [], { nnz: -1 }), 'sparsevec cannot have negative number of elements', SQLSTATE.dataException],
      [sparsevecBytes(50000, [], { nnz: 16001 }), 'sparsevec cannot have more than 16000 non-zero elements', SQLSTATE.programLimitExceeded],
      [sparsevecBytes(1, [[0, 1], [1, 1]]), 'sparsevec cannot have more elements than dimensions', SQLSTATE.programLimitExceeded],
      [sparsevecBytes(5, [[0, 1]], { unused: 7 }), 'expected unused to be 0, not 7', SQLSTATE.dataException],
      [sparsevecBytes(5, [[5, 1]]), 'sparsevec index out of bounds', SQLSTATE.dataException],
      [sparsevecBytes(5, [[-1, 1]]), 'sparsevec index out of bounds', SQLSTATE.dataException],
      [sparsevecBytes(5, [[3, 1], [1, 1]]), 'sparsevec indices must be in ascending order', SQLSTATE.dataException],
      [sparsevecBytes(5, [[1, 1], [1, 2]]), 'sparsevec indices must not contain duplicates', SQLSTATE.dataException],
      [sparsevecBytes(5, [[1, NaN]]), 'NaN not allowed in sparsevec', SQLSTATE.dataException],
      [sparsevecBytes(5, [[1, -Infinity]]), 'infinite value not allowed in sparsevec', SQLSTATE.dataException],
      [sparsevecBytes(5, [[1, 0]]), 'binary representation of sparsevec cannot contain zero values', SQLSTATE.dataException],
      [sparsevecBytes(5, [[1, -0]]), 'binary representation of sparsevec cannot contain zero values', SQLSTATE.dataException],
      [fromHex('00000005' + '00000002' + '00000000' + '00000001'), 'insufficient data left in message', '08P01'],
      [fromHex('00000005'), 'insufficient data left in message', '08P01'],
    ]
    for (const [bytes, message, code] of bad) {
      await expectSqlError(t.queryBinary('SELECT $1::sparsevec', [bytes]), { message, code })
    }
    await expectSqlError(t.queryBinary('SELECT $1::sparsevec(4)', [sparsevecBytes(5, [])]), {
      message: 'expected 4 dimensions, not 5', code: SQLSTATE.dataException,
    })
    const [[ok]] = await t.queryBinary('SELECT $1::sparsevec', [sparsevecBytes(2, [[1, 2]])])
    expect(toHex(ok!)).toBe(toHex(sparsevecBytes(2, [[1, 2]])))
  })
})
