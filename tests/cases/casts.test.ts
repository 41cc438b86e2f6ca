// Casts between vector and arrays: real[], double precision[], integer[], numeric[] → vector,
// vector → real[], with pgvector's errors for NULLs, shape, dimensions and non-finite values.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

const ARRAY_TYPES = ['real[]', 'double precision[]', 'integer[]', 'numeric[]'] as const
const FLOAT_TYPES = ['real[]', 'double precision[]', 'numeric[]'] as const

describeTargets('vector casts', (t) => {
  const one = async <T>(sql: string, params?: unknown[]) => (await t.query(sql, params))[0] as T

  test('arrays of every supported element type cast to vector', async () => {
    for (const type of ARRAY_TYPES) {
      const r = await one<{ v: string }>(`SELECT ('{1,-2,3}'::${type})::vector::text AS v`)
      expect(r.v, type).toBe('[1,-2,3]')
    }
    const r = await one<{ f4: string; f8: string; num: string }>(`
      SELECT ARRAY[1.5, 0.1]::real[]::vector::text AS f4,
             ARRAY[1.5, 0.1]::double precision[]::vector::text AS f8,
             ARRAY[1.5, 0.1]::numeric[]::vector::text AS num`)
    expect(r).toEqual({ f4: '[1.5,0.1]', f8: '[1.5,0.1]', num: '[1.5,0.1]' })
  })

  test('element values are rounded to float4', async () => {
    const r = await one<{ i: string; d: string; tiny: string; n: string }>(`
      SELECT ARRAY[16777217]::integer[]::vector::text AS i,
             ARRAY[1.23456789012]::double precision[]::vector::text AS d,
             ARRAY[1e-50]::double precision[]::vector::text AS tiny,
             ARRAY[3.14159265358979]::numeric[]::vector::text AS n`)
    expect(r).toEqual({ i: '[1.6777216e+07]', d: '[1.2345679]', tiny: '[0]', n: '[3.1415927]' })
  })

  test('casts to vector(n) check the dimension count', async () => {
    for (const type of ARRAY_TYPES) {
      const ok = await one<{ v: string }>(`SELECT ('{1,2}'::${type})::vector(2)::text AS v`)
      expect(ok.v).toBe('[1,2]')
      await expectSqlError(t.query(`SELECT ('{1,2}'::${type})::vector(3)`), {
        message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
      })
    }
  })

  test('vector casts to real[]', async () => {
    const r = await one<{ a: number[]; b: number[]; len: number }>(
      "SELECT '[1,-2.5,3]'::vector::real[] AS a, '[0.5]'::vector::real[] AS b, array_length('[1,2,3,4]'::vector::real[], 1) AS len",
    )
    expect(r).toEqual({ a: [1, -2.5, 3], b: [0.5], len: 4 })
    const s = await one<{ a: string; back: string }>(
      "SELECT '[1e-07,-0,3.4028235e+38]'::vector::real[]::text AS a, '[0.1,0.2]'::vector::real[]::vector::text AS back",
    )
    expect(s).toEqual({ a: '{1e-07,-0,3.4028235e+38}', back: '[0.1,0.2]' })
  })

  test('arrays with a NULL element are rejected', async () => {
    for (const type of ARRAY_TYPES) {
      await expectSqlError(t.query(`SELECT ('{1,NULL,3}'::${type})::vector`), {
        message: 'array must not contain nulls', code: SQLSTATE.nullValueNotAllowed, detail: null,
      })
    }
  })

  test('multi-dimensional and empty arrays are rejected', async () => {
    for (const type of ARRAY_TYPES) {
      await expectSqlError(t.query(`SELECT ('{{1,2},{3,4}}'::${type})::vector`), {
        message: 'array must be 1-D', code: SQLSTATE.dataException,
      })
      await expectSqlError(t.query(`SELECT ('{}'::${type})::vector`), {
        message: 'vector must have at least 1 dimension', code: SQLSTATE.dataException,
      })
    }
    await expectSqlError(t.query('SELECT array_fill(1, ARRAY[16001])::vector'), {
      message: 'vector cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded,
    })
    const r = await one<{ d: number }>('SELECT vector_dims(array_fill(1, ARRAY[16000])::vector) AS d')
    expect(r.d).toBe(16000)
  })

  test('NaN and infinite elements are rejected', async () => {
    for (const type of FLOAT_TYPES) {
      await expectSqlError(t.query(`SELECT ('{1,NaN}'::${type})::vector`), {
        message: 'NaN not allowed in vector', code: SQLSTATE.dataException,
      })
      await expectSqlError(t.query(`SELECT ('{Infinity}'::${type})::vector`), {
        message: 'infinite value not allowed in vector', code: SQLSTATE.dataException,
      })
      await expectSqlError(t.query(`SELECT ('{1,-Infinity}'::${type})::vector`), {
        message: 'infinite value not allowed in vector', code: SQLSTATE.dataException,
      })
    }
    // A finite double too large for float4 becomes infinite on the way in.
    await expectSqlError(t.query('SELECT ARRAY[1e39]::double precision[]::vector'), {
      message: 'infinite value not allowed in vector', code: SQLSTATE.dataException,
    })
    // numeric goes through PostgreSQL's own numeric → real conversion, which raises first.
    await expectSqlError(t.query('SELECT ARRAY[1e39]::numeric[]::vector'), {
      message: '"1000000000000000000000000000000000000000" is out of range for type real',
      code: SQLSTATE.numericValueOutOfRange,
    })
  })

  test('there is no cast from other array types', async () => {
    for (const type of ['smallint[]', 'bigint[]', 'text[]']) {
      await expectSqlError(t.query(`SELECT ('{1,2}'::${type})::vector`), {
        message: `cannot cast type ${type.replace('[]', '')}[] to vector`, code: '42846',
      })
    }
    await expectSqlError(t.query("SELECT '[1,2]'::vector::double precision[]"), {
      message: 'cannot cast type vector to double precision[]', code: '42846',
    })
  })
})
