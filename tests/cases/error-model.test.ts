// ruvector's error model: a Rust panic inside an extension function and a PostgreSQL ERROR raised
// through a guarded FFI call both reach the client as ordinary SQL errors, and the instance keeps
// working, over and over. The two functions are test-only C symbols in the ruvector library with
// no SQL declaration, so the case declares them itself. pgvector has no such symbols.
import { expect, onTestFinished, test } from 'vitest'
import { config } from '../harness/config'
import { expectSqlError } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROUNDS = 100

// Messages with format directives, quotes and non-ASCII text must come back verbatim.
const MESSAGE_SHAPES = [
  (i: number) => `round ${i}`,
  (i: number) => `100% of %s and %d in round ${i} %%`,
  (i: number) => `it's "quoted" \\ round ${i}`,
  (i: number) => `ünïcödé ✓ 向量 round ${i}`,
]

async function expectAnswering(t: Target, i: number) {
  const [r] = await t.query<{ p: number; e: number; d: number }>(
    "SELECT ruvector_test_panic('ok') AS p, ruvector_test_pg_error('ok') AS e, $1::vector <-> '[0,0]'::vector AS d",
    [`[${i},0]`],
  )
  expect(r).toEqual({ p: 42, e: 42, d: i })
}

describeTargets('error model: Rust panics and guarded PostgreSQL ERRORs', (t) => {
  test('declare the test-only functions', async () => {
    await t.exec(`
      CREATE FUNCTION ruvector_test_panic(text) RETURNS int
        AS '$libdir/ruvector', 'ruvector_test_panic_wrapper' LANGUAGE c STRICT;
      CREATE FUNCTION ruvector_test_pg_error(text) RETURNS int
        AS '$libdir/ruvector', 'ruvector_test_pg_error_wrapper' LANGUAGE c STRICT;`)
    await expectAnswering(t, 0)
  })

  test(`${ROUNDS} panics and ${ROUNDS} PostgreSQL ERRORs on one instance come back as clean SQL errors`, async () => {
    for (let i = 1; i <= ROUNDS; i++) {
      const message = MESSAGE_SHAPES[i % MESSAGE_SHAPES.length](i)
      await expectSqlError(t.query('SELECT ruvector_test_panic($1)', [`panic ${message}`]), { message: `panic ${message}` })
      await expectSqlError(t.query('SELECT ruvector_test_pg_error($1)', [`pg ${message}`]), { message: `pg ${message}` })
      await expectAnswering(t, i)
    }
  })

  test('a panic inside a transaction aborts only that transaction', async () => {
    // A failed assertion mid-transaction must not leave later cases in an aborted transaction.
    onTestFinished(() => t.exec('ROLLBACK').catch(() => undefined))
    await t.exec('CREATE TABLE error_model_tx (v vector(2))')
    await t.exec('BEGIN')
    await t.query("INSERT INTO error_model_tx VALUES ('[1,2]')")
    await expectSqlError(t.query("SELECT ruvector_test_panic('in a transaction')"), { message: 'in a transaction' })
    await t.exec('ROLLBACK')
    expect(await t.query('SELECT count(*)::int AS n FROM error_model_tx')).toEqual([{ n: 0 }])
    await t.exec('BEGIN')
    await t.exec('SAVEPOINT s')
    await expectSqlError(t.query("SELECT ruvector_test_pg_error('in a savepoint')"), { message: 'in a savepoint' })
    await t.exec('ROLLBACK TO SAVEPOINT s')
    await t.query("INSERT INTO error_model_tx VALUES ('[3,4]')")
    await t.exec('COMMIT')
    expect(await t.query('SELECT v::text AS v FROM error_model_tx')).toEqual([{ v: '[3,4]' }])
    await expectAnswering(t, 5)
  })

  test('STRICT: NULL input returns NULL without calling into the library', async () => {
    const [r] = await t.query('SELECT ruvector_test_panic(NULL) AS p, ruvector_test_pg_error(NULL) AS e')
    expect(r).toEqual({ p: null, e: null })
  })
}, config.extension === 'ruvector' ? {} : { skip: `only ruvector has the ruvector_test_* symbols; extension is ${config.extension}` })
