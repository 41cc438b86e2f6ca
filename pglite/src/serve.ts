// PGlite with ruvector behind a Postgres wire-protocol socket, so psql, psycopg, JDBC, Go's pgx
// and every other Postgres client can use it with nothing but Node installed.
// Node only (TCP sockets): kept out of the browser entry point src/index.ts.
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { lockDataDir } from './data-dir-lock.js'
import { ruvector } from './index.js'

export interface ServeOptions {
  /** Directory holding the database; created if missing. Omitted: in memory, lost on close. */
  dataDir?: string
  /** TCP port; 0 lets the OS choose one (read it back from `port`). Default 5432. */
  port?: number
  /** Address to listen on. Default 127.0.0.1: only this machine can connect. */
  host?: string
}

export interface RunningServer {
  readonly host: string
  readonly port: number
  /** Absolute path of the data directory, or undefined when in memory. */
  readonly dataDir: string | undefined
  /** A libpq connection string for this server. */
  readonly url: string
  /** Stops accepting clients, rolls back an open transaction, then shuts PGlite down cleanly. */
  close(): Promise<void>
}

/**
 * Opens (or creates) the database, runs `CREATE EXTENSION IF NOT EXISTS ruvector` in it and
 * listens for one Postgres client at a time: PGlite is a single backend, so the socket server
 * turns a second concurrent connection away (see README.md, "One connection at a time").
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir)
  const host = options.host ?? '127.0.0.1'
  const unlock = dataDir === undefined ? () => {} : lockDataDir(dataDir)
  let db: PGlite
  try {
    db = await PGlite.create({ dataDir, extensions: { ruvector } })
  } catch (error) {
    unlock()
    throw error
  }
  let server: PGLiteSocketServer
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS ruvector')
    server = new PGLiteSocketServer({ db, host, port: options.port ?? 5432, maxConnections: 1 })
    // Every client talks to the same single backend, so one client's session state (prepared
    // statements, SET, temp tables, LISTEN) would meet the next: psycopg, for one, names its
    // prepared statements _pg3_0, _pg3_1, ... in every connection and fails on the second
    // client. Reset the session when a client attaches, as pgbouncer does with DISCARD ALL.
    // It runs before the client's first message: the socket's data is handled on a later
    // event-loop turn and queues behind this on PGlite's lock (and behind the previous
    // client's ROLLBACK, queued when it left).
    server.addEventListener('connection', () => {
      db.exec('DISCARD ALL').catch((error) =>
        console.error(`ruvector-pglite: could not reset the session for a new client: ${error.message}`),
      )
    })
    await server.start()
  } catch (error) {
    await db.close()
    unlock()
    throw error
  }
  const port = Number(server.getServerConn().split(':').pop())

  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      // stop() resolves once the client's socket is gone, which its handler ends only after
      // rolling back a transaction the client left open; db.close() then waits on PGlite's lock
      // for a query still running, and shuts the backend down (checkpoint, files flushed).
      await server.stop()
      await db.close()
      unlock()
    })())

  return {
    host,
    port,
    dataDir,
    url: `postgresql://postgres@${host.includes(':') ? `[${host}]` : host}:${port}/postgres?sslmode=disable`,
    close,
  }
}
