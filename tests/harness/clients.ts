// For cases that drive a client library or ORM themselves (the examples under examples/orm):
// they need what the Target interface hides, a PGlite object in this process (drizzle-orm/pglite
// and Kysely's PGliteDialect take the instance itself) or the settings of a native database
// (each library opens its own node-postgres pool). PGlite here runs on the test thread, not on a
// worker like pglite-target.ts: a hung query freezes the file until vitest's timeout, which is
// the price of handing the instance to a library.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { PGlite, type PGliteOptions } from '@electric-sql/pglite'
import pg from 'pg'
import { afterAll, describe, inject } from 'vitest'
import { config, type TargetName } from './config'

/** What node-postgres (and every library built on it) needs to reach one database. */
export interface NativeDatabase {
  host: string
  port: number
  user: string
  database: string
}

export const createExtensionSql = `CREATE EXTENSION IF NOT EXISTS ${config.extension}`

export interface ClientTarget {
  readonly name: TargetName
  /**
   * pglite: options for PGlite.create that load the extension into a copy of the run's empty
   * cluster, for a library that creates the instance itself; run `createExtensionSql` on it.
   */
  pgliteOptions(): Promise<PGliteOptions>
  /** pglite: an instance with the extension created, closed after the block. */
  openPglite(): Promise<PGlite>
  /** native: a database of its own with the extension created. */
  nativeDatabase(): Promise<NativeDatabase>
}

async function pgliteOptions(): Promise<PGliteOptions> {
  const extension = config.extension === 'vector'
    ? (await import('@electric-sql/pglite-pgvector')).vector
    : (await import('@ruvector/pglite')).ruvector
  const snapshot = inject('pgliteSnapshot')
  return {
    extensions: { [config.extension]: extension },
    loadDataDir: snapshot ? new Blob([readFileSync(snapshot)]) : undefined,
  }
}

async function nativeDatabase(): Promise<NativeDatabase> {
  const info = inject('nativeServer')
  if (!info) throw new Error('native target requested but globalSetup started no server')
  const db = { host: info.host, port: info.port, user: info.user, database: `clients_${process.pid}_${randomBytes(4).toString('hex')}` }
  const admin = new pg.Client({ ...db, database: 'postgres' })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${db.database}`)
  } finally {
    await admin.end()
  }
  const client = new pg.Client(db)
  await client.connect()
  try {
    await client.query(createExtensionSql)
  } finally {
    await client.end()
  }
  return db
}

/** Runs `body` once per configured target, with the target's name and extension in the title. */
export function describeClients(title: string, body: (target: ClientTarget) => void): void {
  for (const name of config.targets) {
    describe(`[${name}:${config.extension}] ${title}`, () => {
      const opened: PGlite[] = []
      const only = <T>(want: TargetName, what: string, fn: () => Promise<T>) => () => {
        if (name !== want) throw new Error(`${what} is for the ${want} target, not ${name}`)
        return fn()
      }
      afterAll(async () => {
        // A library may have closed it already (Kysely's destroy does).
        for (const db of opened) if (!db.closed) await db.close()
      })
      body({
        name,
        pgliteOptions: only('pglite', 'pgliteOptions', pgliteOptions),
        openPglite: only('pglite', 'openPglite', async () => {
          const db = await PGlite.create(await pgliteOptions())
          opened.push(db)
          await db.exec(createExtensionSql)
          return db
        }),
        nativeDatabase: only('native', 'nativeDatabase', nativeDatabase),
      })
    })
  }
}
