// Runs in the browser: PGlite + ruvector, a handful of queries; results go to
// window.__smoke (read by run.mjs) and, for a human, into the page.
import { PGlite } from '@electric-sql/pglite'
import { ruvector } from '@ruvector/pglite'
import * as f from './fixtures.mjs'

const out = { timings: {} }
const t0 = performance.now()
const lap = (name) => (out.timings[name] = Math.round(performance.now() - t0))

try {
  const db = await PGlite.create({ extensions: { ruvector } })
  lap('create')
  await db.exec('CREATE EXTENSION ruvector')
  lap('createExtension')
  out.extversion = (await db.query(`SELECT extversion FROM pg_extension WHERE extname = 'ruvector'`)).rows[0]?.extversion

  await db.exec('CREATE TABLE items (id int PRIMARY KEY, embedding vector(3))')
  for (const { id, v } of f.items) {
    await db.query('INSERT INTO items VALUES ($1, $2::vector)', [id, f.vecText(v)])
  }
  out.count = (await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n

  const q = f.vecText(f.query)
  out.l2 = (await db.query(
    'SELECT id, embedding <-> $1::vector AS d FROM items ORDER BY embedding <-> $1::vector LIMIT $2', [q, f.k])).rows
  out.cosine = (await db.query(
    'SELECT id, embedding <=> $1::vector AS d FROM items ORDER BY embedding <=> $1::vector LIMIT $2', [q, f.k])).rows

  out.halfvecL2 = (await db.query('SELECT $1::halfvec <-> $2::halfvec AS d',
    [f.vecText(f.halfA), f.vecText(f.halfB)])).rows[0].d
  out.sparsevecIP = (await db.query('SELECT $1::sparsevec <#> $2::sparsevec AS d',
    [f.sparseText(f.sparseA, f.sparseDim), f.sparseText(f.sparseB, f.sparseDim)])).rows[0].d
  lap('queries')

  // A bad literal must fail with the exact pgvector message and leave the instance usable.
  try {
    await db.query(`SELECT '${f.badLiteral}'::vector`)
    out.badLiteral = { threw: false }
  } catch (e) {
    out.badLiteral = { threw: true, message: e.message, code: e.code ?? null }
  }
  out.afterError = (await db.query(
    'SELECT id, embedding <-> $1::vector AS d FROM items ORDER BY 2 LIMIT 1', [q])).rows[0]
  lap('afterError')

  await db.close()
  lap('close')
} catch (e) {
  out.fatal = `${e?.name ?? 'Error'}: ${e?.message ?? e}\n${e?.stack ?? ''}`
}
out.done = true
window.__smoke = out
document.getElementById('out').textContent = JSON.stringify(out, null, 2)
