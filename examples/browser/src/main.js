// The page: opens the database (src/db.js), then answers "more like this" for a package name.
// window.app exposes the same calls for the end-to-end test (e2e/run.mjs).
import { openDatabase, moreLikeThis, explainMoreLikeThis, suggest, randomPackage, EF_SEARCH } from './db.js'

const $ = (id) => document.getElementById(id)
const params = new URLSearchParams(location.search)
const DATA_DIR = `idb://${params.get('db') ?? 'ruvector-debian-minilm-20k'}`
const ms = (x) => `${Math.round(x).toLocaleString()} ms`

function setStatus(text, isError = false) {
  $('status').textContent = text
  $('status').classList.toggle('error', isError)
}

function describeOpen({ source, rows, timings, imported }) {
  const n = rows.toLocaleString()
  if (source === 'indexeddb') {
    return `${n} packages opened from IndexedDB (${DATA_DIR}) in ${ms(timings.open + timings.count)}` +
      ` without re-importing; the first visit imported them in ${ms(imported.copy)} and built the index in ${ms(imported.createIndex)}.`
  }
  return `${n} packages imported in ${ms(timings.copy)} (download ${ms(timings.fetchAsset)}), hnsw index built in ` +
    `${ms(timings.createIndex)}, stored in IndexedDB (${DATA_DIR}): a reload opens it without importing again.`
}

function render(result, exactResult) {
  const tbody = $('results').querySelector('tbody')
  tbody.replaceChildren(...result.rows.map((r, i) => {
    const tr = document.createElement('tr')
    const link = Object.assign(document.createElement('a'), { textContent: r.name, title: `more like ${r.name}` })
    link.addEventListener('click', () => search(r.name))
    const cells = [String(i + 1), link, r.distance.toFixed(4), r.description]
    for (const [j, c] of cells.entries()) {
      const td = document.createElement('td')
      td.append(c)
      td.className = ['num', '', 'num', 'desc'][j]
      tr.append(td)
    }
    return tr
  }))
  $('results').hidden = false
  let timing = `${result.rows.length} nearest to ${result.query.name}: hnsw index scan (ef_search ${EF_SEARCH}) in ${result.ms.toFixed(1)} ms`
  if (exactResult) {
    const same = JSON.stringify(exactResult.rows.map((r) => r.id)) === JSON.stringify(result.rows.map((r) => r.id))
    timing += `; exact search (sequential scan) in ${exactResult.ms.toFixed(1)} ms, ${same ? 'same packages' : 'different packages'}`
  }
  $('timing').textContent = timing
}

let db
async function search(name) {
  $('pkg').value = name
  const result = await moreLikeThis(db, name)
  if (!result) {
    $('timing').textContent = `no package named "${name}" among the 20,000`
    $('results').hidden = true
    return null
  }
  const exactResult = $('exact').checked ? await moreLikeThis(db, name, { exact: true }) : null
  render(result, exactResult)
  $('plan').textContent = await explainMoreLikeThis(db, name)
  $('plan-box').hidden = false
  document.body.dataset.lastQuery = name
  return result
}

async function main() {
  const opened = await openDatabase({ dataDir: DATA_DIR, onStep: (s) => setStatus(s) })
  db = opened.db
  setStatus(describeOpen(opened))
  window.app = {
    opened: { source: opened.source, rows: opened.rows, timings: opened.timings, imported: opened.imported, dataDir: DATA_DIR },
    moreLikeThis: (name, opts) => moreLikeThis(db, name, opts),
    explain: (name) => explainMoreLikeThis(db, name),
    search,
    db, // for your own SQL from the console
  }
  for (const el of ['pkg', 'go', 'random']) $(el).disabled = false
  $('search').addEventListener('submit', (e) => {
    e.preventDefault()
    search($('pkg').value.trim())
  })
  $('random').addEventListener('click', async () => search(await randomPackage(db)))
  $('pkg').addEventListener('input', async () => {
    const names = await suggest(db, $('pkg').value.trim())
    $('names').replaceChildren(...names.map((n) => Object.assign(document.createElement('option'), { value: n })))
  })
  document.body.dataset.state = 'ready'
}

main().catch((e) => {
  setStatus(`failed: ${e?.message ?? e}\n${e?.stack ?? ''}`, true)
  window.appError = String(e?.stack ?? e)
  document.body.dataset.state = 'error'
})
