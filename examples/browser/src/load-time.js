// What ruvector adds to opening a database: PGlite.create() + a first query, against
// PGlite.create({ extensions: { ruvector } }) + CREATE EXTENSION ruvector, in-memory, alternating.
// Run 0 is a warm-up (first download and compile of PGlite and the bundle, left out of the
// summary); the summary is the median of runs 1..N, `extra` the median of the per-run differences.
// Results go to window.loadTime (read by e2e/run.mjs) and into the table.
import { PGlite } from '@electric-sql/pglite'
import { ruvector } from '@ruvector/pglite'

const RUNS = Number(new URLSearchParams(location.search).get('runs') ?? 5)

async function plain() {
  const t0 = performance.now()
  const db = await PGlite.create()
  await db.query('SELECT 1')
  const create = performance.now() - t0
  await db.close()
  return { create }
}

async function withRuvector() {
  const t0 = performance.now()
  const db = await PGlite.create({ extensions: { ruvector } })
  await db.query('SELECT 1')
  const create = performance.now() - t0
  await db.exec('CREATE EXTENSION ruvector')
  const createExtension = performance.now() - t0 - create
  // The extension must really be usable, or the timing means nothing.
  const { d } = (await db.query(`SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS d`)).rows[0]
  if (d !== 2) throw new Error(`ruvector answered ${d} for a distance of 2`)
  await db.close()
  return { create, createExtension }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const fmt = (x) => `${Math.round(x)} ms`

try {
  const runs = []
  for (let i = 0; i <= RUNS; i++) {
    // Alternate which goes first, so neither always profits from the other's warm caches.
    let a, b
    if (i % 2) {
      b = await withRuvector()
      a = await plain()
    } else {
      a = await plain()
      b = await withRuvector()
    }
    runs.push({ plain: a.create, ruvectorCreate: b.create, createExtension: b.createExtension,
      extra: b.create + b.createExtension - a.create })
  }
  const warm = runs.slice(1)
  const summary = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(warm.map((r) => r[k]))]))
  window.loadTime = { runs, summary, userAgent: navigator.userAgent }
  document.querySelector('#results tbody').replaceChildren(
    ...[...runs.map((r, i) => [i === 0 ? '0 (warm-up)' : String(i), r]), [`median of 1–${RUNS}`, summary]].map(([label, r]) => {
      const tr = document.createElement('tr')
      for (const v of [label, fmt(r.plain), fmt(r.ruvectorCreate), fmt(r.createExtension), fmt(r.extra)]) {
        tr.append(Object.assign(document.createElement('td'), { textContent: v }))
      }
      return tr
    }))
  document.getElementById('results').hidden = false
  document.getElementById('status').textContent =
    `ruvector adds ${fmt(summary.extra)} (median, warm): PGlite.create ${fmt(summary.plain)} → ` +
    `${fmt(summary.ruvectorCreate)} with the extension, then CREATE EXTENSION ${fmt(summary.createExtension)}.`
} catch (e) {
  window.loadTime = { error: String(e?.stack ?? e) }
  document.getElementById('status').textContent = `failed: ${e?.message ?? e}`
}
