// Regenerates sample.jsonl.gz from the debian-minilm dataset (see the README): a few held-out
// queries, the base rows nearest to each (from the dataset's exact ground truth) and some
// random other rows, so the nearest chunks are real neighbours and the rest are distractors.
//   node make-sample.mjs /path/to/datasets
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'

const dir = process.argv[2] ?? '/work/shared/datasets'
const QUERIES = [12, 15, 34] // query rows whose texts make readable questions
const NEIGHBOURS = 20 // nearest base rows kept per query
const DISTRACTORS = 60 // random other base rows
const DIM = 384

const fvec = (buf, row) => new Float32Array(buf.buffer.slice(buf.byteOffset + row * (4 + 4 * DIM) + 4, buf.byteOffset + (row + 1) * (4 + 4 * DIM)))
const base = readFileSync(join(dir, 'debian-minilm.base.fvecs'))
const queries = readFileSync(join(dir, 'debian-minilm.query.fvecs'))
const truth = readFileSync(join(dir, 'debian-minilm.query.groundtruth.ivecs'))
const texts = gunzipSync(readFileSync(join(dir, 'debian-minilm.texts.jsonl.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l))
const textOf = (set, i) => texts.find((t) => t.set === set && t.i === i)

const rows = new Set()
for (const q of QUERIES) {
  for (let j = 0; j < NEIGHBOURS; j++) rows.add(truth.readInt32LE(q * 404 + 4 + 4 * j))
}
// mulberry32, seeded: the same distractors every time.
let s = 20251130
const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = Math.imul(s ^ (s >>> 15), s | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296 }
const n = base.length / (4 + 4 * DIM)
while (rows.size < QUERIES.length * NEIGHBOURS + DISTRACTORS) rows.add(Math.floor(next() * n))

const b64 = (f32) => Buffer.from(f32.buffer).toString('base64')
const lines = [
  ...[...rows].sort((a, b) => a - b).map((row) => {
    const t = textOf('base', row)
    return { kind: 'chunk', id: row, source: t.src, text: t.text, embedding: b64(fvec(base, row)) }
  }),
  ...QUERIES.map((q) => {
    const t = textOf('query', q)
    return { kind: 'question', id: q, source: t.src, text: t.text, embedding: b64(fvec(queries, q)) }
  }),
]
writeFileSync(new URL('./sample.jsonl.gz', import.meta.url), gzipSync(lines.map((l) => JSON.stringify(l)).join('\n') + '\n', { level: 9 }))
console.log(`${rows.size} chunks, ${QUERIES.length} questions`)
