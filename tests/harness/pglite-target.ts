// Target (a): PGlite 0.5.16 in this process, with the extension bundle loaded at startup.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { PGlite, type Extension } from '@electric-sql/pglite'
import { config } from './config'
import { SqlError, type Target } from './target'
import { collectRows, binaryQueryMessages, splitMessages } from './wire'

async function loadExtension(name: ConformanceExtension): Promise<Extension> {
  const ext: Extension = name === 'vector'
    ? (await import('@electric-sql/pglite-pgvector')).vector
    : (await import('@ruvector/pglite')).ruvector
  // A missing bundle otherwise surfaces as a vague fetch error deep inside PGlite.
  const { bundlePath } = await ext.setup(undefined as never, {})
  if (bundlePath?.protocol === 'file:' && !existsSync(fileURLToPath(bundlePath))) {
    throw new Error(`pglite target: extension bundle ${fileURLToPath(bundlePath)} does not exist` +
      (name === 'ruvector' ? ' (built by scripts/build/wasm.sh)' : ''))
  }
  return ext
}

type ConformanceExtension = typeof config.extension

function rethrow(err: unknown): never {
  throw SqlError.from(err)
}

/** `snapshot`: an initdb'd data dir tarball to start from instead of running initdb again. */
export async function openPglite(extension: ConformanceExtension, snapshot: string | null): Promise<Target> {
  const db = await PGlite.create({
    extensions: { [extension]: await loadExtension(extension) },
    loadDataDir: snapshot ? new Blob([readFileSync(snapshot)]) : undefined,
  })
  try {
    await db.exec(`CREATE EXTENSION ${extension}`)
  } catch (err) {
    await db.close()
    throw SqlError.from(err)
  }
  return {
    name: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      const res = await db.query<T>(sql, params).catch(rethrow)
      return res.rows
    },
    async exec(sql: string) {
      await db.exec(sql).catch(rethrow)
    },
    async queryBinary(sql: string, params: Uint8Array[]) {
      const out = await db.execProtocolRaw(binaryQueryMessages(sql, params))
      const { messages, rest } = splitMessages(out)
      if (rest.length) throw new Error('wire: trailing partial message from PGlite')
      return collectRows(messages)
    },
    async close() {
      await db.close()
    },
  }
}
