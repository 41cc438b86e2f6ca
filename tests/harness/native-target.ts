// Target (b): the PostgreSQL 15 server started by native-server.ts, through node-postgres.
// Each test file gets its own database, the native counterpart of a fresh PGlite instance.
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import pg from 'pg'
import { config } from './config'
import type { NativeServerInfo } from './native-server'
import { SqlError, type Target } from './target'
import {
  binaryQueryMessages, checkStartup, collectRows, splitMessages, startupMessage, terminateMessage,
  type BackendMessage,
} from './wire'

function rethrow(err: unknown): never {
  throw SqlError.from(err)
}

/** A raw protocol connection; requests are serialized, each answered up to ReadyForQuery. */
class WireConnection {
  private buffered: Uint8Array = new Uint8Array(0)
  private pending: BackendMessage[] = []
  private waiter: ((err?: Error) => void) | undefined
  private failure: Error | undefined
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      const joined = new Uint8Array(this.buffered.length + chunk.length)
      joined.set(this.buffered)
      joined.set(chunk, this.buffered.length)
      const { messages, rest } = splitMessages(joined)
      this.buffered = rest.slice()
      this.pending.push(...messages)
      if (messages.some((m) => m.type === 'Z')) this.waiter?.()
    })
    const fail = (err: Error) => {
      this.failure = err
      this.waiter?.(err)
    }
    socket.on('error', fail)
    socket.on('close', () => fail(new Error('wire: native connection closed')))
  }

  static async open(info: NativeServerInfo, database: string): Promise<WireConnection> {
    const socket = connect({ host: info.host, port: info.port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    const conn = new WireConnection(socket)
    checkStartup(await conn.send(startupMessage(info.user, database, { statement_timeout: String(config.queryTimeoutMs) })))
    return conn
  }

  private async send(bytes: Uint8Array): Promise<BackendMessage[]> {
    if (this.failure) throw this.failure
    let timer: NodeJS.Timeout | undefined
    const done = new Promise<void>((resolve, reject) => {
      this.waiter = (err) => (err ? reject(err) : resolve())
      // Same budget as the pg client: a backend that never answers fails the test, not the run.
      timer = setTimeout(() => {
        this.failure = new Error(`wire: no ReadyForQuery within ${config.queryTimeoutMs + 5_000} ms`)
        this.socket.destroy()
        reject(this.failure)
      }, config.queryTimeoutMs + 5_000)
    })
    this.socket.write(bytes)
    try {
      await done
    } finally {
      clearTimeout(timer)
      this.waiter = undefined
    }
    const idx = this.pending.findIndex((m) => m.type === 'Z')
    return this.pending.splice(0, idx + 1)
  }

  roundTrip(bytes: Uint8Array): Promise<BackendMessage[]> {
    const next = this.queue.then(() => this.send(bytes))
    this.queue = next.catch(() => undefined)
    return next
  }

  close(): void {
    if (!this.failure) this.socket.end(terminateMessage())
    this.failure = new Error('wire: closed')
  }
}

export async function openNative(info: NativeServerInfo, extension: string): Promise<Target> {
  // The server cancels statements that run too long (if the code checks for interrupts); the
  // client stops waiting either way, so a hang fails its test instead of the whole run.
  const base = {
    host: info.host, port: info.port, user: info.user,
    statement_timeout: config.queryTimeoutMs, query_timeout: config.queryTimeoutMs + 5_000,
  }
  const database = `conformance_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ ...base, database: 'postgres' })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${database}`)
  } finally {
    await admin.end()
  }
  const client = new pg.Client({ ...base, database })
  await client.connect()
  try {
    await client.query(`CREATE EXTENSION ${extension}`)
  } catch (err) {
    await client.end()
    throw SqlError.from(err)
  }
  let wire: WireConnection | undefined
  const exec = async (sql: string, opts?: { timeoutMs?: number }) => {
    if (opts?.timeoutMs === undefined) {
      await client.query(sql).catch(rethrow)
      return
    }
    // RESET returns to the connection's own statement_timeout (a startup parameter).
    await client.query(`SET statement_timeout = ${Math.round(opts.timeoutMs)}`).catch(rethrow)
    try {
      // node-postgres reads query_timeout per query too; its type definitions do not declare it.
      const query = { text: sql, query_timeout: opts.timeoutMs + 5_000 } as pg.QueryConfig
      await client.query(query).catch(rethrow)
    } finally {
      await client.query('RESET statement_timeout').catch(rethrow)
    }
  }

  return {
    name: 'native',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await client.query(sql, params).catch(rethrow)
      return res.rows as T[]
    },
    exec,
    async notices(sql: string, opts?: { timeoutMs?: number }) {
      const seen: string[] = []
      const listen = (notice: { message?: string }) => seen.push(notice.message ?? '')
      client.on('notice', listen)
      try {
        await exec(sql, opts)
      } finally {
        client.off('notice', listen)
      }
      return seen
    },
    async queryBinary(sql: string, params: Uint8Array[]) {
      wire ??= await WireConnection.open(info, database)
      return collectRows(await wire.roundTrip(binaryQueryMessages(sql, params)))
    },
    async close() {
      wire?.close()
      await client.end()
    },
  }
}
