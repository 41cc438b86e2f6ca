// Numbers derived from raw timings and result ids.

/** Mean over queries of |returned ∩ true top-k| / k. */
export function recallAtK(returned: number[][], truth: Int32Array, k: number): number {
  let sum = 0
  for (let q = 0; q < returned.length; q++) {
    const want = new Set(truth.subarray(q * k, q * k + k))
    let hit = 0
    for (const id of returned[q].slice(0, k)) if (want.has(id)) hit++
    sum += hit / k
  }
  return returned.length ? sum / returned.length : 0
}

/** Nearest-rank percentile of latencies in ms. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export interface Point {
  recall: number
  qps: number
}

/**
 * Best QPS among settings that reach at least `recall`: what a user tuning for that recall gets.
 * No interpolation between settings, so a ratio never rests on a point nobody measured.
 */
export function qpsAtRecall(points: Point[], recall: number): number | null {
  let best: number | null = null
  for (const p of points) if (p.recall >= recall && (best === null || p.qps > best)) best = p.qps
  return best
}

export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? a / b : null
}
