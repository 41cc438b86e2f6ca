// sparsevec operations: the four distances against a float64 reference on random sparse
// vectors, l2_norm and l2_normalize, ordering and the btree opclass, casts to and from vector,
// halfvec and arrays, and NULL handling.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'

interface Sparse { dim: number; entries: [number, number][] }

/** `nnz` distinct random 1-based positions with float32 values, as a sparsevec literal. */
function randomSparse(next: () => number, dim: number, nnz: number, scale: number): Sparse {
  const positions = new Set<number>()
  while (positions.size < Math.min(nnz, dim)) positions.add(1 + Math.floor(next() * dim))
  const entries = [...positions].sort((a, b) => a - b).map((i) => [i, Math.fround((next() * 2 - 1) * scale) || 1] as [number, number])
  return { dim, entries }
}
const lit = (s: Sparse) => `{${s.entries.map(([i, v]) => `${i}:${v}`).join(',')}}/${s.dim}`
const dense = (s: Sparse) => {
  const out = new Array<number>(s.dim).fill(0)
  for (const [i, v] of s.entries) out[i - 1] = v
  return out
}

const ALL = `
  SELECT $1::sparsevec <-> $2::sparsevec AS l2_op,  l2_distance($1::sparsevec, $2::sparsevec) AS l2_fn,
         $1::sparsevec <#> $2::sparsevec AS nip_op, inner_product($1::sparsevec, $2::sparsevec) AS ip_fn,
         $1::sparsevec <=> $2::sparsevec AS cos_op, cosine_distance($1::sparsevec, $2::sparsevec) AS cos_fn,
         $1::sparsevec <+> $2::sparsevec AS l1_op,  l1_distance($1::sparsevec, $2::sparsevec) AS l1_fn,
         l2_norm($1::sparsevec) AS norm, sparsevec_l2_squared_distance($1::sparsevec, $2::sparsevec) AS l2sq,
         sparsevec_negative_inner_product($1::sparsevec, $2::sparsevec) AS nip_fn`

interface Distances {
  l2_op: number; l2_fn: number; nip_op: number; ip_fn: number; cos_op: number; cos_fn: number
  l1_op: number; l1_fn: number; norm: number; l2sq: number; nip_fn: number
}

function expectClose(actual: number, expected: number, what: string, scale = 0, rel = 1e-5) {
  expect(typeof actual, what).toBe('number')
  if (!ref.closeTo(actual, expected, rel, scale)) expect.fail(`${what}: got ${actual}, reference ${expected}`)
}

describeTargets('sparsevec distances and functions', (t) => {
  for (const [dim, nnz] of [[1, 1], [10, 3], [1000, 50], [100000, 1000], [1000000000, 16000]] as const) {
    test(`match the reference on random pairs: ${nnz} of ${dim} dims`, async () => {
      const next = rng(0x5a5e + nnz)
      for (let p = 0; p < 3; p++) {
        const a = randomSparse(next, dim, nnz, 10 ** (p - 1))
        const b = p === 2 ? a : randomSparse(next, dim, nnz, 10 ** (2 - p))
        const [r] = await t.query<Distances>(ALL, [lit(a), lit(b)])
        // Only stored positions matter; the reference works on their union.
        const union = [...new Set([...a.entries, ...b.entries].map(([i]) => i))].sort((x, y) => x - y)
        const get = (s: Sparse) => { const m = new Map(s.entries); return union.map((i) => m.get(i) ?? 0) }
        const [da, db] = [get(a), get(b)]
        // Sums run in float32 in index order, as in pgvector: the error grows with the terms.
        const rel = Math.max(1e-5, 4e-9 * union.length)
        expectClose(r.l2_op, ref.l2(da, db), `l2 ${dim}`, 0, rel)
        expectClose(r.ip_fn, ref.innerProduct(da, db), `ip ${dim}`, ref.innerProductScale(da, db), rel)
        expectClose(r.cos_op, ref.cosineDistance(da, db), `cos ${dim}`, 1, rel)
        expectClose(r.l1_op, ref.l1(da, db), `l1 ${dim}`, 0, rel)
        expectClose(r.norm, ref.norm(da), `norm ${dim}`)
        expect([r.l2_fn, r.nip_op, r.nip_fn, r.cos_fn, r.l1_fn]).toEqual([r.l2_op, -r.ip_fn, -r.ip_fn, r.cos_op, r.l1_op])
        expect(Math.sqrt(r.l2sq)).toBe(r.l2_op)
      }
    })
  }

  test('equal the dense vector results on the same values', async () => {
    const next = rng(0xde45e)
    const a = randomSparse(next, 300, 40, 5)
    const b = randomSparse(next, 300, 60, 5)
    const vec = (s: Sparse) => `[${dense(s).join(',')}]`
    const [r] = await t.query<{ l2_close: boolean; ip_close: boolean; l1_sparse: number; l1_dense: number }>(`
      SELECT $1::sparsevec <-> $2::sparsevec = $3::vector <-> $4::vector AS l2_close,
             abs(($1::sparsevec <#> $2::sparsevec) - ($3::vector <#> $4::vector)) < 1e-3 AS ip_close,
             $1::sparsevec <+> $2::sparsevec AS l1_sparse, $3::vector <+> $4::vector AS l1_dense`,
      [lit(a), lit(b), vec(a), vec(b)])
    expect(r.ip_close).toBe(true)
    expectClose(r.l1_sparse, r.l1_dense, 'l1 sparse vs dense')
  })

  test('exact small cases, empty vectors and NaN cosine', async () => {
    const [r] = await t.query(`
      SELECT '{1:3,2:4}/3'::sparsevec <-> '{}/3' AS l2, '{1:3,2:4}/3'::sparsevec <+> '{2:4,3:1}/3' AS l1,
             inner_product('{1:2,3:5}/3'::sparsevec, '{2:7,3:2}/3') AS ip, '{1:1}/2'::sparsevec <=> '{2:1}/2' AS orth,
             '{}/2'::sparsevec <=> '{1:1}/2' AS zero_cos, l2_norm('{}/3'::sparsevec) AS zero_norm, l2_norm('{2:-3,9:4}/9'::sparsevec) AS norm`)
    expect(r.zero_cos).toBeNaN()
    expect({ ...r, zero_cos: 0 }).toEqual({ l2: 5, l1: 4, ip: 10, orth: 1, zero_cos: 0, zero_norm: 0, norm: 5 })
  })

  test('l2_normalize scales stored values and drops those that underflow', async () => {
    const [r] = await t.query(`
      SELECT l2_normalize('{1:3,2:4}/5'::sparsevec)::text AS a, l2_normalize('{}/3'::sparsevec)::text AS zero,
             l2_normalize('{1:1e-45,2:2}/2'::sparsevec)::text AS dropped, pg_typeof(l2_normalize('{}/1'::sparsevec))::text AS type`)
    expect(r).toEqual({ a: '{1:0.6,2:0.8}/5', zero: '{}/3', dropped: '{2:1}/2', type: 'sparsevec' })
  })

  test('distances reject different dimensions', async () => {
    for (const expr of ['$1 <-> $2', '$1 <#> $2', '$1 <=> $2', '$1 <+> $2', 'l2_distance($1, $2)', 'inner_product($1, $2)',
      'cosine_distance($1, $2)', 'l1_distance($1, $2)', 'sparsevec_l2_squared_distance($1, $2)', 'sparsevec_negative_inner_product($1, $2)']) {
      const sql = `SELECT ${expr.replaceAll('$1', "'{1:1}/2'::sparsevec").replaceAll('$2', "'{1:1}/3'::sparsevec")}`
      await expectSqlError(t.query(sql), { message: 'different sparsevec dimensions 2 and 3', code: SQLSTATE.dataException, detail: null })
    }
  })

  test('comparison follows the dense order: elements first, then the dimension count', async () => {
    const cases: [string, string][] = [
      ['{1:1}/2', '{1:1}/2'], ['{1:1}/2', '{1:2}/2'], ['{1:1}/2', '{2:1}/2'], ['{1:-1}/2', '{2:1}/2'], ['{2:-1}/2', '{1:1}/2'],
      ['{}/2', '{1:1}/2'], ['{}/2', '{1:-1}/2'], ['{1:1}/2', '{}/2'], ['{1:-1}/2', '{}/2'], ['{}/2', '{}/3'], ['{1:1}/2', '{1:1}/3'],
      ['{1:1,2:1}/3', '{1:1}/3'], ['{1:1,3:-1}/3', '{1:1}/3'], ['{1:1}/2', '{1:1,3:1}/3'], ['{2:1}/2', '{1:1,2:1}/2'], ['{1:1,2:5}/2', '{1:1,2:-5}/2'],
    ]
    const denseCmp = (a: string, b: string) => {
      const parse = (s: string): Sparse => {
        const [body, dim] = s.slice(1).split('}/')
        return { dim: Number(dim), entries: body ? body.split(',').map((e) => e.split(':').map(Number) as [number, number]) : [] }
      }
      const [x, y] = [dense(parse(a)), dense(parse(b))]
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1
      return Math.sign(x.length - y.length)
    }
    for (const [a, b] of cases) {
      const cmp = denseCmp(a, b)
      const [r] = await t.query(
        `SELECT sparsevec_cmp($1::sparsevec, $2::sparsevec) AS cmp, $1::sparsevec = $2::sparsevec AS eq, $1::sparsevec <> $2::sparsevec AS ne,
                $1::sparsevec < $2::sparsevec AS lt, $1::sparsevec <= $2::sparsevec AS le, $1::sparsevec > $2::sparsevec AS gt,
                $1::sparsevec >= $2::sparsevec AS ge`,
        [a, b],
      )
      expect(r, `${a} vs ${b}`).toEqual({ cmp, eq: cmp === 0, ne: cmp !== 0, lt: cmp < 0, le: cmp <= 0, gt: cmp > 0, ge: cmp >= 0 })
    }
    await t.exec('CREATE TABLE sparse_order (v sparsevec)')
    for (const v of ['{1:3}/2', '{1:1,2:2}/3', '{1:1,2:2}/2', '{1:1}/1', '{1:-1,2:5}/2', '{}/1']) await t.query('INSERT INTO sparse_order VALUES ($1)', [v])
    await t.exec('CREATE INDEX sparse_order_btree ON sparse_order (v); SET enable_seqscan = off')
    const rows = await t.query<{ txt: string }>('SELECT v::text AS txt FROM sparse_order ORDER BY v')
    expect(rows.map((r) => r.txt)).toEqual(['{1:-1,2:5}/2', '{}/1', '{1:1}/1', '{1:1,2:2}/2', '{1:1,2:2}/3', '{1:3}/2'])
    await t.exec('RESET enable_seqscan')
  })

  test('NULL arguments give NULL', async () => {
    const exprs = [
      'NULL::sparsevec <-> $1', '$1 <#> NULL::sparsevec', 'NULL::sparsevec <=> $1', '$1 <+> NULL::sparsevec',
      'l2_distance(NULL::sparsevec, $1)', 'inner_product($1, NULL::sparsevec)', 'cosine_distance(NULL::sparsevec, $1)',
      'l1_distance($1, NULL::sparsevec)', 'l2_norm(NULL::sparsevec)', 'l2_normalize(NULL::sparsevec)', 'NULL::sparsevec < $1',
      'sparsevec_cmp($1, NULL)', 'NULL::sparsevec::vector', 'NULL::vector::sparsevec', 'NULL::halfvec::sparsevec',
      'NULL::sparsevec::halfvec', 'NULL::real[]::sparsevec',
    ]
    const sql = `SELECT ${exprs.map((e, i) => `${e.replaceAll('$1', "'{1:1}/2'::sparsevec")} AS c${i}`).join(', ')}`
    const [row] = await t.query(sql)
    expect(Object.values(row)).toEqual(exprs.map(() => null))
  })
})

describeTargets('sparsevec casts', (t) => {
  const one = async (sql: string) => (await t.query(sql))[0]

  test('vector and halfvec ↔ sparsevec', async () => {
    const r = await one(`
      SELECT '[0,1.5,0,-2]'::vector::sparsevec::text AS from_vector, '{2:1.5,4:-2}/4'::sparsevec::vector::text AS to_vector,
             '[0,0.1,-0]'::halfvec::sparsevec::text AS from_half, '{1:0.1,3:2}/3'::sparsevec::halfvec::text AS to_half,
             '[0,0]'::vector::sparsevec::text AS zeros, '[1,2]'::vector::sparsevec(2)::text AS typmod,
             '[3,4]'::vector <-> '{}/2'::sparsevec AS implicit`)
    expect(r).toEqual({
      from_vector: '{2:1.5,4:-2}/4', to_vector: '[0,1.5,0,-2]', from_half: '{2:0.099975586}/3', to_half: '[0.099975586,0,2]',
      zeros: '{}/2', typmod: '{1:1,2:2}/2', implicit: 5,
    })
    const errors: [string, string, string][] = [
      ["'{1:70000}/2'::sparsevec::halfvec", '"70000" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      ["'{1:1}/16001'::sparsevec::vector", 'vector cannot have more than 16000 dimensions', SQLSTATE.programLimitExceeded],
      ["'{1:1}/16001'::sparsevec::halfvec", 'halfvec cannot have more than 16000 dimensions', SQLSTATE.programLimitExceeded],
      ["'{1:1}/2'::sparsevec::vector(3)", 'expected 3 dimensions, not 2', SQLSTATE.dataException],
      ["'[1,2]'::vector::sparsevec(3)", 'expected 3 dimensions, not 2', SQLSTATE.dataException],
      ["'[1,2]'::halfvec::sparsevec(3)", 'expected 3 dimensions, not 2', SQLSTATE.dataException],
    ]
    for (const [expr, message, code] of errors) await expectSqlError(t.query(`SELECT ${expr}`), { message, code })
  })

  test('arrays cast to sparsevec, zeros dropped, in pgvector order of checks', async () => {
    for (const type of ['real[]', 'double precision[]', 'integer[]', 'numeric[]']) {
      const r = await one(`SELECT ('{0,1,0,-2}'::${type})::sparsevec::text AS v, ('{0,0}'::${type})::sparsevec::text AS z`)
      expect(r, type).toEqual({ v: '{2:1,4:-2}/4', z: '{}/2' })
      await expectSqlError(t.query(`SELECT ('{1,NULL}'::${type})::sparsevec`), { message: 'array must not contain nulls', code: SQLSTATE.nullValueNotAllowed })
      await expectSqlError(t.query(`SELECT ('{{1},{2}}'::${type})::sparsevec`), { message: 'array must be 1-D', code: SQLSTATE.dataException })
      await expectSqlError(t.query(`SELECT ('{}'::${type})::sparsevec`), { message: 'sparsevec must have at least 1 dimension', code: SQLSTATE.dataException })
      await expectSqlError(t.query(`SELECT ('{1,2}'::${type})::sparsevec(3)`), { message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException })
    }
    const s = await one("SELECT ARRAY[1e-50, 0.1]::double precision[]::sparsevec::text AS tiny, array_fill(0, ARRAY[20000])::sparsevec::text AS big")
    expect(s).toEqual({ tiny: '{2:0.1}/2', big: '{}/20000' })
    const errors: [string, string, string][] = [
      ["'{0,NaN}'::real[]", 'NaN not allowed in sparsevec', SQLSTATE.dataException],
      ["'{Infinity}'::double precision[]", 'infinite value not allowed in sparsevec', SQLSTATE.dataException],
      ['ARRAY[1e39]::double precision[]', 'infinite value not allowed in sparsevec', SQLSTATE.dataException],
      ['ARRAY[1e39]::numeric[]', '"1000000000000000000000000000000000000000" is out of range for type real', SQLSTATE.numericValueOutOfRange],
    ]
    for (const [array, message, code] of errors) await expectSqlError(t.query(`SELECT ${array}::sparsevec`), { message, code })
  })

  test('there is no cast from other array types, nor from sparsevec to arrays', async () => {
    await expectSqlError(t.query("SELECT '{1,2}'::text[]::sparsevec"), { message: 'cannot cast type text[] to sparsevec', code: '42846' })
    await expectSqlError(t.query("SELECT '{1:1}/2'::sparsevec::real[]"), { message: 'cannot cast type sparsevec to real[]', code: '42846' })
  })
})
