// An ERROR must leave the session (for PGlite: the whole in-process instance) able to answer
// the next query correctly: no stale state, no poisoned memory context, no wedged protocol.
import { expect, onTestFinished, test } from 'vitest'
import { vectorBytes } from '../harness/bytes'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const FAILING: [string, string][] = [
  ["SELECT '[1,2'::vector", 'invalid input syntax for type vector: "[1,2"'],
  ["SELECT '[NaN]'::vector", 'NaN not allowed in vector'],
  ["SELECT '[1e39]'::vector", '"1e39" is out of range for type vector'],
  ["SELECT '[1,2]'::vector <-> '[1,2,3]'::vector", 'different vector dimensions 2 and 3'],
  ["SELECT '[1,2]'::vector(3)", 'expected 3 dimensions, not 2'],
  ["SELECT ARRAY[1,NULL]::real[]::vector", 'array must not contain nulls'],
  ["SELECT '[1]'::vector(16001)", 'dimensions for type vector cannot exceed 16000'],
]

async function expectHealthy(t: Target, i: number) {
  const a = `[${i},${i + 1},${i + 2}]`
  const [r] = await t.query<{ d: number; v: string }>(
    "SELECT $1::vector <-> '[0,0,0]'::vector AS d, ($1::vector + '[1,1,1]'::vector)::text AS v", [a],
  )
  expect(r.d).toBeCloseTo(Math.hypot(i, i + 1, i + 2), 4)
  expect(r.v).toBe(`[${i + 1},${i + 2},${i + 3}]`)
}

describeTargets('recovery after an ERROR', (t) => {
  test('the next query after each kind of error is answered correctly', async () => {
    for (const [i, [sql, message]] of FAILING.entries()) {
      await expectSqlError(t.query(sql), { message })
      await expectHealthy(t, i)
    }
  })

  test('errors and good queries alternate 200 times on one session', async () => {
    for (let i = 0; i < 200; i++) {
      const [sql, message] = FAILING[i % FAILING.length]
      await expectSqlError(t.query(sql), { message })
      await expectHealthy(t, i)
    }
  })

  test('an error in a transaction aborts it, and ROLLBACK restores a working session', async () => {
    // A failed assertion mid-transaction must not leave later cases in an aborted transaction.
    onTestFinished(() => t.exec('ROLLBACK').catch(() => undefined))
    await t.exec('CREATE TABLE recovery_tx (v vector(2))')
    await t.exec('BEGIN')
    await t.query("INSERT INTO recovery_tx VALUES ('[1,2]')")
    await expectSqlError(t.query("INSERT INTO recovery_tx VALUES ('[1,2,3]')"), {
      message: 'expected 2 dimensions, not 3', code: SQLSTATE.dataException,
    })
    await expectSqlError(t.query('SELECT 1'), {
      message: 'current transaction is aborted, commands ignored until end of transaction block', code: '25P02',
    })
    await t.exec('ROLLBACK')
    expect(await t.query('SELECT count(*)::int AS n FROM recovery_tx')).toEqual([{ n: 0 }])
    await expectHealthy(t, 7)
  })

  test('a savepoint confines the error and the transaction commits', async () => {
    // A failed assertion mid-transaction must not leave later cases in an aborted transaction.
    onTestFinished(() => t.exec('ROLLBACK').catch(() => undefined))
    await t.exec('CREATE TABLE recovery_sp (v vector(2))')
    await t.exec('BEGIN')
    await t.query("INSERT INTO recovery_sp VALUES ('[1,2]')")
    await t.exec('SAVEPOINT before_bad')
    await expectSqlError(t.query("INSERT INTO recovery_sp VALUES ('[NaN,1]')"), { message: 'NaN not allowed in vector' })
    await t.exec('ROLLBACK TO SAVEPOINT before_bad')
    await t.query("INSERT INTO recovery_sp VALUES ('[3,4]')")
    await t.exec('COMMIT')
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM recovery_sp ORDER BY v')
    expect(rows).toEqual([{ v: '[1,2]' }, { v: '[3,4]' }])
  })

  test('an error raised while receiving binary input leaves the session usable', async () => {
    await expectSqlError(t.queryBinary('SELECT $1::vector', [vectorBytes([1], { unused: 1 })]), {
      message: 'expected unused to be 0, not 1',
    })
    const [[v]] = await t.queryBinary('SELECT $1::vector <#> $1::vector', [vectorBytes([3, 4])])
    expect(new DataView(v!.buffer).getFloat64(0)).toBe(-25)
    await expectHealthy(t, 3)
  })
})
