// Dimension limits: the vector(n) type modifier and the 16000-dimension ceiling.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

const ones = (n: number) => `[${Array(n).fill('1').join(',')}]`

describeTargets('vector typmod and dimension limits', (t) => {
  test('a vector(3) column takes 3 dimensions and rejects 2 and 4', async () => {
    await t.exec('CREATE TABLE typmod3 (v vector(3))')
    const [col] = await t.query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'typmod3'::regclass AND attname = 'v'",
    )
    expect(col.type).toBe('vector(3)')
    await t.query('INSERT INTO typmod3 VALUES ($1)', ['[1,2,3]'])
    await expectSqlError(t.query('INSERT INTO typmod3 VALUES ($1)', ['[1,2]']), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException, detail: null,
    })
    await expectSqlError(t.query("INSERT INTO typmod3 VALUES ('[1,2,3,4]')"), {
      message: 'expected 3 dimensions, not 4', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("UPDATE typmod3 SET v = '[1]'"), {
      message: 'expected 3 dimensions, not 1', code: SQLSTATE.dataException,
    })
    // Arrays and untyped vectors are checked on the way into the column too.
    await expectSqlError(t.query('INSERT INTO typmod3 VALUES (ARRAY[1,2]::real[])'), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("INSERT INTO typmod3 VALUES ('[1,2]'::vector)"), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
    })
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM typmod3')
    expect(rows).toEqual([{ v: '[1,2,3]' }])
  })

  test('casts to vector(n) check the dimension count', async () => {
    const [r] = await t.query<{ v: string }>("SELECT '[1,2]'::vector(2)::text AS v")
    expect(r.v).toBe('[1,2]')
    await expectSqlError(t.query("SELECT '[1,2]'::vector(3)"), {
      message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT '[1,2,3]'::vector::vector(2)"), {
      message: 'expected 2 dimensions, not 3', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query("SELECT '[1,2]'::vector(2)::vector(1)"), {
      message: 'expected 1 dimensions, not 2', code: SQLSTATE.dataException,
    })
  })

  test('invalid type modifiers are rejected', async () => {
    const bad: [string, string][] = [
      ['vector(0)', 'dimensions for type vector must be at least 1'],
      ['vector(-1)', 'dimensions for type vector must be at least 1'],
      ['vector(16001)', 'dimensions for type vector cannot exceed 16000'],
      ['vector(3,4)', 'invalid type modifier'],
    ]
    for (const [type, message] of bad) {
      await expectSqlError(t.exec(`CREATE TABLE bad_typmod (v ${type})`), { message, code: SQLSTATE.invalidParameterValue })
      await expectSqlError(t.query(`SELECT '[1]'::${type}`), { message, code: SQLSTATE.invalidParameterValue })
    }
    await t.exec('CREATE TABLE max_typmod (v vector(16000))')
    await t.query('INSERT INTO max_typmod VALUES ($1)', [ones(16000)])
    const [r] = await t.query<{ d: number }>('SELECT vector_dims(v) AS d FROM max_typmod')
    expect(r.d).toBe(16000)
  })

  test('literals up to 16000 dimensions are accepted; 16001 are not', async () => {
    const [r] = await t.query<{ d: number; n: number }>(
      'SELECT vector_dims($1::vector) AS d, vector_norm($1::vector) AS n', [ones(16000)],
    )
    expect(r).toEqual({ d: 16000, n: Math.sqrt(16000) })
    await expectSqlError(t.query('SELECT $1::vector', [ones(16001)]), {
      message: 'vector cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded, detail: null,
    })
    await expectSqlError(t.query('SELECT $1::vector', [ones(20000)]), {
      message: 'vector cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded,
    })
  })
})
