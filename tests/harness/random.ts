// Seeded vectors, so a failure reproduces exactly. Values are float32 already (Math.fround),
// so the text literal we send parses back to the very numbers the reference uses.

/** mulberry32: tiny, fast, and good enough to spread values; not for anything cryptographic. */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `dims` float32 values in [-scale, scale). */
export function randomVector(next: () => number, dims: number, scale = 1): number[] {
  return Array.from({ length: dims }, () => Math.fround((next() * 2 - 1) * scale))
}

/** pgvector text literal; String() of a float32-exact double parses back to the same float32. */
export function literal(v: readonly number[]): string {
  return `[${v.map(String).join(',')}]`
}

/** A standard normal deviate (Box–Muller on two uniforms of `next`). */
export function gaussian(next: () => number): number {
  const u = 1 - next() // (0, 1], so log(u) is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next())
}

/**
 * `n` float32 vectors in `clusters` Gaussian blobs: centres uniform in [-1, 1)^dims, each point a
 * centre plus N(0, spread²) per coordinate, the centre chosen uniformly. Clustered data is what
 * embeddings look like, and it is where a badly connected graph loses recall (a uniform cube is
 * forgiving). Deterministic for a given `next`.
 */
export function clusteredVectors(
  next: () => number, n: number, dims: number, { clusters = 20, spread = 0.15 } = {},
): number[][] {
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dims }, () => next() * 2 - 1))
  return Array.from({ length: n }, () => {
    const c = centres[Math.floor(next() * clusters)]
    return c.map((x) => Math.fround(x + spread * gaussian(next)))
  })
}
