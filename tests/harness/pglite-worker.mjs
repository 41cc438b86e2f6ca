// Hosts one PGlite instance on a worker thread for pglite-target.ts. PGlite runs its wasm
// synchronously on whatever thread owns it, so an extension stuck in a loop would freeze that
// thread for good; here it freezes only this worker, which the test thread can terminate.
// Plain JavaScript: worker_threads loads this file with Node itself, not through vitest.
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'

async function loadExtension(name) {
  const ext = name === 'vector'
    ? (await import('@electric-sql/pglite-pgvector')).vector
    : (await import('@ruvector/pglite')).ruvector
  // A missing bundle otherwise surfaces as a vague fetch error deep inside PGlite.
  const { bundlePath } = await ext.setup(undefined, {})
  if (bundlePath?.protocol === 'file:' && !existsSync(fileURLToPath(bundlePath))) {
    throw new Error(`pglite target: extension bundle ${fileURLToPath(bundlePath)} does not exist` +
      (name === 'ruvector' ? ' (built by scripts/build/wasm.sh)' : ''))
  }
  return ext
}

function serializeError(err) {
  const e = err ?? {}
  return {
    message: String(e.message ?? e), code: e.code, severity: e.severity, detail: e.detail, hint: e.hint,
    stack: e.stack,
  }
}

const { extension, snapshot, dataDir, settings } = workerData
let db

const handlers = {
  async open() {
    // With a dataDir the cluster lives in that host directory (NodeFS) and outlives the instance;
    // reopening it finds the extension already created.
    db = await PGlite.create({
      dataDir,
      extensions: { [extension]: await loadExtension(extension) },
      loadDataDir: snapshot && !dataDir ? new Blob([readFileSync(snapshot)]) : undefined,
      // Server settings (`-c name=value`) after PGlite's own start parameters.
      startParams: settings
        ? [...PGlite.defaultStartParams, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])]
        : undefined,
    })
    await db.exec(`CREATE EXTENSION ${dataDir ? 'IF NOT EXISTS ' : ''}${extension}`)
  },
  async query({ sql, params }) {
    return (await db.query(sql, params)).rows
  },
  async exec({ sql }) {
    await db.exec(sql)
  },
  async notices({ sql }) {
    const seen = []
    await db.exec(sql, { onNotice: (notice) => seen.push(notice.message) })
    return seen
  },
  async raw({ bytes }) {
    return await db.execProtocolRaw(bytes)
  },
  async close() {
    await db?.close()
  },
}

parentPort.on('message', async ({ id, op, args }) => {
  try {
    const result = await handlers[op](args ?? {})
    parentPort.postMessage({ id, ok: true, result })
  } catch (err) {
    parentPort.postMessage({ id, ok: false, error: serializeError(err) })
  }
})
