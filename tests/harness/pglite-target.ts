// Target (a): PGlite 0.5.16 in this process, with the extension bundle loaded at startup. The
// instance lives on a worker thread (pglite-worker.mjs) so that a query which never returns
// fails its test after a timeout instead of freezing the whole run.
import { Worker } from 'node:worker_threads'
import { config, type ConformanceConfig } from './config'
import { SqlError, type Target } from './target'
import { binaryQueryMessages, collectRows, splitMessages } from './wire'

const QUERY_TIMEOUT_MS = config.queryTimeoutMs
// Opening includes compiling the wasm and loading the bundle; allow for a busy machine.
const OPEN_TIMEOUT_MS = Math.max(QUERY_TIMEOUT_MS, 120_000)

interface WorkerError {
  message: string; code?: string; severity?: string; detail?: string; hint?: string; stack?: string
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError }

class PgliteWorker {
  private readonly worker: Worker
  private nextId = 0
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  private dead: Error | undefined

  constructor(extension: string, snapshot: string | null, dataDir?: string, settings?: Record<string, string>) {
    this.worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { extension, snapshot, dataDir, settings } })
    this.worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id)
      if (!p) return
      this.pending.delete(reply.id)
      if (reply.ok) p.resolve(reply.result)
      else p.reject(toError(reply.error))
    })
    const die = (err: Error) => {
      this.dead ??= err
      for (const p of this.pending.values()) p.reject(err)
      this.pending.clear()
    }
    this.worker.on('error', die)
    this.worker.on('exit', (code) => die(new Error(`pglite target: worker exited (code ${code})`)))
  }

  call<T>(op: string, args: Record<string, unknown>, what: string, timeoutMs = QUERY_TIMEOUT_MS): Promise<T> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new Error(`pglite target: no answer within ${timeoutMs} ms to ${what}; the instance was terminated`)
        this.dead = err
        reject(err)
        void this.worker.terminate()
      }, timeoutMs)
      this.pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v as T) },
        reject: (e) => { clearTimeout(timer); reject(e) },
      })
      this.worker.postMessage({ id, op, args })
    })
  }

  async close(): Promise<void> {
    if (!this.dead) await this.call('close', {}, 'close').catch(() => undefined)
    await this.worker.terminate()
  }
}

function toError(e: WorkerError): Error {
  const sql = SqlError.from(e)
  if (sql instanceof SqlError) return sql
  const err = new Error(e.message)
  if (e.stack) err.stack = e.stack
  return err
}

const describeSql = (sql: string) => JSON.stringify(sql.length > 200 ? `${sql.slice(0, 200)}…` : sql)

/**
 * `snapshot`: an initdb'd data dir tarball to start from instead of running initdb again.
 * `dataDir`: keep the cluster in this host directory instead (initdb'd there on first open), so
 * that a later openPglite of the same directory sees what this one left.
 */
export async function openPglite(
  extension: ConformanceConfig['extension'], snapshot: string | null,
  opts: { dataDir?: string; settings?: Record<string, string> } = {},
): Promise<Target> {
  const w = new PgliteWorker(extension, snapshot, opts.dataDir, opts.settings)
  try {
    await w.call('open', {}, 'PGlite.create + CREATE EXTENSION', OPEN_TIMEOUT_MS)
  } catch (err) {
    await w.close()
    throw err
  }
  return {
    name: 'pglite',
    query: <T>(sql: string, params?: unknown[]) => w.call<T[]>('query', { sql, params }, describeSql(sql)),
    exec: (sql: string, opts?: { timeoutMs?: number }) =>
      w.call<void>('exec', { sql }, describeSql(sql), opts?.timeoutMs ?? QUERY_TIMEOUT_MS),
    notices: (sql: string, opts?: { timeoutMs?: number }) =>
      w.call<string[]>('notices', { sql }, describeSql(sql), opts?.timeoutMs ?? QUERY_TIMEOUT_MS),
    async queryBinary(sql: string, params: Uint8Array[]) {
      const out = await w.call<Uint8Array>('raw', { bytes: binaryQueryMessages(sql, params) }, describeSql(sql))
      const { messages, rest } = splitMessages(out)
      if (rest.length) throw new Error('wire: trailing partial message from PGlite')
      return collectRows(messages)
    },
    close: () => w.close(),
  }
}
