#!/usr/bin/env node
// Makes the example's data asset from the debian-minilm dataset (see shared/datasets/README.md):
// the first N base rows (the dataset's base order is already a seeded random order, so this is a
// uniform sample), each 384-d float32 unit vector quantized to int8, and each package's text cut
// to a short preview. Output, in examples/browser/data/:
//   debian-minilm-20k.i8.gz        N x 384 int8, row-major (row i = id i), gzip
//   debian-minilm-20k.texts.json.gz  JSON [[package, text], ...] in the same row order, gzip
//   debian-minilm-20k.json         manifest: sizes, parameters, sha256 of the decompressed contents
//
//   node examples/browser/scripts/make-asset.mjs [--datasets-dir DIR] [--check]
//
// --check rebuilds in memory and compares with the committed manifest (exit 1 on a difference);
// the sha256 sums are over the decompressed bytes, so they do not depend on the zlib version.
import { createHash } from 'node:crypto'
import { openSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import { quantizeRow, previewText } from '../src/asset-format.js'

const ROWS = 20_000
const DIM = 384
const TEXT_MAX_CHARS = 140
const NAME = 'debian-minilm-20k'

const { values: opts } = parseArgs({
  options: {
    'datasets-dir': { type: 'string', default: process.env.DATASETS_DIR ?? '/work/shared/datasets' },
    check: { type: 'boolean', default: false },
  },
})
const src = (f) => join(opts['datasets-dir'], f)
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'data')
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex')

// Vectors: fvecs rows are int32 dim + dim float32; read only the first ROWS of them.
const rowBytes = 4 + 4 * DIM
const raw = Buffer.alloc(ROWS * rowBytes)
const fd = openSync(src('debian-minilm.base.fvecs'), 'r')
if (readSync(fd, raw, 0, raw.length, 0) !== raw.length) throw new Error('base.fvecs is shorter than expected')
closeSync(fd)
const codes = new Int8Array(ROWS * DIM)
for (let i = 0; i < ROWS; i++) {
  if (raw.readInt32LE(i * rowBytes) !== DIM) throw new Error(`row ${i}: dimension is not ${DIM}`)
  const row = new Float32Array(raw.buffer, raw.byteOffset + i * rowBytes + 4, DIM)
  codes.set(quantizeRow(row), i * DIM)
}

// Texts: base rows come first in texts.jsonl.gz, row i = line i.
const lines = gunzipSync(readFileSync(src('debian-minilm.texts.jsonl.gz'))).toString('utf8').split('\n')
const texts = []
for (let i = 0; i < ROWS; i++) {
  const t = JSON.parse(lines[i])
  if (t.set !== 'base' || t.i !== i) throw new Error(`texts line ${i} is not base row ${i}`)
  texts.push([t.src, previewText(t.text, TEXT_MAX_CHARS)])
}
if (new Set(texts.map(([p]) => p)).size !== ROWS) throw new Error('package names are not unique in the sample')

// For the README: how much of float32's exact top-10 the int8 codes keep (cosine, 50 rows as queries).
function quantizationRecall(queries = 50, k = 10) {
  const f32 = (i) => new Float32Array(raw.buffer, raw.byteOffset + i * rowBytes + 4, DIM)
  const norms = Float64Array.from({ length: ROWS }, (_, i) => Math.hypot(...codes.subarray(i * DIM, (i + 1) * DIM)))
  let hits = 0
  for (let q = 0; q < queries; q++) {
    const qi = Math.floor((q * ROWS) / queries)
    const fq = f32(qi)
    const exact = []
    const quant = []
    for (let i = 0; i < ROWS; i++) {
      if (i === qi) continue
      const fi = f32(i)
      let df = 0
      let dc = 0
      for (let j = 0; j < DIM; j++) {
        df += fq[j] * fi[j]
        dc += codes[qi * DIM + j] * codes[i * DIM + j]
      }
      exact.push([1 - df, i])
      quant.push([1 - dc / (norms[qi] * norms[i]), i])
    }
    const top = (xs) => xs.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k).map(([, i]) => i)
    const want = new Set(top(exact))
    hits += top(quant).filter((i) => want.has(i)).length
  }
  return hits / (queries * k)
}
console.log(`int8 codes keep ${(100 * quantizationRecall()).toFixed(1)} % of float32's exact top-10 (50 rows as queries)`)

const vecBytes = Buffer.from(codes.buffer)
const textBytes = Buffer.from(JSON.stringify(texts), 'utf8')
const dataset = JSON.parse(readFileSync(src('debian-minilm.json'), 'utf8'))
const manifest = {
  name: NAME,
  rows: ROWS,
  dim: DIM,
  metric: 'cosine',
  quantization: 'int8 per row: code = round(x * 127 / max|x|); cosine is scale-invariant, so the codes are used as the vector',
  textMaxChars: TEXT_MAX_CHARS,
  source: `shared/datasets debian-minilm base rows 0..${ROWS - 1} (${dataset.model})`,
  vectors: { file: `${NAME}.i8.gz`, bytes: vecBytes.length, sha256: sha256(vecBytes) },
  texts: { file: `${NAME}.texts.json.gz`, bytes: textBytes.length, sha256: sha256(textBytes) },
}

if (opts.check) {
  const committed = JSON.parse(readFileSync(join(outDir, `${NAME}.json`), 'utf8'))
  const ok = JSON.stringify(committed) === JSON.stringify(manifest)
  console.log(ok ? 'asset matches the committed manifest' : 'asset DIFFERS from the committed manifest')
  process.exit(ok ? 0 : 1)
}
const gz = (buf) => gzipSync(buf, { level: 9 })
writeFileSync(join(outDir, manifest.vectors.file), gz(vecBytes))
writeFileSync(join(outDir, manifest.texts.file), gz(textBytes))
writeFileSync(join(outDir, `${NAME}.json`), JSON.stringify(manifest, null, 2) + '\n')
console.log(`wrote ${ROWS} rows to ${outDir}`)
