// Debian's Chromium, headless, driven by playwright-core (no browser download), with the process
// hygiene every browser test here needs. Used by tests/browser/run.mjs and examples/browser/e2e.
//
// playwright-core starts Chromium detached (its own process group). launchChromium() remembers
// that group and the temporary profile directory, so that close() -- also after a hang or an
// overall timeout -- can find and kill every Chromium process of the run (zygotes, renderers,
// crashpad) and delete the profile.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// The network here is closed: without these flags Chromium keeps trying to reach Google.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
]

function procs() {
  const list = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8')
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (state === 'Z' || state === 'X') continue // exited, only waiting to be reaped
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ')
      list.push({ pid: Number(d), ppid: Number(ppid), pgrp: Number(pgrp), comm, cmdline })
    } catch {}
  }
  return list
}

// Every launch's close(), registered before Chromium starts, so that closeAllChromium() also
// cleans up a launch that is still in progress when a test gives up.
const launched = new Set()
export async function closeAllChromium() {
  await Promise.all([...launched].map((close) => close()))
}

/**
 * Starts Chromium with a fresh temporary profile (kept across page reloads, so IndexedDB
 * persists within the run). Resolves to { context, pids, close() }; close() never throws
 * and may be called more than once.
 */
export async function launchChromium({ log = () => {}, viewport } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'ruvector-chromium-'))
  let chromePids = []
  let context
  const ours = () =>
    procs().filter((p) => p.pid !== process.pid &&
      (chromePids.includes(p.pgrp) || p.cmdline.includes(userDataDir)))
  let closing = null
  const close = () => (closing ??= (async () => {
    const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms).unref())
    const withTimeout = (p, ms) => Promise.race([p, sleep(ms)])
    if (context) await withTimeout(context.close().catch(() => {}), 10_000)
    // Give Chromium's helpers a moment to exit by themselves, then SIGKILL what is left.
    for (let i = 0; i < 30 && ours().length > 0; i++) await sleep(100)
    const left = ours()
    if (left.length) log(`killing ${left.length} leftover Chromium process(es): ${left.map((p) => `${p.pid}/${p.comm}`).join(' ')}`)
    for (const pid of chromePids) try { process.kill(-pid, 'SIGKILL') } catch {}
    for (const p of left) try { process.kill(p.pid, 'SIGKILL') } catch {}
    rmSync(userDataDir, { recursive: true, force: true })
  })())
  launched.add(close)
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless: true, timeout: 60_000, args: ARGS, ...(viewport ? { viewport } : {}),
    })
  } catch (e) {
    await close()
    throw e
  }
  chromePids = procs().filter((p) => p.ppid === process.pid && /chrom/i.test(p.comm)).map((p) => p.pid)
  log(`chromium ${context.browser()?.version() ?? ''} started (pid ${chromePids.join(',') || '?'})`)
  return { context, pids: chromePids, close }
}
