// Python (psycopg 3 + pgvector-python + numpy, in the venv scripts/python-venv.sh makes) against
// `ruvector-pglite serve`: the example examples/python/rag.py as a user runs it, then its
// functions on 1,000 random vectors, checked against exact search computed here; then the server
// is restarted on the same data directory and the rows, the index and the answers must persist.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from './server.mjs'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const example = join(repo, 'examples/python/rag.py')
const check = fileURLToPath(new URL('./rag_check.py', import.meta.url))

let python
let dataDir
let server
before(async () => {
  // Builds the venv on first use (cached), then only prints its python.
  python = execFileSync('bash', [join(repo, 'scripts/python-venv.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
  dataDir = mkdtempSync(join(tmpdir(), 'ruvector-serve-python-'))
  server = await startServer(join(dataDir, 'db'))
})
after(async () => {
  await server?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const runPython = (...args) => execFileSync(python, args, { encoding: 'utf8', timeout: 120_000 })

function cosineDistance(a, b) {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return 1 - dot / Math.sqrt(na * nb)
}

// The example's toy embedding, rewritten here: hashed bag of words, 64 dimensions.
function embed(text) {
  const v = new Array(64).fill(0)
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    v[Number(BigInt('0x' + createHash('sha1').update(word).digest('hex')) % 64n)] += 1
  }
  return v
}

test('examples/python/rag.py prints the documents nearest to its question', { timeout: 120_000 }, () => {
  const output = runPython(example, server.url)
  const question = /^question: (.*)$/m.exec(output)[1]
  const documents = [...output.matchAll(/^ {2}(\d\.\d{4}) {2}#(\d+) {2}(.*)$/gm)].map((m) => ({
    distance: Number(m[1]),
    id: Number(m[2]),
    content: m[3],
  }))
  assert.equal(documents.length, 3, output)
  // The example inserts its DOCUMENTS in order, so ids are 1-based positions; read them back.
  const source = runPython('-c', `import sys; sys.path.insert(0, ${JSON.stringify(join(repo, 'examples/python'))}); import json, rag; print(json.dumps(rag.DOCUMENTS))`)
  const all = JSON.parse(source)
  const exact = all
    .map((content, i) => ({ id: i + 1, content, distance: cosineDistance(embed(content), embed(question)) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3)
  assert.deepEqual(documents.map((d) => d.id), exact.map((d) => d.id))
  documents.forEach((d, i) => {
    assert.equal(d.content, exact[i].content)
    assert.ok(Math.abs(d.distance - exact[i].distance) < 1e-4, `${d.distance} vs exact ${exact[i].distance}`)
  })
})

function checkAgainstExactSearch(report) {
  const { data, queries, results } = report
  let found = 0
  let wanted = 0
  queries.forEach((q, n) => {
    const exact = data
      .map((v, i) => ({ id: i + 1, distance: cosineDistance(v, q) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, results[n].length)
    const exactIds = new Set(exact.map((e) => e.id))
    results[n].forEach(([id, content, distance], rank) => {
      assert.equal(content, `document ${id - 1}`)
      assert.ok(Math.abs(distance - cosineDistance(data[id - 1], q)) < 1e-5, `query ${n} id ${id}: ${distance}`)
      if (rank > 0) assert.ok(distance >= results[n][rank - 1][2], `query ${n}: results out of order`)
      if (exactIds.has(id)) found++
    })
    wanted += exact.length
  })
  // hnsw is approximate; with ef_search = 100 on 1,000 rows it should miss almost nothing.
  assert.ok(found / wanted >= 0.95, `recall ${found}/${wanted} against exact search`)
}

let firstRun
test('psycopg + pgvector: numpy vectors in, hnsw top-k equal to exact search', { timeout: 180_000 }, () => {
  firstRun = JSON.parse(runPython(check, server.url, 'write'))
  assert.equal(firstRun.count, 1000)
  assert.match(firstRun.plan, /Index Scan using documents_embedding/)
  assert.equal(firstRun.first_row_dtype, 'float32')
  assert.equal(firstRun.first_row_equal, true)
  checkAgainstExactSearch(firstRun)
})

test('restart on the same --data dir: rows, index and answers persist', { timeout: 180_000 }, async () => {
  assert.ok(firstRun, 'needs the previous test')
  const stopped = await server.stop('SIGINT')
  assert.equal(stopped.code, 0, stopped.output)
  server = await startServer(join(dataDir, 'db'))
  const again = JSON.parse(runPython(check, server.url, 'read'))
  assert.equal(again.count, 1000)
  assert.match(again.plan, /Index Scan using documents_embedding/)
  assert.deepEqual(again.results, firstRun.results)
  checkAgainstExactSearch(again)
})
