// examples/node-rag run as a user would: `node index.mjs DIR` twice on one data directory. The
// printed top k must be the exact cosine top k (computed here in float64 over the same float32
// embeddings), the second run must find the chunks the first one stored, and the hnsw index it
// built must still be there and serve the query.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { ruvector } from '@ruvector/pglite'
import { afterAll, describe, expect, test } from 'vitest'
import { config } from '../harness/config'
import * as ref from '../harness/reference'
// @ts-expect-error: plain JavaScript example without type declarations
import { loadSample } from '../../examples/node-rag/sample.mjs'

const exampleDir = fileURLToPath(new URL('../../examples/node-rag/', import.meta.url))
const K = 3

interface Item { id: number; source: string; text: string; embedding: number[] }
const { chunks, questions } = loadSample() as { chunks: Item[]; questions: Item[] }

const skip = !config.targets.includes('pglite') // skip reason (also in the title): the example runs in PGlite and loads @ruvector/pglite
  ? 'the pglite target is not in this run'
  : config.extension !== 'ruvector' ? 'the example loads @ruvector/pglite' : undefined
const describeRag = skip ? describe.skip : describe // skipped without the pglite target, or against pgvector (the example loads @ruvector/pglite)

/** One printed hit: `  1. #40771 0.341812 trash-cli: …`. */
const HIT = /^ {2}(\d+)\. #(\d+) (\d\.\d{6}) /

function parseHits(stdout: string): { id: number; distance: number }[][] {
  const perQuestion: { id: number; distance: number }[][] = []
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Q: ')) perQuestion.push([])
    const m = HIT.exec(line)
    if (m) perQuestion.at(-1)!.push({ id: Number(m[2]), distance: Number(m[3]) })
  }
  return perQuestion
}

describeRag(`[pglite:${config.extension}] examples/node-rag${skip ? ` (skipped: ${skip})` : ''}`, () => { // skipped without the pglite target or against pgvector: the example loads @ruvector/pglite
  const dataDir = join(mkdtempSync(join(tmpdir(), 'ruvector-node-rag-')), 'data')
  const run = () => promisify(execFile)(process.execPath, ['index.mjs', dataDir], { cwd: exampleDir, timeout: 120_000 })
  const expected = questions.map((q) => {
    const rows = chunks.map((c) => ({ id: c.id, v: c.embedding }))
    return ref.exactTopK(rows, q.embedding, K, ref.cosineDistance)
      .map((id) => ({ id, distance: ref.cosineDistance(rows.find((r) => r.id === id)!.v, q.embedding) }))
  })
  let firstOutput = ''

  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }))

  test('the first run stores the chunks, builds the index and prints the exact top k', async () => {
    const { stdout } = await run()
    expect(stdout).toContain(`stored ${chunks.length} chunks and built an hnsw index`)
    const hits = parseHits(stdout)
    expect(hits).toHaveLength(questions.length)
    hits.forEach((found, i) => {
      expect(found.map((h) => h.id), `question ${questions[i].id}`).toEqual(expected[i].map((e) => e.id))
      // Printed with 6 decimals; the server sums in float32.
      found.forEach((h, j) => expect(Math.abs(h.distance - expected[i][j].distance)).toBeLessThan(2e-6))
    })
    firstOutput = stdout
  })

  test('the second run reopens the data directory and answers the same', async () => {
    const { stdout } = await run()
    expect(stdout).toContain(`reopened: ${chunks.length} chunks already stored`)
    const answers = (out: string) => out.slice(out.indexOf('\nQ: '))
    expect(answers(stdout)).toBe(answers(firstOutput))
  })

  test('the hnsw index persisted and serves the query', async () => {
    const db = new PGlite(dataDir, { extensions: { ruvector } })
    try {
      await db.exec('SET enable_seqscan = off')
      const q = `[${questions[0].embedding.join(',')}]`
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        'EXPLAIN (COSTS OFF) SELECT id FROM chunks ORDER BY embedding <=> $1 LIMIT 3', [q])
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using chunks_embedding_idx on chunks')
      const { rows } = await db.query<{ problems: number }>(
        `SELECT count(*)::int AS problems FROM ruvector_index_check('chunks_embedding_idx')`)
      expect(rows).toEqual([{ problems: 0 }])
    } finally {
      await db.close()
    }
  })
})
