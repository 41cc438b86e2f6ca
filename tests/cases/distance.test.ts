// Distance operators and functions against a float64 reference on seeded random vectors.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { literal, randomVector, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'

const DIMS = [1, 3, 17, 128, 1536, 2000]
const PAIRS_PER_DIM = 4

// Everything for one pair in one round trip; operator and function must agree with each other too.
const ALL_DISTANCES = `
  SELECT $1::vector <-> $2::vector AS l2_op,   l2_distance($1::vector, $2::vector) AS l2_fn,
         $1::vector <#> $2::vector AS nip_op,  inner_product($1::vector, $2::vector) AS ip_fn,
         $1::vector <=> $2::vector AS cos_op,  cosine_distance($1::vector, $2::vector) AS cos_fn,
         $1::vector <+> $2::vector AS l1_op,   l1_distance($1::vector, $2::vector) AS l1_fn,
         vector_dims($1::vector) AS dims,      vector_norm($1::vector) AS norm`

interface Distances {
  l2_op: number; l2_fn: number; nip_op: number; ip_fn: number; cos_op: number; cos_fn: number
  l1_op: number; l1_fn: number; dims: number; norm: number
}

function expectClose(actual: number, expected: number, what: string, scale = 0) {
  expect(typeof actual, what).toBe('number')
  if (!ref.closeTo(actual, expected, 1e-5, scale)) {
    expect.fail(`${what}: got ${actual}, reference ${expected} (scale ${scale})`)
  }
}

describeTargets('distance operators and functions', (t) => {
  for (const dims of DIMS) {
    test(`match the reference on ${PAIRS_PER_DIM} random pairs of ${dims} dims`, async () => {
      const next = rng(0x5eed0000 + dims)
      for (let p = 0; p < PAIRS_PER_DIM; p++) {
        // Mixed magnitudes so the cases are not all near the unit sphere.
        const a = randomVector(next, dims, 10 ** (p - 1))
        const b = randomVector(next, dims, 10 ** (2 - p))
        const [r] = await t.query<Distances>(ALL_DISTANCES, [literal(a), literal(b)])
        const ipScale = ref.innerProductScale(a, b)
        expectClose(r.l2_op, ref.l2(a, b), `l2 dims=${dims} pair=${p}`)
        expectClose(r.ip_fn, ref.innerProduct(a, b), `inner_product dims=${dims} pair=${p}`, ipScale)
        // Cosine is 1 - similarity, a quantity on the order of 1 whatever the inputs' scale.
        expectClose(r.cos_op, ref.cosineDistance(a, b), `cosine dims=${dims} pair=${p}`, 1)
        expectClose(r.l1_op, ref.l1(a, b), `l1 dims=${dims} pair=${p}`)
        expectClose(r.norm, ref.norm(a), `norm dims=${dims} pair=${p}`)
        expect(r.dims).toBe(dims)
        expect(r.l2_fn).toBe(r.l2_op)
        expect(r.nip_op).toBe(-r.ip_fn)
        expect(r.cos_fn).toBe(r.cos_op)
        expect(r.l1_fn).toBe(r.l1_op)
      }
    })
  }

  test('give exact results on small integer vectors', async () => {
    const [r] = await t.query<Distances>(ALL_DISTANCES, ['[1,2,3]', '[4,5,6]'])
    expect(r.l2_op).toBe(Math.sqrt(27))
    expect(r.ip_fn).toBe(32)
    expect(r.nip_op).toBe(-32)
    expect(r.l1_op).toBe(9)
    expect(r.dims).toBe(3)
    expect(r.norm).toBe(Math.sqrt(14))
    expectClose(r.cos_op, 1 - 32 / Math.sqrt(14 * 77), 'cosine')
    const [s] = await t.query<Distances>(ALL_DISTANCES, ['[0,0]', '[3,4]'])
    expect(s.l2_op).toBe(5)
    expect(s.l1_op).toBe(7)
    expect(s.ip_fn).toBe(0)
  })

  test('cosine distance is NaN when either vector is zero; the others stay defined', async () => {
    for (const [a, b] of [['[0,0,0]', '[0,0,0]'], ['[1,2,3]', '[0,0,0]'], ['[0,0,0]', '[1,2,3]']]) {
      const [r] = await t.query<Distances>(ALL_DISTANCES, [a, b])
      expect(r.cos_op, `${a} <=> ${b}`).toBeNaN()
      expect(r.cos_fn, `cosine_distance(${a}, ${b})`).toBeNaN()
      expect(r.ip_fn).toBe(0)
      expect(r.l2_op).toBe(a === b ? 0 : Math.sqrt(14))
      expect(r.l1_op).toBe(a === b ? 0 : 6)
    }
    const [z] = await t.query<{ n: number }>("SELECT vector_norm('[0,0,0]'::vector) AS n")
    expect(z.n).toBe(0)
  })

  test('cosine distance stays within [0, 2] for parallel and opposite vectors', async () => {
    const next = rng(0xc051)
    for (const dims of [3, 17, 1536]) {
      const a = randomVector(next, dims)
      const neg = a.map((x) => -x)
      const [r] = await t.query<{ same: number; opposite: number }>(
        'SELECT $1::vector <=> $1::vector AS same, $1::vector <=> $2::vector AS opposite',
        [literal(a), literal(neg)],
      )
      expect(r.same).toBeGreaterThanOrEqual(0)
      expect(r.same).toBeLessThan(1e-6)
      expect(r.opposite).toBeLessThanOrEqual(2)
      expect(r.opposite).toBeGreaterThan(2 - 1e-6)
    }
  })

  test('return NULL for a NULL argument on either side', async () => {
    const exprs = [
      'NULL::vector <-> $1', '$1 <-> NULL::vector', 'NULL::vector <#> $1', '$1 <#> NULL::vector',
      'NULL::vector <=> $1', '$1 <=> NULL::vector', 'NULL::vector <+> $1', '$1 <+> NULL::vector',
      'l2_distance(NULL::vector, $1)', 'l2_distance($1, NULL::vector)',
      'inner_product(NULL::vector, $1)', 'inner_product($1, NULL::vector)',
      'cosine_distance(NULL::vector, $1)', 'cosine_distance($1, NULL::vector)',
      'l1_distance(NULL::vector, $1)', 'l1_distance($1, NULL::vector)',
      'vector_dims(NULL::vector)', 'vector_norm(NULL::vector)',
    ]
    const sql = `SELECT ${exprs.map((e, i) => `${e.replaceAll('$1', '$1::vector')} AS c${i}`).join(', ')}`
    const [row] = await t.query(sql, ['[1,2,3]'])
    expect(Object.values(row)).toEqual(exprs.map(() => null))
  })

  const binary = [
    ['<->', (a: string, b: string) => `${a} <-> ${b}`],
    ['<#>', (a: string, b: string) => `${a} <#> ${b}`],
    ['<=>', (a: string, b: string) => `${a} <=> ${b}`],
    ['<+>', (a: string, b: string) => `${a} <+> ${b}`],
    ['l2_distance', (a: string, b: string) => `l2_distance(${a}, ${b})`],
    ['inner_product', (a: string, b: string) => `inner_product(${a}, ${b})`],
    ['cosine_distance', (a: string, b: string) => `cosine_distance(${a}, ${b})`],
    ['l1_distance', (a: string, b: string) => `l1_distance(${a}, ${b})`],
  ] as const
  for (const [name, expr] of binary) {
    test(`${name} rejects vectors of different dimensions`, async () => {
      await expectSqlError(t.query(`SELECT ${expr("'[1,2]'::vector", "'[1,2,3]'::vector")}`), {
        message: 'different vector dimensions 2 and 3', code: SQLSTATE.dataException, detail: null,
      })
      await expectSqlError(t.query(`SELECT ${expr("'[1,2,3,4,5]'::vector", "'[1]'::vector")}`), {
        message: 'different vector dimensions 5 and 1', code: SQLSTATE.dataException, detail: null,
      })
    })
  }
})
