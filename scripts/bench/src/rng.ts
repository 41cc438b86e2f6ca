// Seeded randomness for the synthetic dataset: the same options must give the same bytes on any
// machine, or cached ground truth would silently describe different data.

/** splitmix32-style generator returning uniform [0, 1). */
export function uniform(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296
  }
}

/** Standard normal samples (Box–Muller; the second value of each pair is kept for the next call). */
export function gaussian(seed: number): () => number {
  const next = uniform(seed)
  let spare: number | null = null
  return () => {
    if (spare !== null) {
      const v = spare
      spare = null
      return v
    }
    // 1 - u keeps log() away from 0.
    const r = Math.sqrt(-2 * Math.log(1 - next()))
    const theta = 2 * Math.PI * next()
    spare = r * Math.sin(theta)
    return r * Math.cos(theta)
  }
}
