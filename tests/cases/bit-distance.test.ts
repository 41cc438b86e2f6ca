// Distances between binary vectors in Postgres' own bit type: hamming_distance / <~> and
// jaccard_distance / <%>, against a bit-by-bit reference, with pgvector's length check,
// NULL handling, and values that Postgres stored compressed or out of line.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

function randomBits(next: () => number, n: number, density: number): string {
  return Array.from({ length: n }, () => (next() < density ? '1' : '0')).join('')
}

function hamming(a: string, b: string): number {
  let d = 0
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++
  return d
}

function jaccard(a: string, b: string): number {
  let both = 0
  let either = 0
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '1' && b[i] === '1') both++
    if (a[i] === '1' || b[i] === '1') either++
  }
  return both === 0 ? 1 : 1 - both / either
}

const BOTH = `SELECT $1::bit(LEN) <~> $2::bit(LEN) AS h_op, hamming_distance($1::bit(LEN), $2::bit(LEN)) AS h_fn,
                     $1::bit(LEN) <%> $2::bit(LEN) AS j_op, jaccard_distance($1::bit(LEN), $2::bit(LEN)) AS j_fn`

describeTargets('bit distances', (t) => {
  test('small exact cases', async () => {
    const [r] = await t.query(`
      SELECT B'111' <~> B'001' AS h, hamming_distance(B'1010', B'0101') AS h4, B'1100' <%> B'1000' AS j,
             jaccard_distance(B'1111', B'1111') AS same, B'0000' <%> B'0000' AS zeros, B'1100' <%> B'0011' AS disjoint,
             B'' <~> B'' AS empty_h, B'' <%> B'' AS empty_j,
             pg_typeof(B'1' <~> B'1')::text AS type`)
    expect(r).toEqual({ h: 2, h4: 4, j: 0.5, same: 0, zeros: 1, disjoint: 1, empty_h: 0, empty_j: 1, type: 'double precision' })
  })

  for (const len of [1, 7, 8, 9, 63, 64, 65, 200, 1024, 4093]) {
    test(`match a bit-by-bit reference on ${len}-bit strings`, async () => {
      const next = rng(0xb17 + len)
      for (const [da, db] of [[0.5, 0.5], [0.05, 0.9], [0, 0.3], [1, 1]]) {
        const a = randomBits(next, len, da)
        const b = randomBits(next, len, db)
        const [r] = await t.query<{ h_op: number; h_fn: number; j_op: number; j_fn: number }>(
          BOTH.replaceAll('LEN', String(len)), [a, b],
        )
        expect(r.h_op, `hamming ${len}`).toBe(hamming(a, b))
        expect(r.h_fn).toBe(r.h_op)
        expect(r.j_op, `jaccard ${len}`).toBeCloseTo(jaccard(a, b), 14)
        expect(r.j_fn).toBe(r.j_op)
      }
    })
  }

  test('varbit arguments and binary_quantize results work as bit', async () => {
    const [r] = await t.query(`
      SELECT '101'::varbit <~> '111'::varbit AS h, '101'::varbit <%> '111'::varbit AS j,
             binary_quantize('[1,-1,2,-2]'::vector) <~> binary_quantize('[1,1,-2,-2]'::vector) AS q,
             binary_quantize('[1,-1,2]'::halfvec) <%> binary_quantize('[1,1,2]'::vector) AS qj`)
    expect(r.h).toBe(1)
    expect(r.j).toBeCloseTo(1 / 3, 14)
    expect(r.q).toBe(2)
    expect(r.qj).toBeCloseTo(1 / 3, 14)
  })

  test('bit strings of different lengths are rejected', async () => {
    for (const expr of ["B'101' <~> B'1010'", "hamming_distance(B'101', B'1010')", "B'101' <%> B'1010'", "jaccard_distance(B'101', B'1010')"]) {
      await expectSqlError(t.query(`SELECT ${expr}`), { message: 'different bit lengths 3 and 4', code: SQLSTATE.dataException, detail: null })
    }
    await expectSqlError(t.query("SELECT B'' <~> B'1'"), { message: 'different bit lengths 0 and 1', code: SQLSTATE.dataException })
  })

  test('stored values, compressed or out of line, give the same distances', async () => {
    const next = rng(0x70a57b)
    const long = randomBits(next, 100000, 0.5)
    const other = randomBits(next, 100000, 0.5)
    await t.exec('CREATE TABLE bits (id int, b bit(100000))')
    await t.query("INSERT INTO bits VALUES (1, $1), (2, $2), (3, repeat('1', 100000)::bit(100000))", [long, other])
    const [r] = await t.query<{ h: number; j: number; ones: number; compressed: boolean }>(`
      SELECT x.b <~> y.b AS h, x.b <%> y.b AS j, (SELECT b FROM bits WHERE id = 3) <~> x.b AS ones,
             pg_column_size((SELECT b FROM bits WHERE id = 3)) < 1000 AS compressed
      FROM bits x, bits y WHERE x.id = 1 AND y.id = 2`)
    expect(r.h).toBe(hamming(long, other))
    expect(r.j).toBeCloseTo(jaccard(long, other), 14)
    expect(r.ones).toBe(hamming(long, '1'.repeat(100000)))
    expect(r.compressed).toBe(true)
  })

  test('NULL arguments give NULL', async () => {
    const [r] = await t.query(`
      SELECT NULL::bit <~> B'1' AS a, B'1' <~> NULL::bit AS b, NULL::bit <%> B'1' AS c, B'1' <%> NULL::bit AS d,
             hamming_distance(NULL, B'1') AS e, jaccard_distance(B'1', NULL) AS f`)
    expect(r).toEqual({ a: null, b: null, c: null, d: null, e: null, f: null })
  })
})
