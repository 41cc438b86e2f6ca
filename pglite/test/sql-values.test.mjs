// toSql / fromSql / sparsevecFromSql / vectorTypes: the text formats on their own, then real
// values sent through PGlite with ruvector and read back, compared with what went in.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SparseVector, fromSql, sparsevecFromSql, toSql, vectorTypes } from '@ruvector/pglite'

test('toSql writes the vector/halfvec text form', () => {
  assert.equal(toSql([1, 2, 3]), '[1,2,3]')
  assert.equal(toSql([-1.5, 0, 2.5e-7]), '[-1.5,0,2.5e-7]')
  assert.equal(toSql(new Float32Array([0.5, -4])), '[0.5,-4]')
  // A float32 that is not a short decimal keeps every digit needed to read back the same float32.
  assert.equal(Math.fround(fromSql(toSql(new Float32Array([0.1])))[0]), Math.fround(0.1))
})

test('toSql refuses NaN and infinities, naming the element', () => {
  assert.throws(() => toSql([1, NaN]), /element 1 is NaN/)
  assert.throws(() => toSql([Infinity]), /element 0 is Infinity/)
  assert.throws(() => SparseVector.fromDense([0, -Infinity]), /element 1/)
})

test('toSql writes the sparsevec text form with 1-based indices', () => {
  assert.equal(toSql(new SparseVector(5, [0, 2], [1.5, 2])), '{1:1.5,3:2}/5')
  assert.equal(toSql(SparseVector.fromDense([0, 0, 3, 0])), '{3:3}/4')
  assert.equal(toSql(new SparseVector(3, [], [])), '{}/3')
  // zeros are not stored, as on the server
  assert.equal(toSql(new SparseVector(3, [0, 1], [0, 7])), '{2:7}/3')
  assert.throws(() => new SparseVector(3, [1, 0], [1, 1]), /out of order/)
  assert.throws(() => new SparseVector(3, [3], [1]), /outside 0..2/)
  assert.throws(() => new SparseVector(0, [], []), /positive integer/)
})

test('fromSql reads vector/halfvec text and rejects anything else', () => {
  assert.deepEqual(fromSql('[1,2,3]'), [1, 2, 3])
  assert.deepEqual(fromSql('[-1.5, 2e-3 ,4]'), [-1.5, 0.002, 4])
  assert.deepEqual(fromSql('[]'), [])
  assert.throws(() => fromSql('[1,,2]'), /element 1/)
  assert.throws(() => fromSql('[1,x]'), /element 1 'x'/)
  assert.throws(() => fromSql('1,2'), /not a vector/)
  assert.throws(() => fromSql('{1:1}/2'), /use sparsevecFromSql/)
})

test('sparsevecFromSql reads sparsevec text', () => {
  const v = sparsevecFromSql('{1:1.5,3:2}/5')
  assert.equal(v.dimensions, 5)
  assert.deepEqual(v.indices, [0, 2])
  assert.deepEqual(v.values, [1.5, 2])
  assert.deepEqual(v.toArray(), [1.5, 0, 2, 0, 0])
  assert.deepEqual(sparsevecFromSql('{}/3').toArray(), [0, 0, 0])
  assert.throws(() => sparsevecFromSql('[1,2]'), /not a sparsevec/)
  assert.throws(() => sparsevecFromSql('{1}/3'), /no ':'/)
  assert.throws(() => sparsevecFromSql('{4:1}/3'), /outside/)
})

// ---- through PGlite + ruvector ----

const tarball = fileURLToPath(new URL('../dist/ruvector.tar.gz', import.meta.url))
const skip = existsSync(tarball) ? false : `no ${tarball} yet (built by scripts/build/wasm.sh)`
let pg

before(async () => {
  if (skip) return
  const { PGlite } = await import('@electric-sql/pglite')
  const { ruvector } = await import('@ruvector/pglite')
  pg = await PGlite.create({ extensions: { ruvector } })
})
after(async () => pg?.close())

// Deterministic values spanning several orders of magnitude and both signs.
function randomFloat32(n, seed) {
  let s = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = ((s / 2 ** 32) * 2 - 1) * 10 ** ((i % 7) - 3)
  }
  return out
}

// Nearest binary16 value of x (normal and subnormal range; ties do not occur in these inputs).
function toHalf(x) {
  if (x === 0) return 0
  const exponent = Math.max(Math.floor(Math.log2(Math.abs(x))), -14)
  const ulp = 2 ** (exponent - 10)
  return Math.round(x / ulp) * ulp
}

test('vector: float32 values survive toSql -> server -> fromSql bit for bit', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  await pg.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
  const original = randomFloat32(300, 7)
  const { rows } = await pg.query('SELECT $1::vector::text AS t', [toSql(original)])
  assert.deepEqual(new Float32Array(fromSql(rows[0].t)), original)
})

test('vector: distances from the server match ones computed here from the same values', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  await pg.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
  const a = randomFloat32(64, 1)
  const b = randomFloat32(64, 2)
  let l2 = 0
  let dot = 0
  for (let i = 0; i < a.length; i++) {
    l2 += (a[i] - b[i]) ** 2
    dot += a[i] * b[i]
  }
  const { rows } = await pg.query('SELECT $1::vector <-> $2::vector AS l2, $1::vector <#> $2::vector AS ip', [
    toSql(a),
    toSql(b),
  ])
  assert.ok(Math.abs(rows[0].l2 - Math.sqrt(l2)) <= 1e-5 * Math.sqrt(l2), `${rows[0].l2} vs ${Math.sqrt(l2)}`)
  assert.ok(Math.abs(rows[0].ip + dot) <= 1e-5 * Math.abs(dot) + 1e-9, `${rows[0].ip} vs ${-dot}`)
})

// The server prints a halfvec element as the shortest decimal of its float32 widening, so the
// exact float16 value is Math.fround of what fromSql returns.
test('halfvec: values come back rounded to the nearest float16', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  await pg.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
  const exact = [1.5, -2, 0.25, 65504, 2 ** -14, 2 ** -24]
  const { rows: [r1] } = await pg.query('SELECT $1::halfvec::text AS t', [toSql(exact)])
  assert.deepEqual(fromSql(r1.t).map(Math.fround), exact)

  const original = Array.from(randomFloat32(200, 3)).map((x) => Math.max(-60000, Math.min(60000, x)))
  const { rows: [r2] } = await pg.query('SELECT $1::halfvec::text AS t', [toSql(original)])
  assert.deepEqual(fromSql(r2.t).map(Math.fround), original.map(toHalf))
})

test('sparsevec: indices and values survive the round trip, distances match dense ones', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  await pg.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
  const a = new SparseVector(1_000_000, [0, 17, 4_242, 999_999], [0.5, -3, 1e-3, 250])
  const b = new SparseVector(1_000_000, [17, 500_000], [2, 4])
  const { rows: [r] } = await pg.query(
    'SELECT $1::sparsevec::text AS t, $1::sparsevec <-> $2::sparsevec AS l2',
    [toSql(a), toSql(b)],
  )
  const back = sparsevecFromSql(r.t)
  assert.equal(back.dimensions, a.dimensions)
  assert.deepEqual(back.indices, a.indices)
  assert.deepEqual(back.values.map(Math.fround), a.values.map(Math.fround))
  const expected = Math.sqrt(
    Math.fround(0.5) ** 2 + (-3 - 2) ** 2 + Math.fround(1e-3) ** 2 + 250 ** 2 + 4 ** 2,
  )
  assert.ok(Math.abs(r.l2 - expected) <= 1e-5 * expected, `${r.l2} vs ${expected}`)
})

test('vectorTypes: arrays go in as parameters, numbers come out of rows', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  await pg.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
  const types = await vectorTypes(pg)
  const dense = [0.25, -1, 8]
  const sparse = new SparseVector(4, [1], [3])
  const { rows: [r] } = await pg.query(
    'SELECT $1::vector AS v, $2::halfvec AS h, $3::sparsevec AS s, $1::vector <-> $4::vector AS d',
    [dense, new Float32Array(dense), sparse, [0.25, 2, 4]],
    types,
  )
  assert.deepEqual(r.v, dense)
  assert.deepEqual(r.h, dense)
  assert.ok(r.s instanceof SparseVector)
  assert.deepEqual(r.s.toArray(), [0, 3, 0, 0])
  assert.ok(Math.abs(r.d - 5) < 1e-6, `distance ${r.d}`)
})

test('vectorTypes: says what to do when the extension is not created yet', { skip }, async () => { // skipped only before scripts/build/wasm.sh has built the bundle
  const { PGlite } = await import('@electric-sql/pglite')
  const bare = await PGlite.create()
  try {
    await assert.rejects(vectorTypes(bare), /CREATE EXTENSION ruvector/)
  } finally {
    await bare.close()
  }
})
