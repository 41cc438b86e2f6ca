// vector behaviour the other vector cases leave out: avg/sum as parallel partial aggregates
// (their combine functions), the aggregate state functions called directly, out-of-line
// storage of large values, and NULL handling of the remaining functions and casts.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

describeTargets('vector aggregates in parallel, storage and NULLs', (t) => {
  test('avg and sum run as parallel partial aggregates combined by vector_combine / vector_add', async () => {
    await t.exec(`
      CREATE TABLE vec_parallel WITH (parallel_workers = 2) AS
        SELECT ARRAY[i % 10, -(i % 4), 0.5]::vector AS v FROM generate_series(1, 20000) i;
      ANALYZE vec_parallel;
      SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
      SET max_parallel_workers_per_gather = 2`)
    const plan = await t.query<{ 'QUERY PLAN': string }>('EXPLAIN (COSTS OFF) SELECT avg(v), sum(v) FROM vec_parallel')
    const text = plan.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).toContain('Partial Aggregate')
    expect(text).toContain('Finalize Aggregate')
    const [r] = await t.query('SELECT avg(v)::text AS a, sum(v)::text AS s FROM vec_parallel')
    // Integer and half-integer partial sums below 2^24 are exact in float4, in any order.
    expect(r).toEqual({ a: '[4.5,-1.5,0.5]', s: '[90000,-30000,10000]' })
    await t.exec('RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather')
  })

  test('the state functions, called directly', async () => {
    const [r] = await t.query(`
      SELECT vector_accum('{0}', '[1,2]')::text AS first, vector_accum('{1,1,2}', '[3,4]')::text AS second,
             vector_combine('{1,1,2}', '{2,3,4}')::text AS combined, vector_combine('{2,3,4}', '{0}')::text AS with_empty,
             vector_avg('{2,3,5}')::text AS avg, vector_avg('{0}') IS NULL AS empty_avg`)
    expect(r).toEqual({ first: '{1,1,2}', second: '{2,4,6}', combined: '{3,4,6}', with_empty: '{2,3,4}', avg: '[1.5,2.5]', empty_avg: true })
    await expectSqlError(t.query("SELECT vector_accum('{1,2}', '[1,2]')"), { message: 'expected 1 dimensions, not 2', code: SQLSTATE.dataException })
    await expectSqlError(t.query("SELECT vector_combine('{1,2}', '{1,2,3}')"), { message: 'expected 1 dimensions, not 2', code: SQLSTATE.dataException })
    await expectSqlError(t.query("SELECT vector_avg('{}')"), { message: 'vector_avg: expected state array', code: 'XX000' })
    await expectSqlError(t.query("SELECT vector_accum('{{1}}', '[1]')"), { message: 'vector_accum: expected state array', code: 'XX000' })
  })

  test('the operator classes\' support functions give their documented values', async () => {
    const [r] = await t.query(`
      SELECT vector_l2_squared_distance('[1,2]', '[4,6]') AS l2sq, vector_negative_inner_product('[1,2]', '[3,4]') AS nip,
             vector_spherical_distance('[1,0]', '[0,1]') AS orth, vector_spherical_distance('[1,0]', '[-1,0]') AS opposite,
             vector_spherical_distance('[1,0]', '[2,0]') AS clamped`)
    expect(r).toEqual({ l2sq: 25, nip: -11, orth: 0.5, opposite: 1, clamped: 0 })
    await expectSqlError(t.query("SELECT vector_spherical_distance('[1]', '[1,2]')"), {
      message: 'different vector dimensions 1 and 2', code: SQLSTATE.dataException,
    })
  })

  test('large vectors are stored out of line, uncompressed, and read back intact', async () => {
    await t.exec('CREATE TABLE vec_store (v vector)')
    const v = randomVector(rng(0x5707e), 4000, 10)
    await t.query('INSERT INTO vec_store VALUES ($1)', [literal(v)])
    const [r] = await t.query<{ storage: string; size: number; compression: string | null; same: boolean }>(`
      SELECT (SELECT typstorage FROM pg_type WHERE typname = 'vector') AS storage,
             pg_column_size(v) AS size, pg_column_compression(v) AS compression, v = $1::vector AS same FROM vec_store`,
    [literal(v)])
    expect(r).toEqual({ storage: 'e', size: 16004, compression: null, same: true })
  })

  test('NULL arguments of the remaining functions and casts give NULL', async () => {
    const exprs = [
      'l2_normalize(NULL::vector)', 'binary_quantize(NULL::vector)', 'subvector(NULL::vector, 1, 1)', "subvector('[1]'::vector, 1, NULL)",
      'vector_cmp(NULL, $1)', 'NULL::vector < $1', '$1 = NULL::vector', 'vector_l2_squared_distance(NULL, $1)',
      'vector_negative_inner_product($1, NULL)', 'vector_spherical_distance(NULL, $1)', 'NULL::vector::real[]',
      'NULL::integer[]::vector', 'NULL::numeric[]::vector', "NULL::vector(3)",
    ]
    const sql = `SELECT ${exprs.map((e, i) => `${e.replaceAll('$1', "'[1,2]'::vector")} AS c${i}`).join(', ')}`
    const [row] = await t.query(sql)
    expect(Object.values(row)).toEqual(exprs.map(() => null))
  })
})
