// Debian's psql against `ruvector-pglite serve`: a table, an hnsw index and top-k queries whose
// distances are checked against exact search computed here; the one-connection limit as a
// client sees it; and a SIGTERM with a transaction open, after which the data dir must reopen
// with the committed rows and a sound index.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { startServer } from './server.mjs'

const ROWS = 300
const DIMENSIONS = 8
const K = 5

// Multiples of 1/64 in [-2, 2): exact in float32, so the server and this file start from the
// same numbers.
function vectors(count, seed) {
  let s = seed
  return Array.from({ length: count }, () =>
    Array.from({ length: DIMENSIONS }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      return ((s >>> 8) % 256) / 64 - 2
    }),
  )
}
const items = vectors(ROWS, 11)
const queries = vectors(6, 97)
const literal = (v) => `[${v.join(',')}]`
const l2 = (a, b) => Math.sqrt(a.reduce((sum, x, i) => sum + (x - b[i]) ** 2, 0))

function psql(url, ...args) {
  const result = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (result.error) throw result.error
  return result
}
function psqlOk(url, ...args) {
  const result = psql(url, ...args)
  assert.equal(result.status, 0, `psql ${args.join(' ')} failed:\n${result.stderr}`)
  return result.stdout.trim().split('\n').filter((line) => line !== '')
}

// psql reading SQL from a pipe: one connection held open while the test does other things.
function interactivePsql(url) {
  const child = spawn('psql', ['-X', '-A', '-t', '-d', url], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    exited,
    async run(sql, marker) {
      child.stdin.write(`${sql}\nSELECT '${marker}';\n`)
      for (let waited = 0; !stdout.includes(marker); waited += 50) {
        if (waited > 30_000) throw new Error(`psql never printed ${marker}: ${stdout}`)
        await sleep(50)
      }
    },
    end: () => child.stdin.end(),
  }
}

const queryLines = (url) =>
  psqlOk(
    url,
    '-c',
    'SET enable_seqscan = off', // 300 rows: the planner would rightly scan them, as with pgvector
    '-c',
    'SET hnsw.ef_search = 100',
    ...queries.flatMap((q, n) => [
      '-c',
      `SELECT ${n}, id, embedding <-> '${literal(q)}' FROM items ORDER BY embedding <-> '${literal(q)}' LIMIT ${K}`,
    ]),
  )

function assertMatchesExactSearch(lines) {
  assert.equal(lines.length, queries.length * K, lines.join('\n'))
  queries.forEach((q, n) => {
    const got = lines.filter((line) => line.startsWith(`${n}|`)).map((line) => line.split('|').map(Number))
    const exact = items.map((v, i) => l2(v, q)).sort((a, b) => a - b).slice(0, K)
    got.forEach(([, id, distance], rank) => {
      // each reported distance is the true one for that row, and the ranking is the exact one
      assert.ok(Math.abs(distance - l2(items[id - 1], q)) < 1e-4, `query ${n} row ${id}: ${distance}`)
      assert.ok(Math.abs(distance - exact[rank]) < 1e-4, `query ${n} rank ${rank}: ${distance} vs exact ${exact[rank]}`)
    })
  })
}

let dataDir
let server
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ruvector-serve-psql-'))
  server = await startServer(join(dataDir, 'db'))
})
after(async () => {
  await server?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

test('psql: table, inserts, hnsw index, top-k equal to exact search', { timeout: 120_000 }, async () => {
  const values = items.map((v, i) => `(${i + 1}, '${literal(v)}')`).join(',\n')
  psqlOk(
    server.url,
    '-c',
    `CREATE TABLE items (id int PRIMARY KEY, embedding vector(${DIMENSIONS}))`,
    '-c',
    `INSERT INTO items VALUES ${values}`,
    '-c',
    'CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)',
  )
  assert.deepEqual(psqlOk(server.url, '-c', 'SELECT count(*) FROM items'), [String(ROWS)])
  const plan = psqlOk(
    server.url,
    '-c',
    'SET enable_seqscan = off',
    '-c',
    `EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding <-> '${literal(queries[0])}' LIMIT ${K}`,
  ).join('\n')
  assert.match(plan, /Index Scan using items_hnsw/)
  assertMatchesExactSearch(queryLines(server.url))
})

test('a second client is turned away while one is connected; it gets in after', { timeout: 120_000 }, async () => {
  const first = interactivePsql(server.url)
  await first.run('SELECT 1;', 'first-connected')
  const second = psql(server.url, '-c', 'SELECT 1')
  assert.equal(second.status, 2, `second client: ${second.stdout}${second.stderr}`)
  assert.match(second.stderr, /server closed the connection unexpectedly/)
  first.end()
  assert.equal(await first.exited, 0)
  // The server frees the slot when it sees the first socket close, a moment after psql exits.
  let third
  for (let attempt = 0; attempt < 20; attempt++) {
    third = psql(server.url, '-c', "SELECT 'third'")
    if (third.status === 0) break
    await sleep(100)
  }
  assert.equal(third.status, 0, third.stderr)
  assert.equal(third.stdout.trim(), 'third')
})

test("one client's session state does not reach the next (DISCARD ALL on connect)", { timeout: 60_000 }, () => {
  const defaults = psqlOk(server.url, '-c', 'SHOW work_mem')
  psqlOk(server.url, '-c', 'PREPARE leftover AS SELECT 1', '-c', "SET work_mem = '7MB'", '-c', 'CREATE TEMP TABLE scratch (x int)')
  const next = psqlOk(
    server.url,
    '-c',
    'SELECT count(*) FROM pg_prepared_statements',
    '-c',
    'SHOW work_mem',
    '-c',
    "SELECT to_regclass('pg_temp.scratch') IS NULL",
  )
  assert.deepEqual(next, ['0', defaults[0], 't'])
  assert.notEqual(defaults[0], '7MB')
})

test('SIGTERM with a transaction open: clean exit, restart finds committed rows and the index', { timeout: 180_000 }, async () => {
  const before = queryLines(server.url)
  const client = interactivePsql(server.url)
  await client.run(`BEGIN; INSERT INTO items VALUES (${ROWS + 1}, '${literal(queries[0])}');`, 'in-transaction')
  const stopped = await server.stop('SIGTERM')
  assert.equal(stopped.code, 0, stopped.output)
  assert.match(stopped.output, /SIGTERM, closing the database[\s\S]*closed/)
  client.end()
  await client.exited

  server = await startServer(join(dataDir, 'db'))
  assert.deepEqual(psqlOk(server.url, '-c', 'SELECT count(*), max(id) FROM items'), [`${ROWS}|${ROWS}`])
  assert.deepEqual(psqlOk(server.url, '-c', "SELECT * FROM ruvector_index_check('items_hnsw')"), [])
  const plan = psqlOk(
    server.url,
    '-c',
    'SET enable_seqscan = off',
    '-c',
    `EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding <-> '${literal(queries[1])}' LIMIT 1`,
  )
  assert.match(plan.join('\n'), /Index Scan using items_hnsw/)
  const afterRestart = queryLines(server.url)
  assert.deepEqual(afterRestart, before)
  assertMatchesExactSearch(afterRestart)
})
