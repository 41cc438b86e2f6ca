// The bundled sample: Debian package descriptions with their all-MiniLM-L6-v2 embeddings
// (384 dimensions, unit length), computed ahead of time; see the README for where they come from.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

/** { chunks, questions }: each { id, source, text, embedding: number[] }. */
export function loadSample() {
  const lines = gunzipSync(readFileSync(new URL('./sample.jsonl.gz', import.meta.url))).toString('utf8').trim().split('\n')
  const rows = lines.map((line) => {
    const { embedding, ...rest } = JSON.parse(line)
    const bytes = Buffer.from(embedding, 'base64')
    return { ...rest, embedding: Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)) }
  })
  return { chunks: rows.filter((r) => r.kind === 'chunk'), questions: rows.filter((r) => r.kind === 'question') }
}
