// Inputs shared by the page (which runs them through ruvector in the browser) and by
// run.mjs (which computes the expected answers in plain JS). Keep values exact in
// float32 / float16 where the type requires it, so the JS reference is the true answer.
export const items = [
  { id: 1, v: [1, 2, 3] },
  { id: 2, v: [0.5, -1.25, 4] },
  { id: 3, v: [-2, 0.1, 0.7] },
  { id: 4, v: [3.3, 3.3, -1] },
  { id: 5, v: [0.6, 0.9, 0.2] },
  { id: 6, v: [-1, -2, -3.5] },
]
// Chosen so <-> ranks 5,1,2 but <=> ranks 1,2,5, with distances well apart (the smallest
// cosine distance is ~0.09, so float32 rounding stays far below the 1e-5 relative tolerance).
export const query = [1.1, 0.4, 1.9]
export const k = 3

// halfvec: every component exactly representable in binary16.
export const halfA = [1.5, -0.25, 2, 0.125]
export const halfB = [0.5, 0.75, -1, 3]

// sparsevec: 1-based indices, as in '{i:v,...}/dim'.
export const sparseDim = 6
export const sparseA = { 1: 1.5, 3: -2, 6: 0.5 }
export const sparseB = { 1: 0.5, 2: 3, 3: 1, 6: 4 }

export const badLiteral = '[1,2'
export const badLiteralMessage = 'invalid input syntax for type vector: "[1,2"'

export const vecText = (v) => `[${v.join(',')}]`
export const sparseText = (s, dim) =>
  `{${Object.entries(s).map(([i, x]) => `${i}:${x}`).join(',')}}/${dim}`
