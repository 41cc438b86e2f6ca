// Exact top-k ids per query, computed once by brute force and cached on disk under the dataset's
// key, since at 100k × 384 it costs tens of seconds that every rerun would otherwise repeat.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Dataset } from './dataset.ts'
import { progress } from './progress.ts'

export interface GroundTruth {
  k: number
  /** nq × k row ids, nearest first. */
  ids: Int32Array
  cached: boolean
  seconds: number
}

function shared(a: Float32Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength)
  new Float32Array(sab).set(a)
  return sab
}

async function compute(ds: Dataset, k: number, threads: number): Promise<Int32Array> {
  const base = shared(ds.base)
  const queries = shared(ds.queries)
  const bar = progress('ground truth (brute force)', ds.nq)
  const per = Math.ceil(ds.nq / threads)
  const parts = await Promise.all(Array.from({ length: threads }, (_, t) => {
    const from = Math.min(ds.nq, t * per)
    const to = Math.min(ds.nq, from + per)
    return new Promise<{ from: number; ids: Int32Array }>((resolve, reject) => {
      const w = new Worker(new URL('./gt-worker.mjs', import.meta.url), {
        workerData: { base, queries, dims: ds.dims, metric: ds.metric, k, from, to },
      })
      w.on('message', (m: { progress?: number; done?: Int32Array }) => {
        if (m.progress) bar.tick(m.progress)
        if (m.done) resolve({ from, ids: m.done })
      })
      w.on('error', reject)
      w.on('exit', (code) => code !== 0 && reject(new Error(`ground-truth worker exited with ${code}`)))
    })
  }))
  bar.done()
  const ids = new Int32Array(ds.nq * k)
  for (const p of parts) ids.set(p.ids, p.from * k)
  return ids
}

export async function groundTruth(ds: Dataset, k: number, cacheDir: string): Promise<GroundTruth> {
  const file = join(cacheDir, `${ds.key}-${ds.metric}-k${k}.i32`)
  if (existsSync(file)) {
    const buf = readFileSync(file)
    if (buf.length === ds.nq * k * 4) {
      const ids = new Int32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length))
      return { k, ids, cached: true, seconds: 0 }
    }
  }
  const t0 = performance.now()
  const ids = await compute(ds, k, Math.max(1, Math.min(availableParallelism(), ds.nq)))
  mkdirSync(cacheDir, { recursive: true })
  writeFileSync(file, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength))
  return { k, ids, cached: false, seconds: (performance.now() - t0) / 1000 }
}
