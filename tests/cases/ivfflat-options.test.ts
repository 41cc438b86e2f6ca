// ivfflat index options (WITH (lists)) and the ivfflat.* settings: defaults, the accepted ranges,
// and pgvector's exact error for every value outside them; the build's own checks (dimensions,
// varbit, spherical operator classes on one dimension). A rejected CREATE INDEX must leave no
// index behind. The "ivfflat index created with little data" NOTICE is not asserted: the
// harness does not surface notices.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { indexNames } from '../harness/hnsw'
import { describeTargets } from '../harness/targets'

const FEATURE_NOT_SUPPORTED = '0A000'
const INVALID_NAME = '42602'
const UNDEFINED_OBJECT = '42704'

describeTargets('ivfflat index options and settings', (t) => {
  test('pg_settings describes them as pgvector does', async () => {
    const rows = await t.query(
      `SELECT name, setting, vartype, context, min_val, max_val, enumvals, boot_val, short_desc, extra_desc
         FROM pg_settings WHERE name LIKE 'ivfflat.%' ORDER BY name`)
    expect(rows).toEqual([
      {
        name: 'ivfflat.iterative_scan', setting: 'off', vartype: 'enum', context: 'user', min_val: null, max_val: null,
        enumvals: ['off', 'relaxed_order'], boot_val: 'off', short_desc: 'Sets the mode for iterative scans', extra_desc: null,
      },
      {
        name: 'ivfflat.max_probes', setting: '32768', vartype: 'integer', context: 'user', min_val: '1', max_val: '32768',
        enumvals: null, boot_val: '32768', short_desc: 'Sets the max number of probes for iterative scans', extra_desc: null,
      },
      {
        name: 'ivfflat.probes', setting: '1', vartype: 'integer', context: 'user', min_val: '1', max_val: '32768',
        enumvals: null, boot_val: '1', short_desc: 'Sets the number of probes', extra_desc: 'Valid range is 1..lists.',
      },
    ])
  })

  test('values outside the ranges are rejected with pgvector\'s errors', async () => {
    const range = (value: string, name: string) => ({
      message: `${value} is outside the valid range for parameter "ivfflat.${name}" (1 .. 32768)`,
      code: SQLSTATE.invalidParameterValue,
    })
    await expectSqlError(t.exec('SET ivfflat.probes = 0'), range('0', 'probes'))
    await expectSqlError(t.exec('SET ivfflat.probes = 32769'), range('32769', 'probes'))
    await expectSqlError(t.exec('SET ivfflat.max_probes = 0'), range('0', 'max_probes'))
    const e = await expectSqlError(t.exec('SET ivfflat.iterative_scan = strict_order'), {
      message: 'invalid value for parameter "ivfflat.iterative_scan": "strict_order"', code: SQLSTATE.invalidParameterValue,
    })
    expect(e.hint).toBe('Available values: off, relaxed_order.')
    await expectSqlError(t.exec('SET ivfflat.prbes = 10'), {
      message: 'invalid configuration parameter name "ivfflat.prbes"', code: INVALID_NAME,
      detail: '"ivfflat" is a reserved prefix.',
    })
    expect(await t.query('SHOW ivfflat.probes')).toEqual([{ 'ivfflat.probes': '1' }])
    for (const [name, value] of [['probes', '32768'], ['max_probes', '1'], ['iterative_scan', 'relaxed_order']]) {
      await t.exec(`SET ivfflat.${name} = ${value}`)
      expect(await t.query(`SHOW ivfflat.${name}`)).toEqual([{ [`ivfflat.${name}`]: value }])
      await t.exec(`RESET ivfflat.${name}`)
    }
  })

  test('lists out of range is rejected and leaves no index behind; the ends are accepted', async () => {
    await t.exec("CREATE TABLE opt (id int, val vector(3)); INSERT INTO opt VALUES (1, '[1,2,3]'), (2, '[0,0,1]')")
    const bounds = (value: number) => ({
      message: `value ${value} out of bounds for option "lists"`, code: SQLSTATE.invalidParameterValue,
      detail: 'Valid values are between "1" and "32768".',
    })
    const cases: [string, Parameters<typeof expectSqlError>[1]][] = [
      ['lists = 0', bounds(0)],
      ['lists = 32769', bounds(32769)],
      ["lists = 'many'", { message: 'invalid value for integer option "lists": many', code: SQLSTATE.invalidParameterValue }],
      ['m = 16', { message: 'unrecognized parameter "m"', code: SQLSTATE.invalidParameterValue }],
    ]
    for (const [options, expected] of cases) {
      await expectSqlError(t.exec(`CREATE INDEX opt_bad ON opt USING ivfflat (val vector_l2_ops) WITH (${options})`), expected)
      expect(await indexNames(t, 'opt'), options).toEqual([])
    }
    await t.exec('CREATE INDEX opt_one ON opt USING ivfflat (val vector_l2_ops) WITH (lists = 1)')
    await t.exec('CREATE INDEX opt_default ON opt USING ivfflat (val)')
    const rows = await t.query(
      `SELECT c.relname, c.reloptions, am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam
        WHERE c.relname LIKE 'opt\\_%' ORDER BY 1`)
    expect(rows).toEqual([
      { relname: 'opt_default', reloptions: null, amname: 'ivfflat' },
      { relname: 'opt_one', reloptions: ['lists=1'], amname: 'ivfflat' },
    ])
    await expectSqlError(t.exec('ALTER INDEX opt_one SET (lists = 0)'), bounds(0))
    await t.exec('DROP TABLE opt')
  })

  test('the build\'s checks, with pgvector\'s texts', async () => {
    await t.exec('CREATE TABLE nodim (v vector, h halfvec, b varbit(3), one vector(1), wide vector(2001), wideh halfvec(4001), bits bit(8))')
    for (const [col, opclass] of [['v', 'vector_l2_ops'], ['h', 'halfvec_l2_ops']]) {
      await expectSqlError(t.exec(`CREATE INDEX nodim_idx ON nodim USING ivfflat (${col} ${opclass})`), {
        message: 'column does not have dimensions', code: SQLSTATE.invalidParameterValue,
      })
    }
    await expectSqlError(t.exec('CREATE INDEX nodim_idx ON nodim USING ivfflat (b bit_hamming_ops)'), {
      message: 'type not supported for ivfflat index', code: FEATURE_NOT_SUPPORTED,
    })
    await expectSqlError(t.exec('CREATE INDEX nodim_idx ON nodim USING ivfflat (wide vector_l2_ops)'), {
      message: 'column cannot have more than 2000 dimensions for ivfflat index', code: SQLSTATE.programLimitExceeded,
    })
    await expectSqlError(t.exec('CREATE INDEX nodim_idx ON nodim USING ivfflat (wideh halfvec_l2_ops)'), {
      message: 'column cannot have more than 4000 dimensions for ivfflat index', code: SQLSTATE.programLimitExceeded,
    })
    for (const opclass of ['vector_ip_ops', 'vector_cosine_ops']) {
      await expectSqlError(t.exec(`CREATE INDEX nodim_idx ON nodim USING ivfflat (one ${opclass})`), {
        message: 'dimensions must be greater than one for this opclass', code: SQLSTATE.invalidParameterValue,
      })
    }
    expect(await indexNames(t, 'nodim')).toEqual([])
    await t.exec('CREATE INDEX nodim_one ON nodim USING ivfflat (one vector_l2_ops)')
    await t.exec('CREATE INDEX nodim_bits ON nodim USING ivfflat (bits bit_hamming_ops)')
    await t.exec('CREATE INDEX nodim_expr ON nodim USING ivfflat ((v::vector(3)) vector_l2_ops)')
    expect(await indexNames(t, 'nodim')).toEqual(['nodim_bits', 'nodim_expr', 'nodim_one'])
    await t.exec('DROP TABLE nodim')
  })

  test('halfvec up to 4,000 dimensions, as in pgvector: centroids larger than a page', async () => {
    await t.exec('CREATE TABLE wide (id int, h halfvec(4000))')
    // Eight rows, each with a distinct spike and a shared ramp, so distances differ.
    await t.exec(`INSERT INTO wide SELECT i, (SELECT array_agg(CASE WHEN d = i * 100 THEN 5 ELSE d % 7 END)
      FROM generate_series(1, 4000) d)::halfvec FROM generate_series(1, 8) i`)
    await t.exec('CREATE INDEX wide_idx ON wide USING ivfflat (h halfvec_l2_ops) WITH (lists = 2)')
    await t.exec('INSERT INTO wide SELECT 9, h FROM wide WHERE id = 3')
    // Rows 3 and 9 tie: compare (distance, id) pairs in one order, after checking the index's.
    const query = 'SELECT id, h <-> (SELECT h FROM wide WHERE id = 5) AS d FROM wide ORDER BY d LIMIT 9'
    const byDistance = (rows: { id: number; d: number }[]) => [...rows].sort((a, b) => a.d - b.d || a.id - b.id)
    await t.exec('SET ivfflat.probes = 2; SET enable_seqscan = off')
    const explain = await t.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${query}`)
    expect(explain.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using wide_idx')
    const indexed = await t.query<{ id: number; d: number }>(query)
    expect(indexed.map((r) => r.d)).toEqual(byDistance(indexed).map((r) => r.d))
    await t.exec('RESET enable_seqscan; SET enable_indexscan = off')
    expect(byDistance(indexed)).toEqual(byDistance(await t.query(query)))
    await t.exec('RESET enable_indexscan; RESET ivfflat.probes')
    expect(await t.query(`SELECT * FROM ruvector_index_check('wide_idx')`)).toEqual([])
    await t.exec('DROP TABLE wide')
  })

  test('what the access method does not support is refused by PostgreSQL', async () => {
    await t.exec('CREATE TABLE am (id int, v vector(3), w vector(3), h halfvec(3), s sparsevec(3))')
    const e = await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING ivfflat (h)'), {
      message: 'data type halfvec has no default operator class for access method "ivfflat"', code: UNDEFINED_OBJECT,
    })
    expect(e.hint).toBe('You must specify an operator class for the index or define a default operator class for the data type.')
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING ivfflat (s sparsevec_l2_ops)'), {
      message: 'operator class "sparsevec_l2_ops" does not exist for access method "ivfflat"', code: UNDEFINED_OBJECT,
    })
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING ivfflat (v vector_l1_ops)'), {
      message: 'operator class "vector_l1_ops" does not exist for access method "ivfflat"', code: UNDEFINED_OBJECT,
    })
    await expectSqlError(t.exec('CREATE INDEX am_idx ON am USING ivfflat (v, w)'), {
      message: 'access method "ivfflat" does not support multicolumn indexes', code: FEATURE_NOT_SUPPORTED,
    })
    await expectSqlError(t.exec('CREATE UNIQUE INDEX am_idx ON am USING ivfflat (v)'), {
      message: 'access method "ivfflat" does not support unique indexes', code: FEATURE_NOT_SUPPORTED,
    })
    expect(await indexNames(t, 'am')).toEqual([])
    await t.exec('DROP TABLE am')
  })
})
