// hnsw index options (WITH (m, ef_construction)) and the hnsw.* settings: defaults, the accepted
// ranges, and pgvector's exact error for every value outside them. A rejected CREATE INDEX must
// leave no index behind. The index-independent errors (no default operator class, multicolumn,
// unique, INCLUDE) come from PostgreSQL itself given how pgvector declares the access method, so
// they pin the access method's flags and the absence of default operator classes.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { indexNames } from '../harness/hnsw'
import { describeTargets } from '../harness/targets'

const FEATURE_NOT_SUPPORTED = '0A000'
const INVALID_NAME = '42602'
const DATATYPE_MISMATCH = '42804'
const UNDEFINED_OBJECT = '42704'

describeTargets('hnsw index options and settings', (t) => {
  test('settings have pgvector defaults', async () => {
    const [r] = await t.query<Record<string, string>>(
      `SELECT current_setting('hnsw.ef_search') AS ef_search, current_setting('hnsw.iterative_scan') AS iterative_scan,
              current_setting('hnsw.max_scan_tuples') AS max_scan_tuples,
              current_setting('hnsw.scan_mem_multiplier') AS scan_mem_multiplier`)
    expect(r).toEqual({ ef_search: '40', iterative_scan: 'off', max_scan_tuples: '20000', scan_mem_multiplier: '1' })
    for (const [name, value] of Object.entries(r)) {
      expect(await t.query(`SHOW hnsw.${name}`)).toEqual([{ [`hnsw.${name}`]: value }])
    }
  })

  test('pg_settings describes them as pgvector does', async () => {
    const rows = await t.query(
      `SELECT name, setting, vartype, context, min_val, max_val, enumvals, boot_val, short_desc, extra_desc
         FROM pg_settings WHERE name LIKE 'hnsw.%' ORDER BY name`)
    expect(rows).toEqual([
      {
        name: 'hnsw.ef_search', setting: '40', vartype: 'integer', context: 'user', min_val: '1', max_val: '1000',
        enumvals: null, boot_val: '40', short_desc: 'Sets the size of the dynamic candidate list for search',
        extra_desc: 'Valid range is 1..1000.',
      },
      {
        name: 'hnsw.iterative_scan', setting: 'off', vartype: 'enum', context: 'user', min_val: null, max_val: null,
        enumvals: ['off', 'relaxed_order', 'strict_order'], boot_val: 'off', short_desc: 'Sets the mode for iterative scans',
        extra_desc: null,
      },
      {
        name: 'hnsw.max_scan_tuples', setting: '20000', vartype: 'integer', context: 'user', min_val: '1',
        max_val: '2147483647', enumvals: null, boot_val: '20000',
        short_desc: 'Sets the max number of tuples to visit for iterative scans', extra_desc: null,
      },
      {
        name: 'hnsw.scan_mem_multiplier', setting: '1', vartype: 'real', context: 'user', min_val: '1', max_val: '1000',
        enumvals: null, boot_val: '1', short_desc: 'Sets the multiple of work_mem to use for iterative scans',
        extra_desc: null,
      },
    ])
  })

  test('values outside the ranges are rejected with pgvector\'s errors', async () => {
    const range = (value: string, name: string, bounds: string) => ({
      message: `${value} is outside the valid range for parameter "hnsw.${name}" (${bounds})`,
      code: SQLSTATE.invalidParameterValue,
    })
    await expectSqlError(t.exec('SET hnsw.ef_search = 0'), range('0', 'ef_search', '1 .. 1000'))
    await expectSqlError(t.exec('SET hnsw.ef_search = 1001'), range('1001', 'ef_search', '1 .. 1000'))
    await expectSqlError(t.exec('SET hnsw.max_scan_tuples = 0'), range('0', 'max_scan_tuples', '1 .. 2147483647'))
    await expectSqlError(t.exec('SET hnsw.scan_mem_multiplier = 0'), range('0', 'scan_mem_multiplier', '1 .. 1000'))
    await expectSqlError(t.exec('SET hnsw.scan_mem_multiplier = 1001'), range('1001', 'scan_mem_multiplier', '1 .. 1000'))
    await expectSqlError(t.exec("SET hnsw.ef_search = 'ten'"), {
      message: 'invalid value for parameter "hnsw.ef_search": "ten"', code: SQLSTATE.invalidParameterValue,
    })
    const e = await expectSqlError(t.exec('SET hnsw.iterative_scan = on'), {
      message: 'invalid value for parameter "hnsw.iterative_scan": "on"', code: SQLSTATE.invalidParameterValue,
    })
    expect(e.hint).toBe('Available values: off, relaxed_order, strict_order.')
    // pgvector reserves the prefix, so a typo is an error rather than a silent placeholder.
    await expectSqlError(t.exec('SET hnsw.ef_serach = 100'), {
      message: 'invalid configuration parameter name "hnsw.ef_serach"', code: INVALID_NAME,
      detail: '"hnsw" is a reserved prefix.',
    })
    // Nothing was changed by the failed SETs.
    expect(await t.query('SHOW hnsw.ef_search')).toEqual([{ 'hnsw.ef_search': '40' }])
    expect(await t.query('SHOW hnsw.iterative_scan')).toEqual([{ 'hnsw.iterative_scan': 'off' }])
  })

  test('values at the ends of the ranges are accepted', async () => {
    for (const [name, values] of Object.entries({
      ef_search: ['1', '1000'], max_scan_tuples: ['1', '2147483647'], scan_mem_multiplier: ['1', '1000', '2.5'],
      iterative_scan: ['relaxed_order', 'strict_order', 'off'],
    })) {
      for (const value of values) {
        await t.exec(`SET hnsw.${name} = ${value}`)
        expect(await t.query(`SHOW hnsw.${name}`)).toEqual([{ [`hnsw.${name}`]: value }])
      }
      await t.exec(`RESET hnsw.${name}`)
    }
  })

  test('m and ef_construction out of range are rejected and leave no index behind', async () => {
    await t.exec("CREATE TABLE opt (id int, val vector(3)); INSERT INTO opt VALUES (1, '[1,2,3]'), (2, '[0,0,1]')")
    const bounds = (value: number, option: string, lo: number, hi: number) => ({
      message: `value ${value} out of bounds for option "${option}"`,
      code: SQLSTATE.invalidParameterValue,
      detail: `Valid values are between "${lo}" and "${hi}".`,
    })
    const cases: [string, Parameters<typeof expectSqlError>[1]][] = [
      ['m = 1', bounds(1, 'm', 2, 100)],
      ['m = 101', bounds(101, 'm', 2, 100)],
      ['ef_construction = 3', bounds(3, 'ef_construction', 4, 1000)],
      ['ef_construction = 1001', bounds(1001, 'ef_construction', 4, 1000)],
      ['m = 16, ef_construction = 31', { message: 'ef_construction must be greater than or equal to 2 * m', code: SQLSTATE.invalidParameterValue }],
      ['m = 100, ef_construction = 199', { message: 'ef_construction must be greater than or equal to 2 * m', code: SQLSTATE.invalidParameterValue }],
      // The default ef_construction (64) is checked against m too.
      ['m = 33', { message: 'ef_construction must be greater than or equal to 2 * m', code: SQLSTATE.invalidParameterValue }],
      ["m = 'sixteen'", { message: 'invalid value for integer option "m": sixteen', code: SQLSTATE.invalidParameterValue }],
      ['lists = 100', { message: 'unrecognized parameter "lists"', code: SQLSTATE.invalidParameterValue }],
    ]
    for (const [options, expected] of cases) {
      await expectSqlError(t.exec(`CREATE INDEX opt_bad ON opt USING hnsw (val vector_l2_ops) WITH (${options})`), expected)
      expect(await indexNames(t, 'opt'), options).toEqual([])
    }
    expect(await t.query("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'opt_bad'")).toEqual([{ n: 0 }])
  })

  test('m and ef_construction at the ends of the ranges are accepted and recorded', async () => {
    await t.exec('CREATE INDEX opt_small ON opt USING hnsw (val vector_l2_ops) WITH (m = 2, ef_construction = 4)')
    await t.exec('CREATE INDEX opt_exact ON opt USING hnsw (val vector_l2_ops) WITH (m = 16, ef_construction = 32)')
    await t.exec('CREATE INDEX opt_large ON opt USING hnsw (val vector_l2_ops) WITH (m = 100, ef_construction = 1000)')
    await t.exec('CREATE INDEX opt_default ON opt USING hnsw (val vector_l2_ops)')
    const rows = await t.query(
      `SELECT c.relname, c.reloptions, am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
        WHERE c.relname LIKE 'opt\\_%' ORDER BY 1`)
    expect(rows).toEqual([
      { relname: 'opt_default', reloptions: null, amname: 'hnsw' },
      { relname: 'opt_exact', reloptions: ['m=16', 'ef_construction=32'], amname: 'hnsw' },
      { relname: 'opt_large', reloptions: ['m=100', 'ef_construction=1000'], amname: 'hnsw' },
      { relname: 'opt_small', reloptions: ['m=2', 'ef_construction=4'], amname: 'hnsw' },
    ])
    // PostgreSQL 18 quotes the option values in the definition, 15 does not.
    const [{ d }] = await t.query<{ d: string }>("SELECT pg_get_indexdef('opt_exact'::regclass) AS d")
    expect(d).toMatch(/^CREATE INDEX opt_exact ON public\.opt USING hnsw \(val vector_l2_ops\) WITH \(m='?16'?, ef_construction='?32'?\)$/)
    // ALTER INDEX validates the same bounds.
    await expectSqlError(t.exec('ALTER INDEX opt_exact SET (ef_construction = 3)'), {
      message: 'value 3 out of bounds for option "ef_construction"', code: SQLSTATE.invalidParameterValue,
      detail: 'Valid values are between "4" and "1000".',
    })
    await t.exec('DROP TABLE opt')
  })

  test('columns without dimensions and varbit cannot be indexed', async () => {
    await t.exec('CREATE TABLE nodim (v vector, h halfvec, s sparsevec, b varbit(3))')
    for (const [col, opclass] of [['v', 'vector_l2_ops'], ['h', 'halfvec_l2_ops'], ['s', 'sparsevec_l2_ops']]) {
      await expectSqlError(t.exec(`CREATE INDEX nodim_idx ON nodim USING hnsw (${col} ${opclass})`), {
        message: 'column does not have dimensions', code: SQLSTATE.invalidParameterValue,
      })
    }
    await expectSqlError(t.exec('CREATE INDEX nodim_idx ON nodim USING hnsw (b bit_hamming_ops)'), {
      message: 'type not supported for hnsw index', code: FEATURE_NOT_SUPPORTED,
    })
    expect(await indexNames(t, 'nodim')).toEqual([])
    // An expression that fixes the dimensions is fine.
    await t.exec('CREATE INDEX nodim_expr ON nodim USING hnsw ((b::bit(3)) bit_hamming_ops)')
    await t.exec('CREATE INDEX nodim_vexpr ON nodim USING hnsw ((v::vector(3)) vector_l2_ops)')
    expect(await indexNames(t, 'nodim')).toEqual(['nodim_expr', 'nodim_vexpr'])
    await t.exec('DROP TABLE nodim')
  })

  test('what the access method does not support is refused by PostgreSQL', async () => {
    await t.exec('CREATE TABLE am (id int, v vector(3), w vector(3), h halfvec(3))')
    for (const type of ['vector', 'halfvec']) {
      const e = await expectSqlError(t.exec(`CREATE INDEX am_idx ON am USING hnsw (${type === 'vector' ? 'v' : 'h'})`), {
        message: `data type ${type} has no default operator class for access method "hnsw"`, code: UNDEFINED_OBJECT,
      })
      expect(e.hint).toBe('You must specify an operator class for the index or define a default operator class for the data type.')
    }
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING hnsw (v vector_l2_ops, w vector_l2_ops)'), {
      message: 'access method "hnsw" does not support multicolumn indexes', code: FEATURE_NOT_SUPPORTED,
    })
    await expectSqlError(t.exec('CREATE UNIQUE INDEX am_idx ON am USING hnsw (v vector_l2_ops)'), {
      message: 'access method "hnsw" does not support unique indexes', code: FEATURE_NOT_SUPPORTED,
    })
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING hnsw (v vector_l2_ops) INCLUDE (id)'), {
      message: 'access method "hnsw" does not support included columns', code: FEATURE_NOT_SUPPORTED,
    })
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING hnsw (v halfvec_l2_ops)'), {
      message: 'operator class "halfvec_l2_ops" does not accept data type vector', code: DATATYPE_MISMATCH,
    })
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING hnsw (v vector_ops)'), {
      message: 'operator class "vector_ops" does not exist for access method "hnsw"', code: UNDEFINED_OBJECT,
    })
    expect(await indexNames(t, 'am')).toEqual([])
    await t.exec('DROP TABLE am')
  })

  test('sparsevec values with more than 1000 non-zero elements are refused at build and at insert', async () => {
    await t.exec('CREATE TABLE nnz (v sparsevec(1001))')
    await t.exec('INSERT INTO nnz VALUES (array_fill(1, ARRAY[1001])::vector::sparsevec)')
    const tooMany = {
      message: 'sparsevec cannot have more than 1000 non-zero elements for hnsw index', code: SQLSTATE.programLimitExceeded,
    }
    await expectSqlError(t.exec('CREATE INDEX nnz_idx ON nnz USING hnsw (v sparsevec_l2_ops)'), tooMany)
    expect(await indexNames(t, 'nnz')).toEqual([])
    await t.exec('TRUNCATE nnz')
    await t.exec('CREATE INDEX nnz_idx ON nnz USING hnsw (v sparsevec_l2_ops)')
    await expectSqlError(t.exec('INSERT INTO nnz VALUES (array_fill(1, ARRAY[1001])::vector::sparsevec)'), tooMany)
    // 1000 non-zeros are fine.
    await t.exec("INSERT INTO nnz VALUES ((array_fill(1, ARRAY[1000]) || ARRAY[0])::vector::sparsevec)")
    expect(await t.query('SELECT count(*)::int AS n FROM nnz')).toEqual([{ n: 1 }])
    await t.exec('DROP TABLE nnz')
  })
})
