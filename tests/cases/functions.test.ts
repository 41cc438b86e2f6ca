// The remaining vector functions: l2_normalize, subvector, binary_quantize, and the sum/avg
// aggregates, with their edge cases and errors.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

describeTargets('vector functions and aggregates', (t) => {
  test('l2_normalize scales to unit length and leaves zero vectors alone', async () => {
    const [r] = await t.query(`
      SELECT l2_normalize('[3,4]'::vector)::text AS a, l2_normalize('[0,0]'::vector)::text AS zero,
             l2_normalize('[-2]'::vector)::text AS neg,
             vector_norm(l2_normalize('[1,2,3,4,5]'::vector)) AS n`)
    expect(r.a).toBe('[0.6,0.8]')
    expect(r.zero).toBe('[0,0]')
    expect(r.neg).toBe('[-1]')
    expect(r.n).toBeCloseTo(1, 6)
  })

  test('subvector takes a 1-based start and a count, clipped to the vector', async () => {
    const [r] = await t.query(`
      SELECT subvector('[1,2,3,4,5]'::vector, 2, 3)::text AS mid,
             subvector('[1,2,3]'::vector, 0, 2)::text AS before_start,
             subvector('[1,2,3]'::vector, 3, 5)::text AS past_end`)
    expect(r).toEqual({ mid: '[2,3,4]', before_start: '[1]', past_end: '[3]' })
    for (const [start, count] of [[4, 1], [1, 0], [-5, 3]]) {
      await expectSqlError(t.query('SELECT subvector($1::vector, $2, $3)', ['[1,2,3]', start, count]), {
        message: 'vector must have at least 1 dimension', code: SQLSTATE.dataException,
      })
    }
  })

  test('binary_quantize keeps the sign bit of each element', async () => {
    const [r] = await t.query("SELECT binary_quantize('[1,-2,0,3.5,-0,1e-45,-1e-45,7,8]'::vector)::text AS b")
    expect(r.b).toBe('100101011')
  })

  test('sum and avg aggregate element-wise', async () => {
    const [r] = await t.query(`
      SELECT sum(v)::text AS s, avg(v)::text AS a
      FROM (VALUES ('[1,2]'::vector), ('[3,5]'::vector), ('[0.5,-1]'::vector)) x(v)`)
    expect(r).toEqual({ s: '[4.5,6]', a: '[1.5,2]' })
    const [empty] = await t.query("SELECT sum(v) AS s, avg(v) AS a FROM (SELECT '[1]'::vector AS v WHERE false) x")
    expect(empty).toEqual({ s: null, a: null })
    // avg accumulates in float8, so a mean that fits in float4 survives a sum that does not.
    const [big] = await t.query("SELECT avg(v)::text AS a FROM (VALUES ('[3e38]'::vector), ('[3e38]'::vector)) x(v)")
    expect(big.a).toBe('[3e+38]')
    await expectSqlError(t.query("SELECT sum(v) FROM (VALUES ('[3e38]'::vector), ('[3e38]'::vector)) x(v)"), {
      message: 'value out of range: overflow', code: SQLSTATE.numericValueOutOfRange,
    })
  })

  test('aggregates reject mixed dimensions', async () => {
    await expectSqlError(t.query("SELECT sum(v) FROM (VALUES ('[1,2]'::vector), ('[3]'::vector)) x(v)"), {
      message: 'different vector dimensions 2 and 1', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT avg(v) FROM (VALUES ('[1,2]'::vector), ('[3]'::vector)) x(v)"), {
      message: 'expected 2 dimensions, not 1', code: SQLSTATE.dataException,
    })
  })
})
