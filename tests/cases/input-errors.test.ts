// Every way a vector literal can be wrong, with the exact message, SQLSTATE and DETAIL.
import { test } from 'vitest'
import { expectSqlError, SQLSTATE, type ExpectedError } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

const syntax = (input: string, detail: string | null = null): ExpectedError => ({
  message: `invalid input syntax for type vector: "${input}"`,
  code: SQLSTATE.invalidTextRepresentation,
  detail,
})
const MUST_START = 'Vector contents must start with "[".'
const JUNK = 'Junk after closing right brace.'

const CASES: [string, ExpectedError][] = [
  // Missing or wrong opening bracket.
  ['1,2]', syntax('1,2]', MUST_START)],
  ['', syntax('', MUST_START)],
  ['   ', syntax('   ', MUST_START)],
  ['(1,2)', syntax('(1,2)', MUST_START)],
  ['{1,2}', syntax('{1,2}', MUST_START)],
  ['x[1]', syntax('x[1]', MUST_START)],
  // Truncated: the message quotes the whole input, with no detail.
  ['[1,2', syntax('[1,2')],
  ['[', syntax('[')],
  ['[1,', syntax('[1,')],
  // Bad elements and separators.
  ['[1,,2]', syntax('[1,,2]')],
  ['[,1]', syntax('[,1]')],
  ['[1,2,]', syntax('[1,2,]')],
  ['[a]', syntax('[a]')],
  ['[1,b]', syntax('[1,b]')],
  ['[1 2]', syntax('[1 2]')],
  ['[1;2]', syntax('[1;2]')],
  ['[[1,2]]', syntax('[[1,2]]')],
  ['[1e]', syntax('[1e]')],
  ['[.]', syntax('[.]')],
  ['[-]', syntax('[-]')],
  ['["1"]', syntax('["1"]')],
  // Anything but whitespace after the closing bracket.
  ['[1,2] x', syntax('[1,2] x', JUNK)],
  ['[1,2]]', syntax('[1,2]]', JUNK)],
  ['[1,2],[3]', syntax('[1,2],[3]', JUNK)],
  ['[1,2]garbage', syntax('[1,2]garbage', JUNK)],
  // Empty vectors.
  ['[]', { message: 'vector must have at least 1 dimension', code: SQLSTATE.dataException, detail: null }],
  ['[ ]', { message: 'vector must have at least 1 dimension', code: SQLSTATE.dataException, detail: null }],
  // Non-finite values.
  ['[NaN]', { message: 'NaN not allowed in vector', code: SQLSTATE.dataException, detail: null }],
  ['[1,nan]', { message: 'NaN not allowed in vector', code: SQLSTATE.dataException }],
  ['[-NaN]', { message: 'NaN not allowed in vector', code: SQLSTATE.dataException }],
  ['[Infinity]', { message: 'infinite value not allowed in vector', code: SQLSTATE.dataException, detail: null }],
  ['[-Infinity]', { message: 'infinite value not allowed in vector', code: SQLSTATE.dataException }],
  ['[1,inf]', { message: 'infinite value not allowed in vector', code: SQLSTATE.dataException }],
  ['[-INF]', { message: 'infinite value not allowed in vector', code: SQLSTATE.dataException }],
  // Finite literals beyond float4: the message quotes only the offending element, as written.
  ['[1e39]', { message: '"1e39" is out of range for type vector', code: SQLSTATE.numericValueOutOfRange, detail: null }],
  ['[-1e39]', { message: '"-1e39" is out of range for type vector', code: SQLSTATE.numericValueOutOfRange }],
  ['[1, 1e+39 ,2]', { message: '"1e+39" is out of range for type vector', code: SQLSTATE.numericValueOutOfRange }],
  ['[3.4028236e38]', { message: '"3.4028236e38" is out of range for type vector', code: SQLSTATE.numericValueOutOfRange }],
  ['[100000000000000000000000000000000000000000]', {
    message: '"100000000000000000000000000000000000000000" is out of range for type vector',
    code: SQLSTATE.numericValueOutOfRange,
  }],
]

describeTargets('vector input errors', (t) => {
  for (const [input, expected] of CASES) {
    test(`rejects ${JSON.stringify(input)}`, async () => {
      await expectSqlError(t.query('SELECT $1::vector', [input]), expected)
      // The same text as an inline literal goes through the same input function.
      await expectSqlError(t.query(`SELECT '${input.replaceAll("'", "''")}'::vector`), expected)
    })
  }

  test('the first problem found wins: syntax before dimension checks', async () => {
    await expectSqlError(t.query("SELECT '[1,2'::vector(5)"), syntax('[1,2'))
    await expectSqlError(t.query("SELECT '[NaN,1,2]'::vector(2)"), {
      message: 'NaN not allowed in vector', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT '[1,2] x'::vector(3)"), syntax('[1,2] x', JUNK))
  })
})
