// PGlite 0.5.16 in this process. Each extension gets its own instance (both define a type named
// `vector`); the loaded table is dumped once and every method starts from that dump in a fresh
// instance, so each method's wasm-memory peak is its own and not the previous method's.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite, type Extension as PgliteExtension } from '@electric-sql/pglite'
import type { Dataset } from '../dataset.ts'
import type { Extension } from '../methods.ts'
import { loadItems } from './load.ts'
import type { Availability, Session, Target } from './types.ts'

export function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  let dir = dirname(entry)
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string
}

async function bundle(ext: Extension): Promise<PgliteExtension | string> {
  try {
    const mod: PgliteExtension = ext === 'vector'
      ? (await import('@electric-sql/pglite-pgvector')).vector
      : (await import('@ruvector/pglite')).ruvector
    const { bundlePath } = await mod.setup(undefined as never, {})
    if (bundlePath?.protocol === 'file:' && !existsSync(fileURLToPath(bundlePath))) {
      return `bundle ${fileURLToPath(bundlePath)} not built (scripts/build/wasm.sh)`
    }
    return mod
  } catch (err) {
    return `cannot load the PGlite extension package: ${(err as Error).message.split('\n')[0]}`
  }
}

function wasmMemory(db: PGlite): WebAssembly.Memory | undefined {
  // Not public API: PGlite keeps its Emscripten module on `mod`.
  return (db as unknown as { mod?: { wasmMemory?: WebAssembly.Memory } }).mod?.wasmMemory
}

function wrap(db: PGlite): Session {
  return {
    async exec(sql) {
      await db.exec(sql)
    },
    async rows<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows
    },
    async knn(sql, vector) {
      const res = await db.query<[number]>(sql, [vector], { rowMode: 'array' })
      return res.rows.map((r) => r[0])
    },
    async peakMemory() {
      return wasmMemory(db)?.buffer.byteLength ?? null
    },
    async close() {
      await db.close()
    },
  }
}

export async function openPgliteTarget(): Promise<Target> {
  const prepared = new Map<Extension, { ext: PgliteExtension; snapshot: Blob }>()
  let serverVersion = `PGlite ${pgliteVersion()}`
  return {
    name: 'pglite',
    get serverVersion() {
      return serverVersion
    },
    memoryKind: 'wasm linear memory of the PGlite instance (WebAssembly.Memory buffer byteLength; it only grows, so it is the peak; the instance starts near 190 MiB)',
    async prepare(name: Extension, ds: Dataset): Promise<Availability> {
      const ext = await bundle(name)
      if (typeof ext === 'string') return { ok: false, reason: ext }
      const db = await PGlite.create({ extensions: { [name]: ext } })
      try {
        try {
          await db.exec(`CREATE EXTENSION ${name}`)
        } catch (err) {
          return { ok: false, reason: `CREATE EXTENSION ${name} failed: ${(err as Error).message}` }
        }
        const [{ v }] = (await db.query<{ v: string }>('SELECT version() AS v')).rows
        serverVersion = v.replace(/ on wasm32.*$/, '')
        const [{ extversion }] = (await db.query<{ extversion: string }>(
          'SELECT extversion FROM pg_extension WHERE extname = $1', [name])).rows
        await loadItems(wrap(db), ds, `pglite/${name}`)
        prepared.set(name, { ext, snapshot: await db.dumpDataDir('none') })
        return { ok: true, version: extversion }
      } finally {
        await db.close()
      }
    },
    async session(name: Extension) {
      const p = prepared.get(name)
      if (!p) throw new Error(`pglite: ${name} was not prepared`)
      return wrap(await PGlite.create({ extensions: { [name]: p.ext }, loadDataDir: p.snapshot }))
    },
    async release(name: Extension) {
      prepared.delete(name)
    },
    async close() {
      prepared.clear()
    },
  }
}
