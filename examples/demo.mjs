// `npm start`: ruvector inside PGlite (PostgreSQL 18.6 compiled to WebAssembly), in this process.
import { PGlite } from '@electric-sql/pglite';
import { ruvector } from '@ruvector/pglite';

const db = await PGlite.create({ extensions: { ruvector } });
await db.exec('CREATE EXTENSION ruvector');
const { rows: [info] } = await db.query(
  `SELECT version() AS postgres, extversion AS ruvector FROM pg_extension WHERE extname = 'ruvector'`);
console.log(`${info.postgres.split(' on ')[0]}, compiled to WebAssembly, with ruvector ${info.ruvector}\n`);

await db.exec(`
  CREATE TABLE fruit (id serial PRIMARY KEY, name text, embedding vector(3));
  -- toy "embeddings": sweetness, acidity, crunchiness
  INSERT INTO fruit (name, embedding) VALUES
    ('apple',      '[0.7, 0.4, 0.9]'),
    ('pear',       '[0.8, 0.2, 0.6]'),
    ('lemon',      '[0.1, 1.0, 0.2]'),
    ('lime',       '[0.1, 0.9, 0.3]'),
    ('banana',     '[0.9, 0.1, 0.0]'),
    ('mango',      '[1.0, 0.3, 0.1]'),
    ('grapefruit', '[0.3, 0.8, 0.1]'),
    ('carrot',     '[0.4, 0.1, 1.0]');
`);

const query = '[0.2, 0.95, 0.25]';
console.log(`Nearest to ${query} (something sour), by L2 distance <->:`);
const byL2 = await db.query(
  `SELECT name, embedding::text, round((embedding <-> $1)::numeric, 4) AS l2,
          round((embedding <=> $1)::numeric, 4) AS cosine
     FROM fruit ORDER BY embedding <-> $1 LIMIT 4`, [query]);
console.table(byL2.rows);

console.log('Closest pairs by cosine distance <=>:');
const pairs = await db.query(`
  SELECT a.name AS a, b.name AS b, round((a.embedding <=> b.embedding)::numeric, 4) AS cosine
    FROM fruit a JOIN fruit b ON a.id < b.id
   ORDER BY a.embedding <=> b.embedding LIMIT 3`);
console.table(pairs.rows);

// An hnsw index, written exactly as for pgvector: 5,000 random 64-dimension vectors.
await db.exec(`
  CREATE TABLE items (id int PRIMARY KEY, embedding vector(64));
  INSERT INTO items
    SELECT i, (SELECT array_agg(random()::real) FROM generate_series(1, 64) WHERE i > 0)::vector
      FROM generate_series(1, 5000) i;
`);
let started = performance.now();
await db.exec('CREATE INDEX ON items USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)');
console.log(`hnsw index on 5,000 × 64 built in ${Math.round(performance.now() - started)} ms`);
const plan = await db.query(`EXPLAIN (COSTS OFF) SELECT id FROM items ORDER BY embedding <=> (SELECT embedding FROM items WHERE id = 1) LIMIT 5`);
console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));
started = performance.now();
const near = await db.query(`
  SELECT id, round((embedding <=> (SELECT embedding FROM items WHERE id = 1))::numeric, 4) AS cosine
    FROM items ORDER BY embedding <=> (SELECT embedding FROM items WHERE id = 1) LIMIT 5`);
console.log(`nearest to item 1 through the index (${(performance.now() - started).toFixed(1)} ms):`);
console.table(near.rows);
const check = await db.query(`SELECT count(*)::int AS problems FROM ruvector_index_check('items_embedding_idx')`);
console.log(`ruvector_index_check: ${check.rows[0].problems} problems`);
await db.close();
