// Brute-force k nearest neighbours for a slice of the queries; run in a worker thread so the two
// cores share the work. Distances in float64 over the float32 data, ties broken by lower id.
// Plain JavaScript: worker threads do not inherit tsx's loader.
import { parentPort, workerData } from 'node:worker_threads'

/** @type {{ base: SharedArrayBuffer, queries: SharedArrayBuffer, dims: number, metric: 'l2' | 'cosine' | 'ip', k: number, from: number, to: number }} */
const job = workerData
const { base: baseBuf, queries: queryBuf, dims, metric, k, from, to } = job
const base = new Float32Array(baseBuf)
const queries = new Float32Array(queryBuf)
const n = base.length / dims

// Cosine ranks by dot / |b| once the query norm is factored out; precompute the row norms.
const invNorm = new Float64Array(n)
if (metric === 'cosine') {
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let j = 0; j < dims; j++) s += base[i * dims + j] ** 2
    invNorm[i] = s > 0 ? 1 / Math.sqrt(s) : 0
  }
}

const out = new Int32Array((to - from) * k)
const bestD = new Float64Array(k)
const bestI = new Int32Array(k)
for (let q = from; q < to; q++) {
  bestD.fill(Infinity)
  bestI.fill(-1)
  const qo = q * dims
  for (let i = 0; i < n; i++) {
    const bo = i * dims
    let d = 0
    if (metric === 'l2') {
      for (let j = 0; j < dims; j++) {
        const t = base[bo + j] - queries[qo + j]
        d += t * t
      }
    } else {
      for (let j = 0; j < dims; j++) d += base[bo + j] * queries[qo + j]
      d = metric === 'cosine' ? -d * invNorm[i] : -d
    }
    if (d >= bestD[k - 1]) continue
    let p = k - 1
    while (p > 0 && bestD[p - 1] > d) {
      bestD[p] = bestD[p - 1]
      bestI[p] = bestI[p - 1]
      p--
    }
    bestD[p] = d
    bestI[p] = i
  }
  out.set(bestI, (q - from) * k)
  parentPort.postMessage({ progress: 1 })
}
parentPort.postMessage({ done: out }, [out.buffer])
