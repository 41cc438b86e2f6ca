// The data asset's format, shared by the script that makes it (scripts/make-asset.mjs), the page
// that loads it (src/load-asset.js) and the end-to-end test's exact reference (e2e/reference.mjs).

/** int8 codes of one float vector: round(x * 127 / max|x|), halves away from zero. */
export function quantizeRow(row) {
  let max = 0
  for (const x of row) max = Math.max(max, Math.abs(x))
  const scale = max > 0 ? 127 / max : 0
  return Int8Array.from(row, (x) => Math.sign(x) * Math.round(Math.abs(x) * scale))
}

/** A one-line preview: whitespace collapsed, cut at a word boundary to at most maxChars. */
export function previewText(text, maxChars) {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= maxChars) return flat
  const cut = flat.slice(0, maxChars - 1)
  const space = cut.lastIndexOf(' ')
  return (space > maxChars / 2 ? cut.slice(0, space) : cut) + '…'
}

/** Row i of the codes as a vector literal. The codes are integers of at most 127 in magnitude:
 * exact in vector (float32) and even in halfvec, and their dot products stay exact in float32
 * (384 * 127^2 < 2^24), so the distances do not depend on summation order. */
export function rowLiteral(codes, dim, i) {
  return `[${codes.subarray(i * dim, (i + 1) * dim).join(',')}]`
}
