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
