// Every hnsw operator class answers ORDER BY <op> LIMIT k with the rows an exact scan returns, on
// small seeded sets where a search as wide as the table (hnsw.ef_search = 1000) must be exact.
// Half of each table is loaded before CREATE INDEX and half after, so both the build and the
// insert paths are covered. As in pgvector, NULLs are never returned by an index scan, and zero
// vectors are not returned by a cosine index scan (their distance is NaN); an exact scan sorts
// those NaNs last. Plans are checked with EXPLAIN so that "index" and "exact" mean what they say.
import { expect, test } from 'vitest'
import { randomHalfvec } from '../harness/half'
import { explain, expectIndexSound, insertRows, withSettings } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 200
const DIMS = 8
const BITS = 64
const K = 20
const QUERIES = 5

interface OpclassCase {
  opclass: string
  op: string
  /** Cosine: zero vectors have no direction and are not indexed. */
  skipsZero?: boolean
  /**
   * Whether a search as wide as the table must reach every indexed row. True for the metrics;
   * not for inner product (short vectors lose their links to the neighbour heuristic) nor for
   * Jaccard (the zero bit string is at distance 1 from everything), in pgvector as in any HNSW.
   */
  reachesAll: boolean
  /** Each row is its own nearest neighbour (distance 0); not so for inner product. */
  selfIsNearest: boolean
  /**
   * How far the index's order may stray from the operator's: cosine indexes hold normalized
   * values, so their distances differ from the operator's by the rounding of the type
   * (pgvector does not recheck the order). Also how far from 0 a cosine distance of a value to
   * itself may round (pgvector 0.8.0's sparsevec cosine gives ~1e-7).
   */
  orderSlack?: number
}

interface Family {
  type: string
  /** SQL type of the column and of the query parameter. */
  sqlType: string
  /** A value's text form drawn from `next` (the zero vector where `zero` is set). */
  value: (next: () => number, zero: boolean) => string
  opclasses: OpclassCase[]
}

const sparse = (v: number[]) =>
  `{${v.flatMap((x, i) => (x === 0 ? [] : [`${i + 1}:${x}`])).join(',')}}/${v.length}`

const bits = (next: () => number) => Array.from({ length: BITS }, () => (next() < 0.5 ? '0' : '1')).join('')

const FAMILIES: Family[] = [
  {
    type: 'vector', sqlType: `vector(${DIMS})`,
    value: (next, zero) => literal(zero ? new Array(DIMS).fill(0) : randomVector(next, DIMS)),
    opclasses: [
      { opclass: 'vector_l2_ops', op: '<->', reachesAll: true, selfIsNearest: true },
      { opclass: 'vector_ip_ops', op: '<#>', reachesAll: false, selfIsNearest: false },
      { opclass: 'vector_cosine_ops', op: '<=>', skipsZero: true, reachesAll: true, selfIsNearest: true, orderSlack: 1e-6 },
      { opclass: 'vector_l1_ops', op: '<+>', reachesAll: true, selfIsNearest: true },
    ],
  },
  {
    type: 'halfvec', sqlType: `halfvec(${DIMS})`,
    value: (next, zero) => literal(zero ? new Array(DIMS).fill(0) : randomHalfvec(next, DIMS)),
    opclasses: [
      { opclass: 'halfvec_l2_ops', op: '<->', reachesAll: true, selfIsNearest: true },
      { opclass: 'halfvec_ip_ops', op: '<#>', reachesAll: false, selfIsNearest: false },
      { opclass: 'halfvec_cosine_ops', op: '<=>', skipsZero: true, reachesAll: true, selfIsNearest: true, orderSlack: 2e-3 },
      { opclass: 'halfvec_l1_ops', op: '<+>', reachesAll: true, selfIsNearest: true },
    ],
  },
  {
    type: 'sparsevec', sqlType: `sparsevec(${DIMS})`,
    // About half of the elements are zero, so the sparse paths do real work.
    value: (next, zero) => sparse(zero ? new Array(DIMS).fill(0) : randomVector(next, DIMS).map((x) => (next() < 0.5 ? 0 : x))),
    opclasses: [
      { opclass: 'sparsevec_l2_ops', op: '<->', reachesAll: true, selfIsNearest: true },
      { opclass: 'sparsevec_ip_ops', op: '<#>', reachesAll: false, selfIsNearest: false },
      { opclass: 'sparsevec_cosine_ops', op: '<=>', skipsZero: true, reachesAll: true, selfIsNearest: true, orderSlack: 1e-6 },
      { opclass: 'sparsevec_l1_ops', op: '<+>', reachesAll: true, selfIsNearest: true },
    ],
  },
  {
    type: 'bit', sqlType: `bit(${BITS})`,
    value: (next, zero) => (zero ? '0'.repeat(BITS) : bits(next)),
    opclasses: [
      { opclass: 'bit_hamming_ops', op: '<~>', reachesAll: true, selfIsNearest: true },
      // Jaccard distance of the zero bit string to itself is 1, so it is left out of "self is nearest".
      { opclass: 'bit_jaccard_ops', op: '<%>', reachesAll: false, selfIsNearest: true },
    ],
  },
]

interface Hit { id: number; d: number | null }

/**
 * The same neighbours up to ties: equal distance sequences, and for every distance below the
 * last one the same set of ids (at the last distance, either scan may pick any of the tied rows).
 */
function expectSameNeighbours(index: Hit[], exact: Hit[], what: string) {
  const sorted = (hits: Hit[]) => hits.map((h) => h.d as number).sort((a, b) => a - b)
  expect(sorted(index), `${what}: distances`).toEqual(sorted(exact))
  const last = exact.at(-1)?.d
  const below = (hits: Hit[]) => hits.filter((h) => h.d !== last).map((h) => h.id).sort((a, b) => a - b)
  expect(below(index), `${what}: ids`).toEqual(below(exact))
  expect(new Set(index.map((h) => h.id)).size, `${what}: duplicate ids`).toBe(index.length)
}

async function topK(t: Target, table: string, op: string, sqlType: string, q: string, limit: string) {
  return t.query<Hit>(`SELECT id, val ${op} $1::${sqlType} AS d FROM ${table} ORDER BY val ${op} $1::${sqlType} ${limit}`, [q])
}

describeTargets('hnsw operator classes return exact results on small sets', (t) => {
  for (const [f, family] of FAMILIES.entries()) {
    const table = `oc_${family.type}`
    // Row ids: every 50th row (id ≡ 0) is NULL, and rows with id ≡ 25 (mod 50) are zero vectors.
    const next = rng(0x4e5700 + f)
    const rows = Array.from({ length: ROWS }, (_, i) => i + 1).map(
      (id) => `${id}, ${id % 50 === 0 ? 'NULL' : `'${family.value(next, id % 50 === 25)}'`}`,
    )
    const queries = Array.from({ length: QUERIES }, () => family.value(next, false))
    const nulls = rows.filter((r) => r.endsWith('NULL')).length
    const zeros = ROWS / 50

    test(`${family.type}: build on half the rows, insert the rest`, async () => {
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, val ${family.sqlType})`)
      await insertRows(t, table, rows.slice(0, ROWS / 2))
      for (const { opclass } of family.opclasses) {
        await t.exec(`CREATE INDEX ${table}_${opclass} ON ${table} USING hnsw (val ${opclass})`)
      }
      await insertRows(t, table, rows.slice(ROWS / 2))
      await t.exec(`ANALYZE ${table}`)
      for (const { opclass } of family.opclasses) await expectIndexSound(t, `${table}_${opclass}`)
    })

    for (const { opclass, op, skipsZero, reachesAll, selfIsNearest, orderSlack = 0 } of family.opclasses) {
      const index = `${table}_${opclass}`
      test(`${opclass}: index scan = exact scan for ORDER BY val ${op} q LIMIT ${K}`, async () => {
        const sql = `SELECT id FROM ${table} ORDER BY val ${op} $1::${family.sqlType} LIMIT ${K}`
        await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 1000 }, async () => {
          expect(await explain(t, sql, [queries[0]])).toContain(`Index Scan using ${index} on ${table}`)
        })
        await withSettings(t, { enable_indexscan: 'off' }, async () => {
          const plan = await explain(t, sql, [queries[0]])
          expect(plan).not.toContain('Index Scan')
          expect(plan).toContain(`Seq Scan on ${table}`)
        })
        for (const [i, q] of queries.entries()) {
          const viaIndex = await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 1000 },
            () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          const exact = await withSettings(t, { enable_indexscan: 'off' },
            () => topK(t, table, op, family.sqlType, q, `LIMIT ${K}`))
          expect(viaIndex).toHaveLength(K)
          expectSameNeighbours(viaIndex, exact, `${opclass} query ${i}`)
        }
      })

      test(`${opclass}: the index scan never returns NULLs${skipsZero ? ' or zero vectors' : ''}`, async () => {
        const indexed = ROWS - nulls - (skipsZero ? zeros : 0)
        const expectCount = (n: number, what: string) => {
          if (reachesAll) expect(n, what).toBe(indexed)
          else expect(n, what).toBeGreaterThanOrEqual(Math.floor(indexed * 0.9))
          expect(n, what).toBeLessThanOrEqual(indexed)
        }
        const all = await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 1000 },
          () => topK(t, table, op, family.sqlType, queries[1], ''))
        expectCount(all.length, 'rows from a scan without LIMIT')
        expect(all.filter((h) => h.id % 50 === 0)).toEqual([])
        if (skipsZero) expect(all.filter((h) => h.id % 50 === 25)).toEqual([])
        // Rows come back in distance order (within the rounding of a normalized copy for cosine).
        const ds = all.map((h) => h.d as number)
        const inversions = ds.flatMap((d, j) => (j > 0 && ds[j - 1] > d + orderSlack ? [[ds[j - 1], d]] : []))
        expect(inversions).toEqual([])
        // The exact scan has every row; zero vectors' NaN cosine distances sort after the rest, NULLs last.
        const exact = await withSettings(t, { enable_indexscan: 'off' },
          () => topK(t, table, op, family.sqlType, queries[1], ''))
        expect(exact).toHaveLength(ROWS)
        expect(exact.slice(-nulls).map((h) => h.d)).toEqual(new Array(nulls).fill(null))
        if (skipsZero) expect(exact.slice(-nulls - zeros, -nulls).every((h) => Number.isNaN(h.d))).toBe(true)
        // A NULL query, and for cosine a zero query, still scans: rows come back in no particular order.
        const count = async (q: string) => {
          const [{ n }] = await withSettings(t, { enable_seqscan: 'off', 'hnsw.ef_search': 1000 }, () => t.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM (SELECT id FROM ${table} ORDER BY val ${op} ${q}) s`))
          return n
        }
        expectCount(await count(`(SELECT NULL::${family.sqlType})`), 'rows for a NULL query')
        if (skipsZero) expectCount(await count(`'${family.value(next, true)}'::${family.sqlType}`), 'rows for a zero query')
      })

      if (selfIsNearest) {
        test(`${opclass}: each row's nearest neighbour through the index is itself (distance 0)`, async () => {
          const rows = await withSettings(t, { enable_seqscan: 'off' }, () => t.query<{ id: number; d: number }>(
            `SELECT a.id, (SELECT a.val ${op} b.val FROM ${table} b ORDER BY b.val ${op} a.val LIMIT 1) AS d
               FROM ${table} a WHERE a.val IS NOT NULL ${skipsZero || !reachesAll ? `AND a.id % 50 <> 25` : ''} ORDER BY a.id`))
          expect(rows.length).toBe(ROWS - nulls - (skipsZero || !reachesAll ? zeros : 0))
          // Exactly 0, except that a cosine distance of a vector to itself may round to a few ulps.
          expect(rows.filter((r) => r.d > orderSlack)).toEqual([])
        })
      }
    }
  }

  test('TRUNCATE empties the index, which then takes new rows', async () => {
    await t.exec('TRUNCATE oc_vector')
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      expect(await topK(t, 'oc_vector', '<->', `vector(${DIMS})`, literal(new Array(DIMS).fill(1)), 'LIMIT 5')).toEqual([])
      await t.exec(`INSERT INTO oc_vector VALUES (1, '${literal(new Array(DIMS).fill(1))}'), (2, '${literal(new Array(DIMS).fill(2))}')`)
      const hits = await topK(t, 'oc_vector', '<->', `vector(${DIMS})`, literal(new Array(DIMS).fill(1.9)), 'LIMIT 5')
      expect(hits.map((h) => h.id)).toEqual([2, 1])
    })
    for (const { opclass } of FAMILIES[0].opclasses) await expectIndexSound(t, `oc_vector_${opclass}`)
  })

  test('an index on an UNLOGGED table answers like any other', async () => {
    await t.exec(`CREATE UNLOGGED TABLE oc_unlogged (id int, val vector(3))`)
    await t.exec(`INSERT INTO oc_unlogged VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]'), (4, NULL)`)
    await t.exec('CREATE INDEX oc_unlogged_idx ON oc_unlogged USING hnsw (val vector_l2_ops)')
    await withSettings(t, { enable_seqscan: 'off' }, async () => {
      const hits = await t.query<{ id: number }>("SELECT id FROM oc_unlogged ORDER BY val <-> '[0,0.9,0.2]'")
      expect(hits.map((h) => h.id)).toEqual([2, 3, 1])
    })
    await expectIndexSound(t, 'oc_unlogged_idx')
  })
})
