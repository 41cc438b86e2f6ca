// rabitq index options (WITH (lists, bits)) and the rabitq.* settings: defaults, accepted ranges and
// Postgres' own errors outside them, the build's checks (types, dimensions, spherical operator
// classes on one dimension), and that a rejected CREATE INDEX leaves no index behind.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { expectIndexSound, indexNames, withSettings } from '../harness/hnsw'
import { rabitqOnly } from '../harness/rabitq'
import { describeTargets } from '../harness/targets'

const INVALID_NAME = '42602'
const UNDEFINED_OBJECT = '42704'

describeTargets('rabitq index options and settings', (t) => {
  test('pg_settings describes them', async () => {
    const rows = await t.query(
      `SELECT name, setting, vartype, min_val, max_val, enumvals, short_desc
         FROM pg_settings WHERE name LIKE 'rabitq.%' ORDER BY name`)
    expect(rows).toEqual([
      {
        name: 'rabitq.epsilon', setting: '1.9', vartype: 'real', min_val: '0', max_val: '10',
        enumvals: null, short_desc: 'Sets the width of the distance estimates\' error bounds, in standard deviations',
      },
      {
        name: 'rabitq.iterative_scan', setting: 'off', vartype: 'enum', min_val: null, max_val: null,
        enumvals: ['off', 'relaxed_order', 'strict_order'], short_desc: 'Sets the mode for iterative scans',
      },
      {
        name: 'rabitq.max_probes', setting: '32768', vartype: 'integer', min_val: '1', max_val: '32768',
        enumvals: null, short_desc: 'Sets the max number of lists scanned by iterative scans',
      },
      {
        name: 'rabitq.probes', setting: '20', vartype: 'integer', min_val: '1', max_val: '32768',
        enumvals: null, short_desc: 'Sets the number of lists scanned per query',
      },
      {
        name: 'rabitq.rerank', setting: '20', vartype: 'integer', min_val: '1', max_val: '100000',
        enumvals: null, short_desc: 'Sets the number of candidates reranked by exact distance per scan step',
      },
    ])
  })

  test('settings outside their ranges are rejected', async () => {
    await expectSqlError(t.exec('SET rabitq.probes = 0'), {
      message: '0 is outside the valid range for parameter "rabitq.probes" (1 .. 32768)', code: SQLSTATE.invalidParameterValue,
    })
    await expectSqlError(t.exec('SET rabitq.rerank = 100001'), {
      message: '100001 is outside the valid range for parameter "rabitq.rerank" (1 .. 100000)', code: SQLSTATE.invalidParameterValue,
    })
    await expectSqlError(t.exec('SET rabitq.epsilon = -1'), {
      message: '-1 is outside the valid range for parameter "rabitq.epsilon" (0 .. 10)', code: SQLSTATE.invalidParameterValue,
    })
    const e = await expectSqlError(t.exec('SET rabitq.iterative_scan = sorted'), {
      message: 'invalid value for parameter "rabitq.iterative_scan": "sorted"', code: SQLSTATE.invalidParameterValue,
    })
    expect(e.hint).toBe('Available values: off, relaxed_order, strict_order.')
    await expectSqlError(t.exec('SET rabitq.prbes = 10'), {
      message: 'invalid configuration parameter name "rabitq.prbes"', code: INVALID_NAME,
      detail: '"rabitq" is a reserved prefix.',
    })
    expect(await t.query('SHOW rabitq.probes')).toEqual([{ 'rabitq.probes': '20' }])
  })

  test('lists out of range is rejected and leaves no index behind; without it, one is chosen', async () => {
    await t.exec("CREATE TABLE ropt (id int, val vector(3)); INSERT INTO ropt VALUES (1, '[1,2,3]'), (2, '[0,0,1]')")
    const bounds = (value: number) => ({
      message: `value ${value} out of bounds for option "lists"`, code: SQLSTATE.invalidParameterValue,
      detail: 'Valid values are between "1" and "32768".',
    })
    const cases: [string, Parameters<typeof expectSqlError>[1]][] = [
      ['lists = 0', bounds(0)],
      ['lists = 32769', bounds(32769)],
      ["lists = 'many'", { message: 'invalid value for integer option "lists": many', code: SQLSTATE.invalidParameterValue }],
      ['m = 16', { message: 'unrecognized parameter "m"', code: SQLSTATE.invalidParameterValue }],
      ['bits = 0', { message: 'value 0 out of bounds for option "bits"', code: SQLSTATE.invalidParameterValue, detail: 'Valid values are between "1" and "4".' }],
      ['lists = 1, bits = 5', { message: 'value 5 out of bounds for option "bits"', code: SQLSTATE.invalidParameterValue, detail: 'Valid values are between "1" and "4".' }],
      ["bits = 'two'", { message: 'invalid value for integer option "bits": two', code: SQLSTATE.invalidParameterValue }],
    ]
    for (const [options, expected] of cases) {
      await expectSqlError(t.exec(`CREATE INDEX ropt_bad ON ropt USING rabitq (val vector_l2_ops) WITH (${options})`), expected)
      expect(await indexNames(t, 'ropt'), options).toEqual([])
    }
    await t.exec('CREATE INDEX ropt_one ON ropt USING rabitq (val vector_l2_ops) WITH (lists = 1)')
    await t.exec('CREATE INDEX ropt_default ON ropt USING rabitq (val)')
    for (const index of ['ropt_one', 'ropt_default']) await expectIndexSound(t, index)
    const vals = await withSettings(t, { enable_seqscan: 'off' }, () =>
      t.query<{ id: number }>("SELECT id FROM ropt ORDER BY val <-> '[1,2,2]'"))
    expect(vals.map((r) => r.id)).toEqual([1, 2])
    await t.exec('DROP TABLE ropt')
  })

  for (const [type, dims] of [['vector', 3072], ['halfvec', 16000]] as const) {
    test(`${type}(${dims}): centroids span pages, and scans with every candidate reranked are exact`, { timeout: 120_000 }, async () => {
      // Rows made in SQL (sin of a row- and dimension-dependent angle) so the test sends no
      // large literals; the exact scan is the reference.
      await t.exec(`CREATE TABLE rwide (id int, v ${type}(${dims}))`)
      await t.exec(`INSERT INTO rwide SELECT i, (SELECT array_agg(sin(i * 0.37 + d * 0.011 * (1 + i % 3)))
        FROM generate_series(1, ${dims}) d)::${type}(${dims}) FROM generate_series(1, 24) i`)
      await t.exec(`CREATE INDEX rwide_idx ON rwide USING rabitq (v ${type}_l2_ops) WITH (lists = 3)`)
      await t.exec(`INSERT INTO rwide SELECT id + 100, v FROM rwide WHERE id <= 4`)
      await expectIndexSound(t, 'rwide_idx')
      const sql = `SELECT id, v <-> (SELECT v FROM rwide WHERE id = 7) AS d FROM rwide ORDER BY v <-> (SELECT v FROM rwide WHERE id = 7) LIMIT 12`
      const byDistance = (rows: { id: number; d: number }[]) => [...rows].sort((a, b) => a.d - b.d || a.id - b.id)
      const viaIndex = await withSettings(t, { enable_seqscan: 'off', 'rabitq.probes': 3, 'rabitq.rerank': 1000 },
        () => t.query<{ id: number; d: number }>(sql))
      const exact = await withSettings(t, { enable_indexscan: 'off' }, () => t.query<{ id: number; d: number }>(sql))
      expect(viaIndex.map((r) => r.d)).toEqual(exact.map((r) => r.d))
      expect(byDistance(viaIndex)).toEqual(byDistance(exact))
      await t.exec('DROP TABLE rwide')
    })
  }

  test('the build\'s checks', async () => {
    await t.exec('CREATE TABLE rdim (v vector, h halfvec, one vector(1), oneh halfvec(1), b bit(8), s sparsevec(3))')
    for (const [col, opclass] of [['v', 'vector_l2_ops'], ['h', 'halfvec_l2_ops']]) {
      await expectSqlError(t.exec(`CREATE INDEX rdim_idx ON rdim USING rabitq (${col} ${opclass})`), {
        message: 'column does not have dimensions', code: SQLSTATE.invalidParameterValue,
      })
    }
    for (const [col, opclass] of [['one', 'vector_ip_ops'], ['one', 'vector_cosine_ops'], ['oneh', 'halfvec_cosine_ops']]) {
      await expectSqlError(t.exec(`CREATE INDEX rdim_idx ON rdim USING rabitq (${col} ${opclass})`), {
        message: 'dimensions must be greater than one for this opclass', code: SQLSTATE.invalidParameterValue,
      })
    }
    await expectSqlError(t.exec('CREATE INDEX rdim_idx ON rdim USING rabitq (b bit_hamming_ops)'), {
      message: 'operator class "bit_hamming_ops" does not exist for access method "rabitq"', code: UNDEFINED_OBJECT,
    })
    await expectSqlError(t.exec('CREATE INDEX rdim_idx ON rdim USING rabitq (s)'), {
      message: 'data type sparsevec has no default operator class for access method "rabitq"', code: UNDEFINED_OBJECT,
    })
    await expectSqlError(t.exec('CREATE INDEX rdim_idx ON rdim USING rabitq (v vector_l1_ops)'), {
      message: 'operator class "vector_l1_ops" does not exist for access method "rabitq"', code: UNDEFINED_OBJECT,
    })
    expect(await indexNames(t, 'rdim')).toEqual([])
    await t.exec('CREATE INDEX rdim_one ON rdim USING rabitq (one vector_l2_ops)')
    await t.exec('CREATE INDEX rdim_expr ON rdim USING rabitq ((v::vector(3)) vector_cosine_ops)')
    expect(await indexNames(t, 'rdim')).toEqual(['rdim_expr', 'rdim_one'])
    await t.exec('DROP TABLE rdim')
  })
}, rabitqOnly) // skipped against pgvector: rabitq is ruvector's own access method
