// Every ivfflat operator class answers ORDER BY <op> LIMIT k with the rows an exact scan returns
// when every list is probed (ivfflat.probes = lists), on small seeded sets; half of each table is
// loaded before CREATE INDEX and half after, so both the build and the insert paths are covered.
// Then pgvector's own regression cases (test/sql/ivfflat_*.sql) with their expected rows: NULLs
// are never returned, zero vectors are not returned under cosine, a NULL query still scans, and
// an iterative scan stops at ivfflat.max_probes lists.
import { expect, test } from 'vitest'
import { randomHalfvec } from '../harness/half'
import { explain, expectIndexSound, insertRows, withSettings } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 300
const DIMS = 8
const BITS = 64
const LISTS = 6
const K = 20
const QUERIES = 4

interface Family {
  type: string
  sqlType: string
  value: (next: () => number, zero: boolean) => string
  opclasses: { opclass: string; op: string; skipsZero?: boolean }[]
}

const bits = (next: () => number) => Array.from({ length: BITS }, () => (next() < 0.5 ? '0' : '1')).join('')

const FAMILIES: Family[] = [
  {
    type: 'vector', sqlType: `vector(${DIMS})`,
    value: (next, zero) => literal(zero ? new Array(DIMS).fill(0) : randomVector(next, DIMS)),
    opclasses: [
      { opclass: 'vector_l2_ops', op: '<->' },
      { opclass: 'vector_ip_ops', op: '<#>' },
      { opclass: 'vector_cosine_ops', op: '<=>', skipsZero: true },
    ],
  },
  {
    type: 'halfvec', sqlType: `halfvec(${DIMS})`,
    value: (next, zero) => literal(zero ? new Array(DIMS).fill(0) : randomHalfvec(next, DIMS)),
    opclasses: [
      { opclass: 'halfvec_l2_ops', op: '<->' },
      { opclass: 'halfvec_ip_ops', op: '<#>' },
      { opclass: 'halfvec_cosine_ops', op: '<=>', skipsZero: true },
    ],
  },
  {
    type: 'bit', sqlType: `bit(${BITS})`,
    value: (next, zero) => (zero ? '0'.repeat(BITS) : bits(next)),
    opclasses: [{ opclass: 'bit_hamming_ops', op: '<~>' }],
  },
]

interface Hit { id: number; d: number | null }

/** Same distances, and the same ids below the last distance (ties at the cut may differ). */
function expectSameNeighbours(index: Hit[], exact: Hit[], what: string, slack: number) {
  expect(index.length, `${what}: rows`).toBe(exact.length)
  index.forEach((h, i) => expect(Math.abs((h.d as number) - (exact[i].d as number)), `${what}: distance ${i}`).toBeLessThanOrEqual(slack))
  const last = exact.at(-1)?.d as number
  const below = (hits: Hit[]) => hits.filter((h) => (h.d as number) < last - slack).map((h) => h.id).sort((a, b) => a - b)
  expect(below(index), `${what}: ids`).toEqual(below(exact))
  expect(new Set(index.map((h) => h.id)).size, `${what}: duplicate ids`).toBe(index.length)
}

async function topK(t: Target, table: string, op: string, sqlType: string, q: string, limit: string) {
  return t.query<Hit>(`SELECT id, val ${op} $1::${sqlType} AS d FROM ${table} ORDER BY val ${op} $1::${sqlType} ${limit}`, [q])
}

describeTargets('ivfflat operator classes return exact results when every list is probed', (t) => {
  for (const [f, family] of FAMILIES.entries()) {
    const table = `ivf_${family.type}`
    // Every 50th row is NULL; rows with id ≡ 25 (mod 50) are zero vectors.
    const next = rng(0x1f7a00 + f)
    const rows = Array.from({ length: ROWS }, (_, i) => i + 1).map(
      (id) => `${id}, ${id % 50 === 0 ? 'NULL' : `'${family.value(next, id % 50 === 25)}'`}`,
    )
    const queries = Array.from({ length: QUERIES }, () => family.value(next, false))
    const nulls = ROWS / 50
    const zeros = ROWS / 50

    test(`${family.type}: build on half the rows, insert the rest`, async () => {
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, val ${family.sqlType})`)
      await insertRows(t, table, rows.slice(0, ROWS / 2))
      for (const { opclass } of family.opclasses) {
        await t.exec(`CREATE INDEX ${table}_${opclass} ON ${table} USING ivfflat (val ${opclass}) WITH (lists = ${LISTS})`)
      }
      await insertRows(t, table, rows.slice(ROWS / 2))
      await t.exec(`ANALYZE ${table}`)
      for (const { opclass } of family.opclasses) await expectIndexSound(t, `${table}_${opclass}`)
    })

    for (const { opclass, op, skipsZero } of family.opclasses) {
      const index = `${table}_${opclass}`
      const slack = family.type === 'halfvec' && skipsZero ? 2e-3 : skipsZero ? 1e-6 : 0
      test(`${opclass}: with probes = lists, index scan = exact scan; NULLs${skipsZero ? ' and zero vectors' : ''} left out`, async () => {
        const sql = `SELECT id FROM ${table} ORDER BY val ${op} $1::${family.sqlType} LIMIT ${K}`
        await withSettings(t, { enable_seqscan: 'off' }, async () => {
          expect(await explain(t, sql, [queries[0]])).toContain(`Index Scan using ${index} on ${table}`)
        })
        for (const [i, q] of queries.entries()) {
          const viaIndex = await withSettings(t, { enable_seqscan: 'off', 'ivfflat.probes': LISTS },
            () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          const exact = await withSettings(t, { enable_indexscan: 'off' },
            () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          expectSameNeighbours(viaIndex, exact, `${opclass} query ${i}`, slack)
        }
        const all = await withSettings(t, { enable_seqscan: 'off', 'ivfflat.probes': LISTS },
          () => topK(t, table, op, family.sqlType, queries[1], ''))
        expect(all.length).toBe(ROWS - nulls - (skipsZero ? zeros : 0))
        expect(all.filter((h) => h.id % 50 === 0)).toEqual([])
        const ds = all.map((h) => h.d as number)
        expect(ds.filter((d, j) => j > 0 && ds[j - 1] > d + slack)).toEqual([])
        // One probe reads one list: fewer rows, still in order.
        const one = await withSettings(t, { enable_seqscan: 'off', 'ivfflat.probes': 1 },
          () => topK(t, table, op, family.sqlType, queries[1], ''))
        expect(one.length).toBeGreaterThan(0)
        expect(one.length).toBeLessThan(all.length)
        const [{ n }] = await withSettings(t, { enable_seqscan: 'off', 'ivfflat.probes': LISTS }, () => t.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT id FROM ${table} ORDER BY val ${op} (SELECT NULL::${family.sqlType})) s`))
        expect(n, 'rows for a NULL query').toBe(all.length)
      })
    }
  }

  test('pgvector\'s vector cases (lists = 1)', async () => {
    const q = (sql: string) => withSettings(t, { enable_seqscan: 'off' }, () => t.query<{ val: string }>(sql))
    const vals = async (sql: string) => (await q(sql)).map((r) => r.val)
    for (const [opclass, op, expected] of [
      ['vector_l2_ops', '<->', ['[1,2,3]', '[1,2,4]', '[1,1,1]', '[0,0,0]']],
      ['vector_ip_ops', '<#>', ['[1,2,4]', '[1,2,3]', '[1,1,1]', '[0,0,0]']],
      ['vector_cosine_ops', '<=>', ['[1,1,1]', '[1,2,3]', '[1,2,4]']],
    ] as const) {
      await t.exec("CREATE TABLE pv (val vector(3)); INSERT INTO pv (val) VALUES ('[0,0,0]'), ('[1,2,3]'), ('[1,1,1]'), (NULL)")
      await t.exec(`CREATE INDEX pv_idx ON pv USING ivfflat (val ${opclass}) WITH (lists = 1)`)
      await t.exec("INSERT INTO pv (val) VALUES ('[1,2,4]')")
      expect(await vals(`SELECT * FROM pv ORDER BY val ${op} '[3,3,3]'`), opclass).toEqual(expected)
      const [{ count }] = await q(`SELECT COUNT(*)::int AS count FROM (SELECT * FROM pv ORDER BY val ${op} (SELECT NULL::vector)) t2`) as unknown as { count: number }[]
      expect(count).toBe(expected.length)
      await expectIndexSound(t, 'pv_idx')
      await t.exec('TRUNCATE pv')
      expect(await vals(`SELECT * FROM pv ORDER BY val ${op} '[3,3,3]'`)).toEqual([])
      await expectIndexSound(t, 'pv_idx')
      await t.exec('DROP TABLE pv')
    }
  })

  test('pgvector\'s halfvec and bit cases (lists = 1)', async () => {
    const vals = async (sql: string) =>
      (await withSettings(t, { enable_seqscan: 'off' }, () => t.query<{ val: string }>(sql))).map((r) => r.val)
    await t.exec("CREATE TABLE ph (val halfvec(3)); INSERT INTO ph (val) VALUES ('[0,0,0]'), ('[1,2,3]'), ('[1,1,1]'), (NULL)")
    await t.exec('CREATE INDEX ph_idx ON ph USING ivfflat (val halfvec_l2_ops) WITH (lists = 1)')
    await t.exec("INSERT INTO ph (val) VALUES ('[1,2,4]')")
    expect(await vals("SELECT * FROM ph ORDER BY val <-> '[3,3,3]'")).toEqual(['[1,2,3]', '[1,2,4]', '[1,1,1]', '[0,0,0]'])
    await t.exec('DROP TABLE ph')
    await t.exec("CREATE TABLE pb (val bit(3)); INSERT INTO pb (val) VALUES (B'000'), (B'100'), (B'111'), (NULL)")
    await t.exec('CREATE INDEX pb_idx ON pb USING ivfflat (val bit_hamming_ops) WITH (lists = 1)')
    await t.exec("INSERT INTO pb (val) VALUES (B'110')")
    expect(await vals("SELECT * FROM pb ORDER BY val <~> B'111'")).toEqual(['111', '110', '100', '000'])
    await expectIndexSound(t, 'pb_idx')
    await t.exec('DROP TABLE pb')
  })

  test('pgvector\'s iterative case: relaxed_order reads up to ivfflat.max_probes lists', async () => {
    await t.exec("CREATE TABLE pi (val vector(3)); INSERT INTO pi (val) VALUES ('[0,0,0]'), ('[1,2,3]'), ('[1,1,1]'), (NULL)")
    await t.exec('CREATE INDEX pi_idx ON pi USING ivfflat (val vector_l2_ops) WITH (lists = 3)')
    const vals = async (settings: Record<string, string | number>) => (await withSettings(t,
      { enable_seqscan: 'off', 'ivfflat.iterative_scan': 'relaxed_order', ...settings },
      () => t.query<{ val: string }>("SELECT * FROM pi ORDER BY val <-> '[3,3,3]'"))).map((r) => r.val)
    expect(await vals({})).toEqual(['[1,2,3]', '[1,1,1]', '[0,0,0]'])
    expect(await vals({ 'ivfflat.max_probes': 1 })).toEqual(['[1,2,3]'])
    expect(await vals({ 'ivfflat.max_probes': 2 })).toEqual(['[1,2,3]', '[1,1,1]'])
    await expectIndexSound(t, 'pi_idx')
    await t.exec('DROP TABLE pi')
  })

  test('an index on an UNLOGGED table answers like any other', async () => {
    await t.exec("CREATE UNLOGGED TABLE pu (val vector(3)); INSERT INTO pu (val) VALUES ('[0,0,0]'), ('[1,2,3]'), ('[1,1,1]'), (NULL)")
    await t.exec('CREATE INDEX pu_idx ON pu USING ivfflat (val vector_l2_ops) WITH (lists = 1)')
    const rows = await withSettings(t, { enable_seqscan: 'off' }, () => t.query<{ val: string }>("SELECT * FROM pu ORDER BY val <-> '[3,3,3]'"))
    expect(rows.map((r) => r.val)).toEqual(['[1,2,3]', '[1,1,1]', '[0,0,0]'])
    await t.exec('DROP TABLE pu')
  })
})
