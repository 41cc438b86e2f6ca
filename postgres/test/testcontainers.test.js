// The testcontainers helper as a user's test would use it: with a Docker engine, start the
// ruvector image and check distances against a JS reference; without one, skip with the
// helper's reason (the path every machine without Docker, including this project's CI, takes).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { containerRuntime, startRuvectorPostgres } from '../testcontainers.js'

const runtime = await containerRuntime()
if (!runtime.available) console.log(`# ruvector container test skipped: ${runtime.reason}`)

test('containerRuntime() gives a reason either way', () => {
  if (runtime.available) assert.match(runtime.reason, /^container runtime at \S+/)
  else assert.match(runtime.reason, /^no Docker engine reachable \(testcontainers: .+\); start Docker, or set DOCKER_HOST/)
})

const l2 = (a, b) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0))
const cosineDistance = (a, b) => {
  const dot = a.reduce((s, x, i) => s + x * b[i], 0)
  return 1 - dot / (Math.hypot(...a) * Math.hypot(...b))
}

test('ruvector in the postgres image: distances match a JS reference',
  { skip: runtime.available ? false : runtime.reason, timeout: 600_000 }, async () => { // skipped where no container runtime runs (Docker is not reachable here): runtime.reason says which
    const server = await startRuvectorPostgres()
    const client = new pg.Client({ connectionString: server.connectionUri })
    try {
      await client.connect()
      const a = [1, 2, 3.5], b = [-4, 0.25, 6]
      const { rows } = await client.query(
        'SELECT ($1::vector <-> $2::vector) AS l2, ($1::vector <=> $2::vector) AS cos', [`[${a}]`, `[${b}]`])
      assert.ok(Math.abs(rows[0].l2 - l2(a, b)) < 1e-5, `l2 ${rows[0].l2} vs ${l2(a, b)}`)
      assert.ok(Math.abs(rows[0].cos - cosineDistance(a, b)) < 1e-5, `cosine ${rows[0].cos} vs ${cosineDistance(a, b)}`)
    } finally {
      await client.end().catch(() => {})
      await server.stop()
    }
  })
