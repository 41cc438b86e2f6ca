// Native PostgreSQL 15, started by the conformance suite's harness (tests/harness/native-server.ts)
// in a temp dir on 127.0.0.1. Each extension gets its own database (both define a type named
// `vector`), each method a fresh connection, so a backend's peak RSS belongs to one method.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import type { Dataset } from '../dataset.ts'
import type { Extension } from '../methods.ts'
import { status } from '../progress.ts'
import { loadItems } from './load.ts'
import type { Availability, Session, Target } from './types.ts'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')

export interface NativeOptions {
  /** Run scripts/setup/pgvector-native.sh first (idempotent; builds pgvector from Debian's source). */
  setup: boolean
  /** The harness starts with PostgreSQL's 128MB; the index and table of a full run do not fit. */
  sharedBuffers: string
}

function backendPeak(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

function wrap(client: pg.Client, pid: number): Session {
  return {
    async exec(sql) {
      await client.query(sql)
    },
    async rows<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[]
    },
    async knn(sql, vector) {
      // Named: parsed and planned once per connection, as an application's prepared query would be.
      const res = await client.query({ name: 'knn', text: sql, values: [vector], rowMode: 'array' })
      return res.rows.map((r) => r[0] as number)
    },
    async peakMemory() {
      return backendPeak(pid)
    },
    async close() {
      await client.end()
    },
  }
}

export async function openNativeTarget(opts: NativeOptions): Promise<Target> {
  if (opts.setup) {
    status('native: scripts/setup/pgvector-native.sh')
    const r = spawnSync('bash', [join(REPO, 'scripts/setup/pgvector-native.sh')], { stdio: ['ignore', 2, 2] })
    if (r.status !== 0) status(`native: pgvector set-up exited with ${r.status}; pgvector rows may be unavailable`)
  }
  const { startNativeServer } = await import('../../../../tests/harness/native-server.ts')
  // The bench checks each extension itself (an unbuilt ruvector is reported, not fatal).
  const { info, stop } = await startNativeServer({
    requireExtensions: [],
    settings: { shared_buffers: opts.sharedBuffers },
  })
  const connect = async (database: string) => {
    const c = new pg.Client({ host: info.host, port: info.port, user: info.user, database })
    await c.connect()
    return c
  }

  let serverVersion = ''
  try {
    const check = await connect('postgres')
    serverVersion = ((await check.query('SELECT version() AS v')).rows[0].v as string).replace(/ on x86_64.*$/, '')
    await check.end()
  } catch (err) {
    await stop()
    throw err
  }

  const db = (ext: Extension) => `bench_${ext}`
  return {
    name: 'native',
    serverVersion,
    memoryKind: 'peak RSS of the backend process (VmHWM in /proc/PID/status of pg_backend_pid(); includes the shared_buffers pages it touched)',
    async prepare(ext: Extension, ds: Dataset): Promise<Availability> {
      const admin = await connect('postgres')
      try {
        const avail = await admin.query('SELECT default_version FROM pg_available_extensions WHERE name = $1', [ext])
        if (avail.rowCount === 0) {
          return { ok: false, reason: `${ext}.control is not installed in this PostgreSQL 15 (${ext === 'vector' ? 'scripts/setup/pgvector-native.sh' : 'npm run build'} installs it)` }
        }
        await admin.query(`DROP DATABASE IF EXISTS ${db(ext)}`)
        await admin.query(`CREATE DATABASE ${db(ext)}`)
      } finally {
        await admin.end()
      }
      const client = await connect(db(ext))
      try {
        try {
          await client.query(`CREATE EXTENSION ${ext}`)
        } catch (err) {
          return { ok: false, reason: `CREATE EXTENSION ${ext} failed: ${(err as Error).message}` }
        }
        const version = (await client.query('SELECT extversion FROM pg_extension WHERE extname = $1', [ext])).rows[0].extversion as string
        await loadItems(wrap(client, 0), ds, `native/${ext}`)
        return { ok: true, version }
      } finally {
        await client.end()
      }
    },
    async session(ext: Extension) {
      const client = await connect(db(ext))
      const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
      return wrap(client, pid)
    },
    async release(ext: Extension) {
      const admin = await connect('postgres')
      await admin.query(`DROP DATABASE IF EXISTS ${db(ext)}`).finally(() => admin.end())
    },
    async close() {
      await stop()
    },
  }
}
