// halfvec operations: distances against a float64 reference, arithmetic and its range errors,
// ordering and the btree opclass, l2_norm / l2_normalize / subvector / binary_quantize, the
// avg and sum aggregates (also as a parallel plan, through the combine functions), casts to and
// from vector and arrays, and NULL handling.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { f16round, randomHalfvec } from '../harness/half'
import { literal, rng } from '../harness/random'
import * as ref from '../harness/reference'
import { describeTargets } from '../harness/targets'

const ALL_DISTANCES = `
  SELECT $1::halfvec <-> $2::halfvec AS l2_op,   l2_distance($1::halfvec, $2::halfvec) AS l2_fn,
         $1::halfvec <#> $2::halfvec AS nip_op,  inner_product($1::halfvec, $2::halfvec) AS ip_fn,
         $1::halfvec <=> $2::halfvec AS cos_op,  cosine_distance($1::halfvec, $2::halfvec) AS cos_fn,
         $1::halfvec <+> $2::halfvec AS l1_op,   l1_distance($1::halfvec, $2::halfvec) AS l1_fn,
         vector_dims($1::halfvec) AS dims,       l2_norm($1::halfvec) AS norm,
         halfvec_l2_squared_distance($1::halfvec, $2::halfvec) AS l2sq,
         halfvec_negative_inner_product($1::halfvec, $2::halfvec) AS nip_fn`

interface Distances {
  l2_op: number; l2_fn: number; nip_op: number; ip_fn: number; cos_op: number; cos_fn: number
  l1_op: number; l1_fn: number; dims: number; norm: number; l2sq: number; nip_fn: number
}

function expectClose(actual: number, expected: number, what: string, scale = 0) {
  expect(typeof actual, what).toBe('number')
  if (!ref.closeTo(actual, expected, 1e-5, scale)) expect.fail(`${what}: got ${actual}, reference ${expected}`)
}

const parse = (s: string) => s.slice(1, -1).split(',').map(Number)

describeTargets('halfvec distances', (t) => {
  for (const dims of [1, 3, 17, 128, 1536, 2000]) {
    test(`match the reference on random pairs of ${dims} dims`, async () => {
      const next = rng(0x4a1f0000 + dims)
      for (let p = 0; p < 3; p++) {
        const a = randomHalfvec(next, dims, 10 ** (p - 1))
        const b = randomHalfvec(next, dims, 10 ** (2 - p))
        const [r] = await t.query<Distances>(ALL_DISTANCES, [literal(a), literal(b)])
        expectClose(r.l2_op, ref.l2(a, b), `l2 dims=${dims}`)
        expectClose(r.ip_fn, ref.innerProduct(a, b), `inner_product dims=${dims}`, ref.innerProductScale(a, b))
        expectClose(r.cos_op, ref.cosineDistance(a, b), `cosine dims=${dims}`, 1)
        expectClose(r.l1_op, ref.l1(a, b), `l1 dims=${dims}`)
        expectClose(r.norm, ref.norm(a), `norm dims=${dims}`)
        expect(r.dims).toBe(dims)
        expect([r.l2_fn, r.nip_op, r.nip_fn, r.cos_fn, r.l1_fn]).toEqual([r.l2_op, -r.ip_fn, -r.ip_fn, r.cos_op, r.l1_op])
        expect(Math.sqrt(r.l2sq)).toBe(r.l2_op)
      }
    })
  }

  test('give exact results on small values, and NaN cosine for a zero vector', async () => {
    const [r] = await t.query<Distances>(ALL_DISTANCES, ['[1,2,3]', '[4,5,6]'])
    expect([r.l2_op, r.ip_fn, r.nip_op, r.l1_op, r.norm]).toEqual([Math.sqrt(27), 32, -32, 9, Math.sqrt(14)])
    const [z] = await t.query<Distances>(ALL_DISTANCES, ['[0,0]', '[3,4]'])
    expect(z.cos_op).toBeNaN()
    expect([z.l2_op, z.l1_op, z.ip_fn, z.norm]).toEqual([5, 7, 0, 0])
    const [s] = await t.query<{ same: number; opposite: number; sph: number }>(`
      SELECT '[1,2,3]'::halfvec <=> '[2,4,6]'::halfvec AS same, '[1,2]'::halfvec <=> '[-1,-2]'::halfvec AS opposite,
             halfvec_spherical_distance('[1,0]'::halfvec, '[0,1]'::halfvec) AS sph`)
    expect(s).toEqual({ same: 0, opposite: 2, sph: 0.5 })
  })

  test('reject different dimensions', async () => {
    for (const expr of ['$1 <-> $2', '$1 <#> $2', '$1 <=> $2', '$1 <+> $2', 'l2_distance($1, $2)', 'inner_product($1, $2)',
      'cosine_distance($1, $2)', 'l1_distance($1, $2)', 'halfvec_l2_squared_distance($1, $2)', '$1 + $2', '$1 - $2', '$1 * $2']) {
      const sql = `SELECT ${expr.replaceAll('$1', "'[1,2]'::halfvec").replaceAll('$2', "'[1,2,3]'::halfvec")}`
      await expectSqlError(t.query(sql), { message: 'different halfvec dimensions 2 and 3', code: SQLSTATE.dataException, detail: null })
    }
  })
})

describeTargets('halfvec arithmetic, ordering and functions', (t) => {
  test('+, - and * round each float4 result to binary16', async () => {
    const [r] = await t.query(`
      SELECT ('[1,2,3]'::halfvec + '[4,5,6]'::halfvec)::text AS add, ('[1,2,3]'::halfvec - '[4,5,6]'::halfvec)::text AS sub,
             ('[1,2,3]'::halfvec * '[4,5,6]'::halfvec)::text AS mul, ('[2048]'::halfvec + '[1]'::halfvec)::text AS tie,
             ('[0.1]'::halfvec + '[0.2]'::halfvec)::text AS rounding, pg_typeof('[1]'::halfvec + '[1]'::halfvec)::text AS type`)
    expect(r).toEqual({ add: '[5,7,9]', sub: '[-3,-3,-3]', mul: '[4,10,18]', tie: '[2048]', rounding: '[0.2998047]', type: 'halfvec' })
    const next = rng(0xadd16)
    for (const dims of [1, 17, 1536]) {
      const a = randomHalfvec(next, dims, 100)
      const b = randomHalfvec(next, dims, 100)
      const [s] = await t.query<{ add: string; sub: string; mul: string }>(
        'SELECT ($1::halfvec + $2::halfvec)::text AS add, ($1::halfvec - $2::halfvec)::text AS sub, ($1::halfvec * $2::halfvec)::text AS mul',
        [literal(a), literal(b)],
      )
      expect(parse(s.add).map(f16round)).toEqual(a.map((x, i) => f16round(x + b[i])))
      expect(parse(s.sub).map(f16round)).toEqual(a.map((x, i) => f16round(x - b[i])))
      expect(parse(s.mul).map(f16round)).toEqual(a.map((x, i) => f16round(x * b[i])))
    }
  })

  test('overflow beyond 65504 and underflow to zero are errors', async () => {
    const cases: [string, string][] = [
      ["'[60000]'::halfvec + '[60000]'::halfvec", 'value out of range: overflow'],
      ["'[-60000]'::halfvec - '[10000]'::halfvec", 'value out of range: overflow'],
      ["'[1,300]'::halfvec * '[1,300]'::halfvec", 'value out of range: overflow'],
      ["'[0.0001]'::halfvec * '[0.0001]'::halfvec", 'value out of range: underflow'],
    ]
    for (const [expr, message] of cases) {
      await expectSqlError(t.query(`SELECT ${expr}`), { message, code: SQLSTATE.numericValueOutOfRange })
    }
    const [r] = await t.query("SELECT ('[0,2]'::halfvec * '[0.0001,3]'::halfvec)::text AS v, ('[65504]'::halfvec + '[15]'::halfvec)::text AS max")
    expect(r).toEqual({ v: '[0,6]', max: '[65504]' })
  })

  test('|| concatenates up to 16000 dimensions', async () => {
    const [r] = await t.query(`
      SELECT ('[1,2]'::halfvec || '[3]'::halfvec)::text AS v,
             vector_dims(array_fill(1, ARRAY[8000])::halfvec || array_fill(2, ARRAY[8000])::halfvec) AS d`)
    expect(r).toEqual({ v: '[1,2,3]', d: 16000 })
    await expectSqlError(t.query('SELECT array_fill(1, ARRAY[8000])::halfvec || array_fill(1, ARRAY[8001])::halfvec'), {
      message: 'halfvec cannot have more than 16000 dimensions', code: SQLSTATE.programLimitExceeded,
    })
  })

  test('comparison operators and btree order: element by element, then length', async () => {
    const cases: [string, string, number][] = [
      ['[1,2]', '[1,2]', 0], ['[1,2]', '[1,3]', -1], ['[2]', '[1,2]', 1], ['[1,2]', '[1,2,3]', -1],
      ['[-0]', '[0]', 0], ['[1.0001]', '[1]', 0], ['[1.001]', '[1]', 1],
    ]
    for (const [a, b, cmp] of cases) {
      const [r] = await t.query(
        `SELECT halfvec_cmp($1::halfvec, $2::halfvec) AS cmp, $1::halfvec = $2::halfvec AS eq, $1::halfvec <> $2::halfvec AS ne,
                $1::halfvec < $2::halfvec AS lt, $1::halfvec <= $2::halfvec AS le, $1::halfvec > $2::halfvec AS gt, $1::halfvec >= $2::halfvec AS ge`,
        [a, b],
      )
      expect(r, `${a} vs ${b}`).toEqual({ cmp, eq: cmp === 0, ne: cmp !== 0, lt: cmp < 0, le: cmp <= 0, gt: cmp > 0, ge: cmp >= 0 })
    }
    await t.exec('CREATE TABLE half_order (v halfvec)')
    for (const v of ['[3,1]', '[1,2,3]', '[1,2]', '[1]', '[-1,5]', '[0]']) await t.query('INSERT INTO half_order VALUES ($1)', [v])
    await t.exec('CREATE INDEX half_order_btree ON half_order (v); SET enable_seqscan = off')
    const rows = await t.query<{ txt: string }>("SELECT v::text AS txt FROM half_order WHERE v >= '[1]' ORDER BY v")
    expect(rows.map((r) => r.txt)).toEqual(['[1]', '[1,2]', '[1,2,3]', '[3,1]'])
    await t.exec('RESET enable_seqscan')
  })

  test('l2_normalize, subvector and binary_quantize', async () => {
    const [r] = await t.query(`
      SELECT l2_normalize('[3,4]'::halfvec)::text AS a, l2_normalize('[0,0]'::halfvec)::text AS zero,
             l2_normalize('[1,1,1]'::halfvec)::text AS third, pg_typeof(l2_normalize('[1]'::halfvec))::text AS type,
             subvector('[1,2,3,4,5]'::halfvec, 2, 3)::text AS mid, subvector('[1,2,3]'::halfvec, 0, 2)::text AS before_start,
             subvector('[1,2,3]'::halfvec, 3, 5)::text AS past_end,
             binary_quantize('[1,-2,0,3.5,-0,6e-8,-6e-8,7,8]'::halfvec)::text AS bits`)
    expect(r).toEqual({
      a: '[0.60009766,0.7998047]', zero: '[0,0]', third: '[0.57714844,0.57714844,0.57714844]', type: 'halfvec',
      mid: '[2,3,4]', before_start: '[1]', past_end: '[3]', bits: '100101011',
    })
    for (const [start, count] of [[4, 1], [1, 0], [-5, 3]]) {
      await expectSqlError(t.query('SELECT subvector($1::halfvec, $2, $3)', ['[1,2,3]', start, count]), {
        message: 'halfvec must have at least 1 dimension', code: SQLSTATE.dataException,
      })
    }
  })

  test('sum and avg aggregate element-wise; avg in float8', async () => {
    const [r] = await t.query(`
      SELECT sum(v)::text AS s, avg(v)::text AS a, pg_typeof(avg(v))::text AS type
      FROM (VALUES ('[1,2]'::halfvec), ('[3,5]'::halfvec), ('[0.5,-1]'::halfvec)) x(v)`)
    expect(r).toEqual({ s: '[4.5,6]', a: '[1.5,2]', type: 'halfvec' })
    const [empty] = await t.query("SELECT sum(v) AS s, avg(v) AS a FROM (SELECT '[1]'::halfvec AS v WHERE false) x")
    expect(empty).toEqual({ s: null, a: null })
    const [big] = await t.query("SELECT avg(v)::text AS a FROM (VALUES ('[60000]'::halfvec), ('[60000]'::halfvec)) x(v)")
    expect(big.a).toBe('[60000]')
    await expectSqlError(t.query("SELECT sum(v) FROM (VALUES ('[60000]'::halfvec), ('[60000]'::halfvec)) x(v)"), {
      message: 'value out of range: overflow', code: SQLSTATE.numericValueOutOfRange,
    })
    await expectSqlError(t.query("SELECT avg(v) FROM (VALUES ('[1,2]'::halfvec), ('[3]'::halfvec)) x(v)"), {
      message: 'expected 2 dimensions, not 1', code: SQLSTATE.dataException,
    })
    const [st] = await t.query(`
      SELECT halfvec_accum('{0}', '[1,2]')::text AS first, halfvec_accum('{1,1,2}', '[3,4]')::text AS second,
             halfvec_combine('{1,1,2}', '{2,3,4}')::text AS combined, halfvec_combine('{0}', '{2,3,4}')::text AS with_empty,
             halfvec_avg('{2,3,5}')::text AS avg`)
    expect(st).toEqual({ first: '{1,1,2}', second: '{2,4,6}', combined: '{3,4,6}', with_empty: '{2,3,4}', avg: '[1.5,2.5]' })
    await expectSqlError(t.query("SELECT halfvec_accum('{}', '[1]')"), { message: 'halfvec_accum: expected state array', code: 'XX000' })
    await expectSqlError(t.query("SELECT halfvec_combine('{}', '{1}')"), { message: 'vector_combine: expected state array', code: 'XX000' })
  })

  test('avg and sum run as parallel partial aggregates combined by halfvec_combine / halfvec_add', async () => {
    await t.exec(`
      CREATE TABLE half_parallel WITH (parallel_workers = 2) AS
        SELECT ARRAY[(i <= 100)::int, -(i % 1000 = 0)::int]::halfvec AS v FROM generate_series(1, 20000) i;
      ANALYZE half_parallel;
      SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
      SET max_parallel_workers_per_gather = 2`)
    const plan = await t.query<{ 'QUERY PLAN': string }>('EXPLAIN (COSTS OFF) SELECT avg(v), sum(v) FROM half_parallel')
    const text = plan.map((r) => r['QUERY PLAN']).join('\n')
    expect(text).toContain('Partial Aggregate')
    expect(text).toContain('Finalize Aggregate')
    const [r] = await t.query<{ a: string; s: string }>('SELECT avg(v)::text AS a, sum(v)::text AS s FROM half_parallel')
    // Partial sums stay small integers, which binary16 holds exactly, so any order gives these.
    expect(r.s).toBe('[100,-20]')
    expect(parse(r.a).map(f16round)).toEqual([f16round(100 / 20000), f16round(-20 / 20000)])
    await t.exec('RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; RESET max_parallel_workers_per_gather')
  })

  test('NULL arguments give NULL', async () => {
    const exprs = [
      'NULL::halfvec <-> $1', '$1 <#> NULL::halfvec', 'NULL::halfvec <=> $1', '$1 <+> NULL::halfvec',
      'l2_distance(NULL::halfvec, $1)', 'inner_product($1, NULL::halfvec)', 'cosine_distance(NULL::halfvec, $1)',
      'l1_distance($1, NULL::halfvec)', 'vector_dims(NULL::halfvec)', 'l2_norm(NULL::halfvec)', 'l2_normalize(NULL::halfvec)',
      'binary_quantize(NULL::halfvec)', 'subvector(NULL::halfvec, 1, 1)', 'subvector($1, NULL, 1)',
      'NULL::halfvec + $1', '$1 - NULL::halfvec', 'NULL::halfvec * $1', '$1 || NULL::halfvec', 'NULL::halfvec < $1',
      'halfvec_cmp($1, NULL)', 'NULL::halfvec::vector', 'NULL::vector::halfvec', 'NULL::real[]::halfvec', 'NULL::halfvec::real[]',
    ]
    const sql = `SELECT ${exprs.map((e, i) => `${e.replaceAll('$1', "'[1,2]'::halfvec")} AS c${i}`).join(', ')}`
    const [row] = await t.query(sql)
    expect(Object.values(row)).toEqual(exprs.map(() => null))
  })
})

describeTargets('halfvec casts', (t) => {
  const one = async <T>(sql: string) => (await t.query(sql))[0] as T

  test('vector ↔ halfvec: rounding one way, exact widening the other', async () => {
    const r = await one(`
      SELECT '[0.1,1,-2.5]'::vector::halfvec::text AS to_half, '[0.1,1]'::halfvec::vector::text AS to_vector,
             ('[1,2]'::vector <-> '[1,3]'::halfvec) AS implicit, '[1,2,3]'::vector::halfvec(3)::text AS typmod`)
    expect(r).toEqual({ to_half: '[0.099975586,1,-2.5]', to_vector: '[0.099975586,1]', implicit: 1, typmod: '[1,2,3]' })
    await expectSqlError(t.query("SELECT '[1,70000]'::vector::halfvec"), {
      message: '"70000" is out of range for type halfvec', code: SQLSTATE.numericValueOutOfRange,
    })
    await expectSqlError(t.query("SELECT '[1,2]'::vector::halfvec(3)"), { message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException })
    await expectSqlError(t.query("SELECT '[1,2]'::halfvec::vector(3)"), { message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException })
  })

  test('arrays of every supported element type cast to halfvec', async () => {
    for (const type of ['real[]', 'double precision[]', 'integer[]', 'numeric[]']) {
      const r = await one<{ v: string }>(`SELECT ('{1,-2,3}'::${type})::halfvec::text AS v`)
      expect(r.v, type).toBe('[1,-2,3]')
      await expectSqlError(t.query(`SELECT ('{1,NULL}'::${type})::halfvec`), {
        message: 'array must not contain nulls', code: SQLSTATE.nullValueNotAllowed,
      })
      await expectSqlError(t.query(`SELECT ('{{1,2},{3,4}}'::${type})::halfvec`), { message: 'array must be 1-D', code: SQLSTATE.dataException })
      await expectSqlError(t.query(`SELECT ('{}'::${type})::halfvec`), {
        message: 'halfvec must have at least 1 dimension', code: SQLSTATE.dataException,
      })
      await expectSqlError(t.query(`SELECT ('{1,2}'::${type})::halfvec(3)`), { message: 'expected 3 dimensions, not 2', code: SQLSTATE.dataException })
    }
    const r = await one(`
      SELECT ARRAY[0.1, 2049]::real[]::halfvec::text AS f4, ARRAY[1e-9]::double precision[]::halfvec::text AS tiny,
             ARRAY[3.14159265358979]::numeric[]::halfvec::text AS num, '[1.5,-0,65504]'::halfvec::real[] AS back,
             vector_dims(array_fill(1, ARRAY[16000])::halfvec) AS d`)
    expect(r).toEqual({ f4: '[0.099975586,2048]', tiny: '[0]', num: '[3.140625]', back: [1.5, -0, 65504], d: 16000 })
  })

  test('out-of-range and non-finite array elements are rejected in pgvector order', async () => {
    const cases: [string, string, string][] = [
      ['ARRAY[1, 100000]::integer[]', '"100000" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      ['ARRAY[65520]::real[]', '"65520" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      ['ARRAY[-1e10]::double precision[]', '"-1e+10" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      ['ARRAY[1234567]::numeric[]', '"1.234567e+06" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      // A double beyond float4 becomes infinite first, so it is "infinite", not "out of range".
      ['ARRAY[1e39]::double precision[]', 'infinite value not allowed in halfvec', SQLSTATE.dataException],
      ["'{1,NaN}'::real[]", 'NaN not allowed in halfvec', SQLSTATE.dataException],
      ["'{-Infinity}'::double precision[]", 'infinite value not allowed in halfvec', SQLSTATE.dataException],
      // Conversion errors for every element come before the NaN/Inf checks.
      ["'{NaN,100000}'::real[]", '"100000" is out of range for type halfvec', SQLSTATE.numericValueOutOfRange],
      ['ARRAY[1e39]::numeric[]', '"1000000000000000000000000000000000000000" is out of range for type real', SQLSTATE.numericValueOutOfRange],
      ['array_fill(1, ARRAY[16001])', 'halfvec cannot have more than 16000 dimensions', SQLSTATE.programLimitExceeded],
    ]
    for (const [array, message, code] of cases) {
      await expectSqlError(t.query(`SELECT ${array}::halfvec`), { message, code })
    }
  })

  test('there is no cast from other array types, nor an implicit one to real[]', async () => {
    await expectSqlError(t.query("SELECT '{1,2}'::text[]::halfvec"), { message: 'cannot cast type text[] to halfvec', code: '42846' })
    await expectSqlError(t.query("SELECT '[1,2]'::halfvec::double precision[]"), {
      message: 'cannot cast type halfvec to double precision[]', code: '42846',
    })
    const [r] = await t.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_cast WHERE castsource = 'halfvec'::regtype AND casttarget = 'real[]'::regtype AND castcontext = 'a'",
    )
    expect(r.n).toBe(1)
  })
})
