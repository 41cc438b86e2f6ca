// The schema: a table of text with a 3-dimension embedding (use your model's size: 384 for
// all-MiniLM-L6-v2, 1536 for OpenAI's text-embedding-3-small) and an hnsw index on it.
import { index, pgTable, serial, text, vector } from 'drizzle-orm/pg-core'

export const items = pgTable('items', {
  id: serial('id').primaryKey(),
  content: text('content').notNull(),
  embedding: vector('embedding', { dimensions: 3 }).notNull(),
}, (t) => [
  // The operator class picks the distance the index serves: vector_cosine_ops for <=> (cosineDistance).
  index('items_embedding_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
])
