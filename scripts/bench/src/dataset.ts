// Datasets: the seeded clustered-Gaussian generator and real embedding files from
// /work/shared/datasets (NAME.base.fvecs, NAME.query.fvecs, NAME.json; see its README).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gaussian, uniform } from './rng.ts'

export type Metric = 'l2' | 'cosine' | 'ip'

export interface Dataset {
  name: string
  /** One line for the report: where the vectors come from and with which parameters. */
  description: string
  /** Stable identity of the exact vectors, used to key the ground-truth cache. */
  key: string
  n: number
  dims: number
  nq: number
  metric: Metric
  /** Set when every value is a float32 of a decimal with this many places (the synthetic data):
   *  then toFixed() is an exact, short and fast text form. */
  decimals?: number
  /** Row-major n × dims. */
  base: Float32Array
  queries: Float32Array
}

export interface SyntheticOptions {
  n: number
  dims: number
  clusters: number
  /** Per-dimension standard deviation of points around their centre; centres have 1. */
  noise: number
  queries: number
  seed: number
}

// Bump when the generator's output for the same options changes, so old ground truth is not reused.
const GENERATOR_VERSION = 2
// Values are rounded to this many decimals: the text sent to the server is then short and exact.
const DECIMALS = 4
const SCALE = 10 ** DECIMALS

function mixture(count: number, centers: Float32Array, dims: number, noise: number, seed: number): Float32Array {
  const clusters = centers.length / dims
  const pick = uniform(seed)
  const g = gaussian(seed ^ 0x5bd1e995)
  const out = new Float32Array(count * dims)
  for (let i = 0; i < count; i++) {
    const c = Math.min(clusters - 1, Math.floor(pick() * clusters)) * dims
    for (let j = 0; j < dims; j++) out[i * dims + j] = Math.round((centers[c + j] + noise * g()) * SCALE) / SCALE
  }
  return out
}

export function synthetic(o: SyntheticOptions): Dataset {
  const g = gaussian(o.seed)
  const centers = new Float32Array(o.clusters * o.dims)
  for (let i = 0; i < centers.length; i++) centers[i] = g()
  // Queries come from the same mixture but a different stream: near the data, never in it.
  const base = mixture(o.n, centers, o.dims, o.noise, o.seed + 1)
  const queries = mixture(o.queries, centers, o.dims, o.noise, o.seed + 2)
  const key = `synth-v${GENERATOR_VERSION}-n${o.n}-d${o.dims}-c${o.clusters}-s${o.noise}-q${o.queries}-seed${o.seed}`
  return {
    name: 'synthetic',
    description: `seeded clustered Gaussians: n=${o.n}, dims=${o.dims}, clusters=${o.clusters}, ` +
      `noise σ=${o.noise} (centres σ=1), ${o.queries} queries from the same mixture, seed=${o.seed}`,
    key, n: o.n, dims: o.dims, nq: o.queries, metric: 'l2', decimals: DECIMALS, base, queries,
  }
}

/** fvecs: per vector a little-endian int32 dimension, then that many float32. */
export function readFvecs(path: string, limit = Infinity): { dims: number; count: number; data: Float32Array } {
  const buf = readFileSync(path)
  if (buf.length < 4) throw new Error(`${path}: empty fvecs file`)
  const dims = buf.readInt32LE(0)
  const stride = 4 + dims * 4
  if (dims <= 0 || buf.length % stride !== 0) throw new Error(`${path}: not fvecs with a constant dimension`)
  const count = Math.min(buf.length / stride, limit)
  const data = new Float32Array(count * dims)
  for (let i = 0; i < count; i++) {
    if (buf.readInt32LE(i * stride) !== dims) throw new Error(`${path}: vector ${i} changes dimension`)
    for (let j = 0; j < dims; j++) data[i * dims + j] = buf.readFloatLE(i * stride + 4 + j * 4)
  }
  return { dims, count, data }
}

export function listRealDatasets(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .filter((name) => existsSync(join(dir, `${name}.base.fvecs`)) && existsSync(join(dir, `${name}.query.fvecs`)))
    .sort()
}

function parseMetric(raw: unknown, name: string): Metric {
  const m = String(raw ?? 'l2').toLowerCase()
  if (m === 'l2' || m === 'euclidean') return 'l2'
  if (m === 'cosine' || m === 'angular') return 'cosine'
  if (m === 'ip' || m === 'dot' || m === 'inner_product') return 'ip'
  throw new Error(`dataset ${name}: unknown metric "${m}"`)
}

/** `maxN` / `maxQueries` truncate, so a big file can still be used for a quick run. */
export function real(dir: string, name: string, maxN: number, maxQueries: number): Dataset {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>
  const base = readFvecs(join(dir, `${name}.base.fvecs`), maxN)
  const queries = readFvecs(join(dir, `${name}.query.fvecs`), maxQueries)
  if (base.dims !== queries.dims) throw new Error(`dataset ${name}: base has ${base.dims} dims, queries ${queries.dims}`)
  const metric = parseMetric(meta.metric, name)
  const source = [meta.source, meta.model].filter(Boolean).join(', embedded with ')
  return {
    name,
    description: `${name}: ${source || 'real embeddings'} (n=${base.count}, dims=${base.dims}, ${queries.count} queries, metric ${metric})`,
    key: `real-${name}-n${base.count}-q${queries.count}-${statSync(join(dir, `${name}.base.fvecs`)).size}`,
    n: base.count, dims: base.dims, nq: queries.count, metric, base: base.data, queries: queries.data,
  }
}

/** Shortest decimal that parses back to the same float32, so the server stores exactly our values. */
function float32Text(x: number): string {
  for (let p = 6; p < 9; p++) {
    const s = x.toPrecision(p)
    if (Math.fround(Number(s)) === x) return String(Number(s))
  }
  return String(Number(x.toPrecision(9)))
}

export function vectorLiteral(data: Float32Array, index: number, dims: number, decimals?: number): string {
  const parts = new Array<string>(dims)
  // float32 resolves well below 1e-4 for |x| < 100, so toFixed gives back the decimal we rounded to.
  if (decimals !== undefined) for (let j = 0; j < dims; j++) parts[j] = data[index * dims + j].toFixed(decimals)
  else for (let j = 0; j < dims; j++) parts[j] = float32Text(data[index * dims + j])
  return `[${parts.join(',')}]`
}
