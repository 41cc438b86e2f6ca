// Fetches the committed data asset (made by scripts/make-asset.mjs) and turns it into a COPY
// text-format blob for the packages table.
import manifest from '../data/debian-minilm-20k.json'
import vectorsUrl from '../data/debian-minilm-20k.i8.gz?url'
import textsUrl from '../data/debian-minilm-20k.texts.json.gz?url'
import { rowLiteral } from './asset-format.js'

export { manifest }

async function fetchGunzipped(url) {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  const bytes = new Uint8Array(await res.arrayBuffer())
  // A server may already have undone the gzip (Content-Encoding); only inflate real gzip data.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

// COPY text format: backslash, tab, newline and carriage return must be escaped.
const copyEscape = (s) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c])

/** Loads and checks the asset; returns { blob, rows } ready for COPY packages FROM '/dev/blob'. */
export async function loadAsset() {
  const [vecBytes, textBytes] = await Promise.all([fetchGunzipped(vectorsUrl), fetchGunzipped(textsUrl)])
  for (const [what, bytes, want] of [['vectors', vecBytes, manifest.vectors], ['texts', textBytes, manifest.texts]]) {
    const got = await sha256Hex(bytes)
    if (got !== want.sha256) throw new Error(`asset ${what}: sha256 ${got}, manifest says ${want.sha256}`)
  }
  const codes = new Int8Array(vecBytes.buffer, vecBytes.byteOffset, vecBytes.byteLength)
  const texts = JSON.parse(new TextDecoder().decode(textBytes))
  const lines = texts.map(([name, text], i) =>
    `${i}\t${copyEscape(name)}\t${copyEscape(text)}\t${rowLiteral(codes, manifest.dim, i)}\n`)
  return { blob: new Blob(lines, { type: 'text/plain' }), rows: texts.length }
}
