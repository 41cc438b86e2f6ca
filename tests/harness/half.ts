// IEEE 754 binary16 for the halfvec cases, computed independently of the server: rounding a
// float32 to the nearest half (ties to even, as pgvector's Float4ToHalf), and pgvector's halfvec
// binary layout (int16 dim, int16 unused, then dim binary16 values, all big-endian).

/** The float32 nearest `x`, then the binary16 nearest that (±Infinity beyond ±65504). */
export function f16round(x: number): number {
  const f = Math.fround(x)
  if (!Number.isFinite(f) || f === 0) return f
  const a = Math.abs(f)
  if (a >= 65520) return Math.sign(f) * Infinity
  let e = Math.floor(Math.log2(a))
  if (2 ** e > a) e--
  if (2 ** (e + 1) <= a) e++
  // Units of the last place: 10 fraction bits for normals, a fixed 2^-24 for subnormals.
  const ulp = 2 ** (Math.max(e, -14) - 10)
  const q = a / ulp
  let r = Math.floor(q)
  const rest = q - r
  if (rest > 0.5 || (rest === 0.5 && r % 2 === 1)) r++
  return Math.sign(f) * r * ulp
}

/** Bit pattern of a value that is exactly a binary16 (NaN as 0x7e00). */
export function f16bits(h: number): number {
  if (Number.isNaN(h)) return 0x7e00
  const sign = h < 0 || Object.is(h, -0) ? 0x8000 : 0
  const a = Math.abs(h)
  if (a === Infinity) return sign | 0x7c00
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24)
  let e = Math.floor(Math.log2(a))
  if (2 ** e > a) e--
  if (2 ** (e + 1) <= a) e++
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024)
}

/** Value of a binary16 bit pattern. */
export function f16value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const e = (bits >> 10) & 0x1f
  const m = bits & 0x3ff
  if (e === 0x1f) return m ? NaN : sign * Infinity
  if (e === 0) return sign * m * 2 ** -24
  return sign * (1 + m / 1024) * 2 ** (e - 15)
}

/** `dims` binary16 values spread over [-scale, scale). */
export function randomHalfvec(next: () => number, dims: number, scale = 1): number[] {
  return Array.from({ length: dims }, () => f16round((next() * 2 - 1) * scale))
}

export function halfvecBytes(values: readonly number[], { dim = values.length, unused = 0 } = {}): Uint8Array {
  const out = new Uint8Array(4 + 2 * values.length)
  const view = new DataView(out.buffer)
  view.setUint16(0, dim & 0xffff)
  view.setUint16(2, unused & 0xffff)
  values.forEach((v, i) => view.setUint16(4 + 2 * i, f16bits(v)))
  return out
}

export function parseHalfvecBytes(b: Uint8Array): { dim: number; unused: number; values: number[] } {
  const view = new DataView(b.buffer, b.byteOffset, b.length)
  const values = Array.from({ length: (b.length - 4) / 2 }, (_, i) => f16value(view.getUint16(4 + 2 * i)))
  return { dim: view.getInt16(0), unused: view.getInt16(2), values }
}
