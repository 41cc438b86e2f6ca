// Reference math for the distance functions, in float64 over the float32 values the server
// stores. pgvector accumulates in float32, so results agree to float32 rounding, not exactly.

export type Vec = readonly number[]

export function l2(a: Vec, b: Vec): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2
  return Math.sqrt(s)
}

export function innerProduct(a: Vec, b: Vec): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

export function l1(a: Vec, b: Vec): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i])
  return s
}

export function norm(a: Vec): number {
  return Math.sqrt(innerProduct(a, a))
}

/** 1 - cos(a, b), clamped to [0, 2] like pgvector; NaN when either vector is all zeros. */
export function cosineDistance(a: Vec, b: Vec): number {
  const sim = innerProduct(a, b) / Math.sqrt(innerProduct(a, a) * innerProduct(b, b))
  if (Number.isNaN(sim)) return NaN
  return 1 - Math.min(1, Math.max(-1, sim))
}

/**
 * The magnitude a float32 accumulation error is relative to: the sum of |terms|. For sums that
 * can cancel (inner product) this is what a relative tolerance must be scaled by, since the
 * exact result may be near zero while each partial sum is not.
 */
export function innerProductScale(a: Vec, b: Vec): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i])
  return s
}

/** |actual - expected| <= rel * max(|expected|, scale). */
export function closeTo(actual: number, expected: number, rel = 1e-5, scale = 0): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual)
  return Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), scale)
}

/** Ids of the `k` nearest entries by `distance`, ties broken by id (float64 reference). */
export function exactTopK<T extends { id: number; v: Vec }>(
  rows: readonly T[], query: Vec, k: number, distance: (a: Vec, b: Vec) => number,
): number[] {
  return rows
    .map((r) => ({ id: r.id, d: distance(r.v, query) }))
    .filter((r) => !Number.isNaN(r.d))
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .slice(0, k)
    .map((r) => r.id)
}

/** Fraction of the expected ids that were found, over all queries together. */
export function recall(found: readonly (readonly number[])[], expected: readonly (readonly number[])[]): number {
  let hit = 0
  let total = 0
  expected.forEach((exp, i) => {
    const got = new Set(found[i])
    for (const id of exp) if (got.has(id)) hit++
    total += exp.length
  })
  return total === 0 ? 1 : hit / total
}
