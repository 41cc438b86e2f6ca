// The exact answer, computed in Node from the same committed asset the page imports:
// cosine distance over the int8 codes (in float64), brute force over all rows.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

export function loadReference(dataDir) {
  const manifest = JSON.parse(readFileSync(join(dataDir, 'debian-minilm-20k.json'), 'utf8'))
  const read = ({ file, sha256 }) => {
    const bytes = gunzipSync(readFileSync(join(dataDir, file)))
    const got = createHash('sha256').update(bytes).digest('hex')
    if (got !== sha256) throw new Error(`${file}: sha256 ${got}, manifest says ${sha256}`)
    return bytes
  }
  const vec = read(manifest.vectors)
  const codes = new Int8Array(vec.buffer, vec.byteOffset, vec.byteLength)
  const texts = JSON.parse(read(manifest.texts).toString('utf8'))
  const { dim, rows } = manifest
  const idByName = new Map(texts.map(([name], i) => [name, i]))
  const norm = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    let s = 0
    for (let j = i * dim; j < (i + 1) * dim; j++) s += codes[j] * codes[j]
    norm[i] = Math.sqrt(s)
  }
  const distance = (a, b) => {
    let dot = 0
    for (let j = 0; j < dim; j++) dot += codes[a * dim + j] * codes[b * dim + j]
    return 1 - dot / (norm[a] * norm[b])
  }
  return {
    manifest,
    rows,
    has: (name) => idByName.has(name),
    idOf: (name) => idByName.get(name),
    distance,
    /** The k rows nearest to `name`'s vector, itself excluded, by (distance, id). */
    moreLikeThis(name, k = 10) {
      const q = idByName.get(name)
      const all = []
      for (let i = 0; i < rows; i++) if (i !== q) all.push({ id: i, name: texts[i][0], distance: distance(q, i) })
      return all.sort((x, y) => x.distance - y.distance || x.id - y.id).slice(0, k)
    },
  }
}
