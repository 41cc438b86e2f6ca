// The 16000 limits where a value is built from something that is not a vector literal: the
// aggregate combine function fed states over 16000 dimensions (pgvector's CheckDim in
// vector_combine, shared by halfvec_combine, so the message names vector for both), and casts to
// sparsevec with more than 16000 non-zero elements (CheckNnz, before the NaN/Inf check).
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

/** An avg state `{count, sum_1, …, sum_dims}` of `dims` sums, as SQL. */
const state = (dims: number) => `array_fill(1::float8, ARRAY[${dims + 1}])`
const tooManyDims = { message: 'vector cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded }
const tooManyNnz = { message: 'sparsevec cannot have more than 16000 non-zero elements', code: SQLSTATE.programLimitExceeded }

describeTargets('size limits of values built by aggregates and casts', (t) => {
  test('vector_combine and halfvec_combine reject a state of more than 16000 dimensions', async () => {
    for (const fn of ['vector_combine', 'halfvec_combine']) {
      await expectSqlError(t.query(`SELECT ${fn}(${state(16001)}, ${state(16001)})`), tooManyDims)
      await expectSqlError(t.query(`SELECT ${fn}('{0}', ${state(16001)})`), tooManyDims)
      await expectSqlError(t.query(`SELECT ${fn}(${state(16001)}, '{0}')`), tooManyDims)
      // The first state's size is checked before the two are compared.
      await expectSqlError(t.query(`SELECT ${fn}(${state(16001)}, '{1,1,2}')`), tooManyDims)
      await expectSqlError(t.query(`SELECT ${fn}('{1,1,2}', ${state(16001)})`), {
        message: 'expected 2 dimensions, not 16001', code: SQLSTATE.dataException,
      })
      const [r] = await t.query(`SELECT array_length(${fn}(${state(16000)}, ${state(16000)}), 1) AS n`)
      expect(r).toEqual({ n: 16001 })
    }
  })

  test('combine branches on the states\' dimensions, not on their counts', async () => {
    const [r] = await t.query(`
      SELECT vector_combine('{0}', '{0}')::text AS empty, vector_combine('{3}', '{2}')::text AS counts_only,
             vector_combine('{3}', '{1,1,2}')::text AS left_no_sums, vector_combine('{1,1,2}', '{3}')::text AS right_no_sums`)
    expect(r).toEqual({ empty: '{0}', counts_only: '{5}', left_no_sums: '{4,1,2}', right_no_sums: '{4,1,2}' })
  })

  test('avg\'s final functions keep their own type\'s limit', async () => {
    await expectSqlError(t.query(`SELECT vector_avg(${state(16001)})`), tooManyDims)
    await expectSqlError(t.query(`SELECT halfvec_avg(${state(16001)})`), {
      message: 'halfvec cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded,
    })
  })

  test('arrays of more than 16000 non-zero elements do not cast to sparsevec', async () => {
    for (const type of ['integer', 'real', 'double precision', 'numeric']) {
      await expectSqlError(t.query(`SELECT array_fill(1::${type}, ARRAY[16001])::sparsevec`), tooManyNnz)
      const [r] = await t.query(`
        SELECT l2_norm(array_fill(1::${type}, ARRAY[16000])::sparsevec) AS full,
               l2_norm((array_fill(1::${type}, ARRAY[16000]) || array_fill(0::${type}, ARRAY[4000]))::sparsevec) AS padded`)
      expect(r).toEqual({ full: Math.sqrt(16000), padded: Math.sqrt(16000) })
    }
    // The count is checked before the elements: NaN counts as non-zero.
    await expectSqlError(t.query(`SELECT array_fill('NaN'::real, ARRAY[16001])::sparsevec`), tooManyNnz)
    await expectSqlError(t.query(`SELECT array_fill('NaN'::real, ARRAY[16000])::sparsevec`), {
      message: 'NaN not allowed in sparsevec', code: SQLSTATE.dataException,
    })
  })

  test('vector and halfvec of 16000 non-zero elements cast to sparsevec', async () => {
    for (const type of ['vector', 'halfvec']) {
      const [r] = await t.query(`SELECT l2_norm(array_fill(1::real, ARRAY[16000])::${type}::sparsevec) AS n`)
      expect(r).toEqual({ n: Math.sqrt(16000) })
    }
  })
})
