// One server per data directory: PGlite itself would let a second process open the directory
// and both would write it. A pid file left by a server that was killed must not lock it out.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from './server.mjs'

test('a second server on the same --data dir refuses to start; the first keeps it', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruvector-serve-lock-'))
  const first = await startServer(join(dir, 'db'))
  try {
    await assert.rejects(startServer(join(dir, 'db')), /exited with 1 before listening[\s\S]*is in use by process \d+/)
    assert.ok(existsSync(join(dir, 'db', 'ruvector-pglite.pid')))
    const stopped = await first.stop()
    assert.equal(stopped.code, 0, stopped.output)
    assert.ok(!existsSync(join(dir, 'db', 'ruvector-pglite.pid')), 'pid file removed on close')
  } finally {
    await first.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a pid file naming a process that is gone does not block the data dir', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruvector-serve-stale-'))
  mkdirSync(join(dir, 'db'))
  // pid_max is at most 2^22 on Linux: this process cannot exist.
  writeFileSync(join(dir, 'db', 'ruvector-pglite.pid'), `${2 ** 22 + 1}\n`)
  const server = await startServer(join(dir, 'db'))
  const stopped = await server.stop()
  assert.equal(stopped.code, 0, stopped.output)
  rmSync(dir, { recursive: true, force: true })
})
