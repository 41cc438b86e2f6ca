// Element-wise arithmetic (+, -, *) and concatenation (||): float4 results, pgvector's overflow
// and underflow errors, and the dimension checks.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

describeTargets('vector arithmetic and concatenation', (t) => {
  test('add, subtract and multiply element-wise', async () => {
    const [r] = await t.query(`
      SELECT ('[1,2,3]'::vector + '[4,5,6]'::vector)::text AS add,
             ('[1,2,3]'::vector - '[4,5,6]'::vector)::text AS sub,
             ('[1,2,3]'::vector * '[4,5,6]'::vector)::text AS mul,
             ('[0.1]'::vector + '[0.2]'::vector)::text AS rounding`)
    // 0.1f + 0.2f is 0.3f exactly once rounded to float4, unlike in float8.
    expect(r).toEqual({ add: '[5,7,9]', sub: '[-3,-3,-3]', mul: '[4,10,18]', rounding: '[0.3]' })
  })

  test('results are float4 operations on random vectors', async () => {
    const next = rng(0xadd)
    for (const dims of [1, 17, 1536]) {
      const a = randomVector(next, dims, 100)
      const b = randomVector(next, dims, 100)
      const [r] = await t.query<{ add: string; sub: string; mul: string }>(
        `SELECT ($1::vector + $2::vector)::real[]::text AS add, ($1::vector - $2::vector)::real[]::text AS sub,
                ($1::vector * $2::vector)::real[]::text AS mul`,
        [literal(a), literal(b)],
      )
      // Printed as shortest float4 text: read back through fround to compare bit-exact values.
      const parse = (s: string) => s.slice(1, -1).split(',').map(Number).map(Math.fround)
      expect(parse(r.add)).toEqual(a.map((x, i) => Math.fround(x + b[i])))
      expect(parse(r.sub)).toEqual(a.map((x, i) => Math.fround(x - b[i])))
      expect(parse(r.mul)).toEqual(a.map((x, i) => Math.fround(x * b[i])))
    }
  })

  test('overflow and underflow are errors, not infinities or silent zeros', async () => {
    const cases: [string, string][] = [
      ["'[3e38]'::vector + '[3e38]'::vector", 'value out of range: overflow'],
      ["'[-3e38]'::vector - '[3e38]'::vector", 'value out of range: overflow'],
      ["'[1,3e38]'::vector * '[1,10]'::vector", 'value out of range: overflow'],
      ["'[1e-30]'::vector * '[1e-30]'::vector", 'value out of range: underflow'],
    ]
    for (const [expr, message] of cases) {
      await expectSqlError(t.query(`SELECT ${expr}`), { message, code: SQLSTATE.numericValueOutOfRange })
    }
    // A zero factor is not an underflow.
    const [r] = await t.query("SELECT ('[0,2]'::vector * '[1e-30,3]'::vector)::text AS v")
    expect(r.v).toBe('[0,6]')
  })

  test('+, - and * reject vectors of different dimensions', async () => {
    for (const op of ['+', '-', '*']) {
      await expectSqlError(t.query(`SELECT '[1,2]'::vector ${op} '[1,2,3]'::vector`), {
        message: 'different vector dimensions 2 and 3', code: SQLSTATE.dataException,
      })
    }
  })

  test('|| concatenates up to 16000 dimensions', async () => {
    const [r] = await t.query<{ v: string; d: number }>(`
      SELECT ('[1,2]'::vector || '[3]'::vector)::text AS v,
             vector_dims(array_fill(1, ARRAY[8000])::vector || array_fill(2, ARRAY[8000])::vector) AS d`)
    expect(r).toEqual({ v: '[1,2,3]', d: 16000 })
    await expectSqlError(t.query('SELECT array_fill(1, ARRAY[8000])::vector || array_fill(1, ARRAY[8001])::vector'), {
      message: 'vector cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded,
    })
  })

  test('NULL operands give NULL', async () => {
    const [r] = await t.query(`
      SELECT NULL::vector + '[1]'::vector AS a, '[1]'::vector - NULL::vector AS b,
             NULL::vector * NULL::vector AS c, '[1]'::vector || NULL::vector AS d`)
    expect(r).toEqual({ a: null, b: null, c: null, d: null })
  })
})
