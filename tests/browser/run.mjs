#!/usr/bin/env node
// Headless-Chromium smoke test: ruvector inside PGlite, in a real browser.
//
//   bash scripts/setup/chromium.sh     # once: Debian's /usr/bin/chromium
//   node tests/browser/run.mjs         # needs pglite/dist built (npm run build)
//
// Serves the page + PGlite + @ruvector/pglite from 127.0.0.1, loads it in Debian's
// Chromium via playwright-core, and checks the page's results against distances
// computed here in plain JS. Ends with `browser: N passed, N failed`; exit 1 on any
// failure or on the overall time limit (BROWSER_TEST_TIMEOUT_MS, default 120 s).
// Env: CHROMIUM_PATH (default /usr/bin/chromium), BROWSER_TEST_VERBOSE=1.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium, closeAllChromium, CHROMIUM } from './chromium.mjs'
import { startServer, repoRoot, pgliteDistDir } from './server.mjs'
import * as f from './page/fixtures.mjs'

const LIMIT_MS = Number(process.env.BROWSER_TEST_TIMEOUT_MS ?? 120_000)
const VERBOSE = !!process.env.BROWSER_TEST_VERBOSE
const started = Date.now()
const log = (...a) => console.log(`[browser ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a)

// ---- assertions --------------------------------------------------------------------
let passed = 0
let failed = 0
function check(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${!ok && detail ? `\n         ${detail}` : ''}`)
}
const REL_TOL = 1e-5
const close = (got, want) =>
  typeof got === 'number' && Number.isFinite(got) && Math.abs(got - want) <= REL_TOL * Math.abs(want)
function checkNum(name, got, want) {
  check(`${name} = ${want}`, close(got, want), `got ${got}, want ${want} (rel tol ${REL_TOL})`)
}

// ---- JS reference (float32 storage for vector/sparsevec, exact binary16 for halfvec) --
const f32 = (v) => v.map(Math.fround)
const l2 = (a, b) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0))
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0)
const cosineDist = (a, b) => 1 - dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))
const dense = (s, dim) => Array.from({ length: dim }, (_, i) => Math.fround(s[i + 1] ?? 0))
function topK(dist) {
  const q = f32(f.query)
  return f.items
    .map(({ id, v }) => ({ id, d: dist(f32(v), q) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, f.k)
}

function verify(r) {
  check('page finished without an exception', !r.fatal, r.fatal)
  if (r.fatal) return
  check('CREATE EXTENSION ruvector (extversion present)', typeof r.extversion === 'string' && r.extversion.length > 0,
    `extversion ${JSON.stringify(r.extversion)}`)
  check(`${f.items.length} rows inserted`, r.count === f.items.length, `count ${r.count}`)

  for (const [label, rows, want] of [
    ['<-> (L2)', r.l2, topK(l2)],
    ['<=> (cosine)', r.cosine, topK(cosineDist)],
  ]) {
    const gotIds = (rows ?? []).map((x) => x.id)
    const wantIds = want.map((x) => x.id)
    check(`${label} top-${f.k} ids = ${wantIds}`, JSON.stringify(gotIds) === JSON.stringify(wantIds), `got ${gotIds}`)
    want.forEach((w, i) => checkNum(`${label} distance #${i + 1} (id ${w.id})`, rows?.[i]?.d, w.d))
  }

  checkNum('halfvec <->', r.halfvecL2, l2(f.halfA, f.halfB))
  checkNum('sparsevec <#>',
    r.sparsevecIP, -dot(dense(f.sparseA, f.sparseDim), dense(f.sparseB, f.sparseDim)))

  check(`bad literal '${f.badLiteral}' raises an error`, r.badLiteral?.threw === true)
  check(`error text is exactly: ${f.badLiteralMessage}`, r.badLiteral?.message === f.badLiteralMessage,
    `got ${JSON.stringify(r.badLiteral?.message)}`)
  check('error SQLSTATE is 22P02', r.badLiteral?.code === '22P02', `got ${JSON.stringify(r.badLiteral?.code)}`)
  const nearest = topK(l2)[0]
  check(`query after the error works (nearest id ${nearest.id})`, r.afterError?.id === nearest.id,
    `got ${JSON.stringify(r.afterError)}`)
  checkNum('distance after the error', r.afterError?.d, nearest.d)
}

// ---- cleanup ----------------------------------------------------------------------
let server
let cleaning = null
function cleanup() {
  cleaning ??= (async () => {
    await closeAllChromium()
    if (server) await Promise.race([server.close(), new Promise((ok) => setTimeout(ok, 5_000).unref())])
  })()
  return cleaning
}
async function finish(code) {
  await cleanup()
  console.log(`browser: ${passed} passed, ${failed} failed`)
  process.exit(code || (failed > 0 ? 1 : 0))
}
const overall = setTimeout(() => {
  console.log(`  FAIL overall time limit of ${LIMIT_MS / 1000}s exceeded`)
  failed++
  finish(1)
}, LIMIT_MS)
overall.unref()
process.on('unhandledRejection', (e) => { check('no unhandled rejection', false, String(e?.stack ?? e)); finish(1) })
process.on('SIGINT', () => { failed++; finish(130) })
process.on('SIGTERM', () => { failed++; finish(143) })

// ---- run ---------------------------------------------------------------------------
try {
  for (const [what, path, hint] of [
    ['Chromium', CHROMIUM, 'run: bash scripts/setup/chromium.sh'],
    ['ruvector bundle', join(repoRoot, 'pglite/dist/ruvector.tar.gz'), 'run: npm run build'],
    ['@ruvector/pglite entry', join(repoRoot, 'pglite/dist/index.js'), 'run: npm run build'],
    ['PGlite wasm', join(pgliteDistDir(), 'pglite.wasm'), 'run: npm install'],
  ]) {
    if (!existsSync(path)) {
      check(`${what} present at ${path}`, false, hint)
      await finish(1)
    }
  }

  server = await startServer()
  log(`serving on ${server.url}`)
  const { context } = await launchChromium({ log })

  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(String(e?.stack ?? e)))
  page.on('console', (m) => {
    if (VERBOSE || m.type() === 'error') log(`console.${m.type()}: ${m.text()}`)
  })
  page.on('requestfailed', (req) => {
    // PGlite prefetches the extension bundle and fetches it again; the unused prefetch
    // shows up as ERR_ABORTED, which is harmless.
    const why = req.failure()?.errorText ?? ''
    if (VERBOSE || why !== 'net::ERR_ABORTED') log(`request failed: ${req.url()} ${why}`)
  })

  await page.goto(`${server.url}/`, { waitUntil: 'load', timeout: 30_000 })
  await page.waitForFunction(() => window.__smoke?.done === true, null, {
    timeout: Math.max(5_000, LIMIT_MS - (Date.now() - started) - 15_000),
    polling: 100,
  })
  const result = await page.evaluate(() => window.__smoke)
  log(`page timings (ms since module start): ${JSON.stringify(result.timings)}`)
  if (VERBOSE) log(JSON.stringify(result, null, 2))

  verify(result)
  check('no uncaught errors in the page', pageErrors.length === 0, pageErrors.join('\n         '))
  const fetched = (p) => server.requests.some((r) => r.path === p && r.status === 200)
  check('browser fetched /ruvector/ruvector.tar.gz (the extension bundle)', fetched('/ruvector/ruvector.tar.gz'))
  check('browser fetched /pglite/pglite.wasm', fetched('/pglite/pglite.wasm'))
  const bad = server.requests.filter((r) => r.status !== 200 && r.path !== '/favicon.ico')
  check('no failed HTTP requests', bad.length === 0, bad.map((r) => `${r.status} ${r.path}`).join(', '))
} catch (e) {
  check('browser run', false, String(e?.stack ?? e))
}
await finish()
