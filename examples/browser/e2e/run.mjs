#!/usr/bin/env node
// End-to-end test of the browser example, in Debian's headless Chromium (playwright-core):
//
//   npm --workspace examples/browser test     # = vite build, then this file
//
// Serves the Vite build (dist/) from 127.0.0.1 and checks, against exact answers computed here
// from the same committed asset (e2e/reference.mjs):
//  1. first visit: the asset is downloaded and imported, the hnsw index built (in the worker);
//  2. "more like this" for a few packages through the index = exact search, and the in-page exact
//     search (index scans off) agrees too; EXPLAIN shows the hnsw index scan;
//  3. the UI (type a name, click) shows the same rows; screenshot.png is saved from it;
//  4. reload: the database opens from IndexedDB (no asset request, no import) and answers the same;
//  5. load-time.html: PGlite create + CREATE EXTENSION ruvector against plain PGlite (printed).
// Ends with `browser-example: N passed, N failed`; exit 1 on a failure or on the overall time
// limit (E2E_TIMEOUT_MS, default 240 s). Env: CHROMIUM_PATH, E2E_VERBOSE=1, E2E_SCREENSHOT=path,
// LOAD_TIME_RUNS (default 4).
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from '../../../tests/browser/server.mjs'
import { launchChromium, closeAllChromium, CHROMIUM } from '../../../tests/browser/chromium.mjs'
import { loadReference } from './reference.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const appDir = join(here, '..')
const distDir = join(appDir, 'dist')
// Saved under build/ so a test run leaves the tree clean; refresh the committed one (shown in
// the READMEs) with E2E_SCREENSHOT=examples/browser/screenshot.png.
const SCREENSHOT = process.env.E2E_SCREENSHOT ?? join(appDir, '..', '..', 'build', 'browser-example', 'screenshot.png')
const LIMIT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 240_000)
const VERBOSE = !!process.env.E2E_VERBOSE
const K = 10
const LOAD_TIME_RUNS = Number(process.env.LOAD_TIME_RUNS ?? 4)
// Packages of the 20,000 to query; the first is also typed into the UI and shown in the screenshot.
const PACKAGES = ['postgresql-15', 'inkscape', 'tmux', 'ffmpeg', 'redis-server']
const TOL = 1e-6 // distances are 1 - dot/(|a||b|) over small integers: float64 on both sides

const started = Date.now()
const log = (...a) => console.log(`[browser-example ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a)
let passed = 0
let failed = 0
function check(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${!ok && detail ? `\n         ${detail}` : ''}`)
}

/**
 * Is `got` an exact top-k? Every reported distance must be the true distance of that id, the
 * sorted distances must equal the exact top-k's, and the ids must be the exact ids, except that
 * rows at exactly equal distances may come in either order (or either of them at the cut).
 */
function compareTopK(got, want, ref, queryName) {
  const problems = []
  if (got?.length !== want.length) return [`got ${got?.length} rows, want ${want.length}`]
  const q = ref.idOf(queryName)
  got.forEach((r, i) => {
    const trueD = ref.distance(q, r.id)
    if (Math.abs(r.distance - trueD) > TOL) problems.push(`#${i + 1} ${r.name}: reported ${r.distance}, true ${trueD}`)
    if (Math.abs(r.distance - want[i].distance) > TOL) problems.push(`#${i + 1}: distance ${r.distance}, exact #${i + 1} is ${want[i].distance} (${want[i].name})`)
  })
  if (new Set(got.map((r) => r.id)).size !== got.length) problems.push('duplicate ids')
  if (got.some((r) => r.id === q)) problems.push('the query package itself is in the result')
  const tiedAtSameDistance = (r) => want.some((w) => w.id === r.id) ||
    Math.abs(r.distance - want[want.length - 1].distance) <= TOL
  for (const r of got) if (!tiedAtSameDistance(r)) problems.push(`${r.name} (id ${r.id}) is not in the exact top-${K}`)
  return problems
}
const fmtRows = (rows) => rows.map((r) => `${r.name}:${r.distance.toFixed(4)}`).join(' ')

let server
let cleaning = null
const cleanup = () => (cleaning ??= (async () => {
  await closeAllChromium()
  if (server) await Promise.race([server.close(), new Promise((ok) => setTimeout(ok, 5_000).unref())])
})())
async function finish(code) {
  await cleanup()
  console.log(`browser-example: ${passed} passed, ${failed} failed`)
  process.exit(code || (failed > 0 ? 1 : 0))
}
setTimeout(() => {
  check(`overall time limit of ${LIMIT_MS / 1000}s`, false)
  finish(1)
}, LIMIT_MS).unref()
process.on('unhandledRejection', (e) => { check('no unhandled rejection', false, String(e?.stack ?? e)); finish(1) })
process.on('SIGINT', () => { failed++; finish(130) })
process.on('SIGTERM', () => { failed++; finish(143) })

async function waitReady(page, what) {
  const t0 = Date.now()
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body?.dataset.state), null,
    { timeout: Math.max(5_000, LIMIT_MS - (Date.now() - started) - 20_000), polling: 100 })
  const state = await page.evaluate(() => ({ state: document.body.dataset.state, error: window.appError,
    opened: window.app?.opened, status: document.getElementById('status').textContent }))
  check(`${what}: app ready`, state.state === 'ready', state.error)
  log(`${what}: ready after ${Date.now() - t0} ms: ${state.status}`)
  return state.opened
}

/** Runs the more-like-this queries in the page (hnsw, and exact with index scans off). */
async function checkQueries(page, ref, what) {
  for (const name of PACKAGES) {
    const want = ref.moreLikeThis(name, K)
    const [hnsw, exact] = await page.evaluate(async ([n, k]) =>
      [await window.app.moreLikeThis(n, { k }), await window.app.moreLikeThis(n, { k, exact: true })], [name, K])
    if (VERBOSE) log(`${name}: hnsw ${fmtRows(hnsw.rows)}\n  want ${fmtRows(want)}`)
    const p1 = compareTopK(hnsw?.rows, want, ref, name)
    check(`${what}: hnsw top-${K} like ${name} = exact (${hnsw?.ms.toFixed(1)} ms)`, p1.length === 0,
      `${p1.join('; ')}\n         got  ${fmtRows(hnsw?.rows ?? [])}\n         want ${fmtRows(want)}`)
    const p2 = compareTopK(exact?.rows, want, ref, name)
    check(`${what}: in-page exact search like ${name} = Node's (${exact?.ms.toFixed(1)} ms)`, p2.length === 0, p2.join('; '))
  }
}

try {
  for (const [what, path, hint] of [
    ['Chromium', CHROMIUM, 'run: bash scripts/setup/chromium.sh'],
    ['the Vite build', join(distDir, 'index.html'), 'run: npm --workspace examples/browser run build'],
  ]) {
    if (!existsSync(path)) {
      check(`${what} present at ${path}`, false, hint)
      await finish(1)
    }
  }
  const ref = loadReference(join(appDir, 'data'))
  check(`asset: ${ref.rows} rows, sha256 as in the manifest`, ref.rows === ref.manifest.rows)
  for (const name of PACKAGES) check(`asset holds package ${name}`, ref.has(name))

  server = await startServer({ '/': distDir })
  log(`serving ${distDir} on ${server.url}`)
  const { context } = await launchChromium({ log, viewport: { width: 1280, height: 860 } })
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${page.url()}: ${e?.name}: ${e?.message} ${e?.stack ?? ''}`))
  page.on('console', (m) => { if (VERBOSE || m.type() === 'error') log(`console.${m.type()}: ${m.text()}`) })
  const assetRequests = (from = 0) =>
    server.requests.slice(from).filter((r) => r.path.includes(ref.manifest.name)).map((r) => r.path)

  // 1. First visit: import + index build.
  await page.goto(`${server.url}/`, { waitUntil: 'load', timeout: 30_000 })
  const first = await waitReady(page, 'first visit')
  check('first visit: imported the asset', first?.source === 'import', JSON.stringify(first))
  check(`first visit: ${ref.rows} rows in the table`, first?.rows === ref.rows, `rows ${first?.rows}`)
  check('first visit: fetched both asset files', assetRequests().length === 2, assetRequests().join(', '))
  log(`first visit timings (ms): ${JSON.stringify(first?.timings)}`)

  // 2. Queries against the exact answer; the plan uses the index.
  await checkQueries(page, ref, 'first visit')
  const plan = await page.evaluate((n) => window.app.explain(n), PACKAGES[0])
  check('EXPLAIN: an index scan on packages_embedding_idx (hnsw)',
    /Index Scan using packages_embedding_idx/.test(plan ?? ''), plan)
  if (VERBOSE) log(`plan:\n${plan}`)

  // 3. The UI: type a package name, click, read the table.
  await page.check('#exact')
  await page.fill('#pkg', PACKAGES[0])
  await page.click('#go')
  await page.waitForFunction((n) => document.body.dataset.lastQuery === n, PACKAGES[0], { timeout: 30_000 })
  const shown = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) =>
    ({ name: tr.children[1].textContent, distance: Number(tr.children[2].textContent) })))
  const wantShown = ref.moreLikeThis(PACKAGES[0], K)
  check(`UI: the table shows the exact top-${K} like ${PACKAGES[0]} (names, distances to 4 places)`,
    JSON.stringify(shown.map((r) => [r.name, r.distance.toFixed(4)])) ===
      JSON.stringify(wantShown.map((r) => [r.name, r.distance.toFixed(4)])),
    `shown ${fmtRows(shown)}\n         want  ${fmtRows(wantShown)}`)
  const timing = await page.textContent('#timing')
  check('UI: timings shown for the hnsw and the exact search', /hnsw index scan .* ms; exact search .* ms, same packages/.test(timing), timing)
  check('UI: the query plan shown uses the hnsw index', /packages_embedding_idx/.test(await page.textContent('#plan')))
  await page.screenshot({ path: SCREENSHOT })
  log(`screenshot: ${SCREENSHOT}`)

  // 4. Reload: the database comes back from IndexedDB, without the asset.
  const mark = server.requests.length
  await page.reload({ waitUntil: 'load', timeout: 30_000 })
  const second = await waitReady(page, 'reload')
  check('reload: opened from IndexedDB', second?.source === 'indexeddb', JSON.stringify(second))
  check(`reload: ${ref.rows} rows in the table`, second?.rows === ref.rows, `rows ${second?.rows}`)
  check('reload: the asset was not downloaded again', assetRequests(mark).length === 0, assetRequests(mark).join(', '))
  check('reload: no import steps ran', second && !('copy' in second.timings) && !('createIndex' in second.timings),
    JSON.stringify(second?.timings))
  log(`reload timings (ms): ${JSON.stringify(second?.timings)}`)
  await checkQueries(page, ref, 'reload')
  const plan2 = await page.evaluate((n) => window.app.explain(n), PACKAGES[1])
  check('reload: EXPLAIN still uses the persisted hnsw index', /Index Scan using packages_embedding_idx/.test(plan2 ?? ''), plan2)

  // 5. Extension load time.
  await page.goto(`${server.url}/load-time.html?runs=${LOAD_TIME_RUNS}`, { waitUntil: 'load', timeout: 30_000 })
  await page.waitForFunction(() => window.loadTime, null,
    { timeout: Math.max(5_000, LIMIT_MS - (Date.now() - started) - 10_000), polling: 200 })
  const lt = await page.evaluate(() => window.loadTime)
  check('load-time page: measured without an error', !lt.error && lt.summary?.plain > 0 && lt.summary?.createExtension > 0, lt.error)
  if (lt.summary) {
    const r = (x) => Math.round(x)
    log(`extension load time (median of ${lt.runs.length - 1} warm runs, ms): PGlite.create ${r(lt.summary.plain)}, ` +
      `with ruvector ${r(lt.summary.ruvectorCreate)} + CREATE EXTENSION ${r(lt.summary.createExtension)} ` +
      `; median per-run difference ${r(lt.summary.extra)}`)
    if (VERBOSE) log(JSON.stringify(lt.runs))
  }

  check('no uncaught errors in the pages', pageErrors.length === 0, pageErrors.join('\n         '))
  const bad = server.requests.filter((r) => r.status !== 200)
  check('no failed HTTP requests', bad.length === 0, bad.map((r) => `${r.status} ${r.path}`).join(', '))
} catch (e) {
  check('browser example run', false, String(e?.stack ?? e))
}
await finish()
