// Retrieval for RAG: text chunks and their embeddings in PGlite, kept in a data directory on
// disk, an hnsw index, and the k nearest chunks by cosine distance for each question.
//   node index.mjs [data-dir]     (run it twice: the second run reopens what the first stored)
import { PGlite } from '@electric-sql/pglite'
import { ruvector } from '@ruvector/pglite'
import { loadSample } from './sample.mjs'

const K = 3
const vector = (v) => `[${v.join(',')}]` // pgvector's text format
const { chunks, questions } = loadSample()

const db = new PGlite(process.argv[2] ?? './data', { extensions: { ruvector } })
await db.exec(`
  CREATE EXTENSION IF NOT EXISTS ruvector;
  CREATE TABLE IF NOT EXISTS chunks (id int PRIMARY KEY, source text, body text, embedding vector(384));`)

const { rows: [{ stored }] } = await db.query('SELECT count(*)::int AS stored FROM chunks')
if (stored > 0) {
  console.log(`reopened: ${stored} chunks already stored`)
} else {
  await db.transaction(async (tx) => {
    for (const c of chunks) {
      await tx.query('INSERT INTO chunks VALUES ($1, $2, $3, $4)', [c.id, c.source, c.text, vector(c.embedding)])
    }
  })
  // Built after loading: one pass over the rows instead of one graph insert per row.
  await db.exec('CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops)')
  console.log(`stored ${chunks.length} chunks and built an hnsw index`)
}

// 120 chunks are so few that the planner rightly prefers reading them all; this makes the small
// example go through the index as a real corpus would. Leave it out in an application.
await db.exec('SET enable_seqscan = off')
for (const q of questions) {
  console.log(`\nQ: ${q.text.split('. ')[0]}`)
  const { rows } = await db.query(
    'SELECT id, source, body, embedding <=> $1 AS distance FROM chunks ORDER BY embedding <=> $1 LIMIT $2',
    [vector(q.embedding), K])
  rows.forEach((r, i) => console.log(`  ${i + 1}. #${r.id} ${r.distance.toFixed(6)} ${r.source}: ${r.body.split('. ')[0]}`))
}
await db.close()
