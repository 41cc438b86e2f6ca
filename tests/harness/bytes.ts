// pgvector's binary layout, built independently of the server so byte-exact checks mean something:
// int16 dim, int16 unused (0), then dim float4, all big-endian.

export function vectorBytes(values: readonly number[], { dim = values.length, unused = 0 } = {}): Uint8Array {
  const out = new Uint8Array(4 + 4 * values.length)
  const view = new DataView(out.buffer)
  view.setUint16(0, dim & 0xffff)
  view.setUint16(2, unused & 0xffff)
  values.forEach((v, i) => view.setFloat32(4 + 4 * i, v))
  return out
}

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))

/** Reads the layout back; used on what the server sends. */
export function parseVectorBytes(b: Uint8Array): { dim: number; unused: number; values: number[] } {
  const view = new DataView(b.buffer, b.byteOffset, b.length)
  const dim = view.getInt16(0)
  const unused = view.getInt16(2)
  const values = Array.from({ length: (b.length - 4) / 4 }, (_, i) => view.getFloat32(4 + 4 * i))
  return { dim, unused, values }
}
