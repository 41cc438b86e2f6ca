// `npm run bench`: ruvector vs pgvector on PGlite and native PostgreSQL 15, same data, same run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listRealDatasets, real, synthetic, type Dataset } from './dataset.ts'
import { groundTruth } from './groundtruth.ts'
import { gitCommit, load, machineInfo } from './machine.ts'
import { parseOptions, type Options } from './options.ts'
import { renderPlots } from './plot.ts'
import { status } from './progress.ts'
import { updateMarkdown } from './report.ts'
import type { DatasetResult, RunResult, TargetResult } from './results.ts'
import { runTarget } from './runner.ts'
import { openNativeTarget } from './targets/native.ts'
import { openPgliteTarget, pgliteVersion } from './targets/pglite.ts'
import type { Target } from './targets/types.ts'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

function packageVersion(name: string): string {
  try {
    const require = createRequire(import.meta.url)
    let dir = dirname(require.resolve(name))
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string
      } catch { /* keep walking up */ }
    }
  } catch { /* not installed */ }
  return 'not installed'
}

function datasets(o: Options): Dataset[] {
  const out: Dataset[] = []
  for (const name of o.datasets) {
    if (name === 'synthetic') {
      out.push(synthetic({ n: o.n, dims: o.dims, clusters: o.clusters, noise: o.noise, queries: o.queries, seed: o.seed }))
    } else if (name === '+real') {
      for (const r of listRealDatasets(o.datasetsDir)) out.push(real(o.datasetsDir, r, o.n, o.queries))
    } else {
      out.push(real(o.datasetsDir, name, o.n, o.queries))
    }
  }
  return out
}

/** The command as typed, with the directory it was run from when that is not the repository root. */
function commandLine(argv: string[]): string {
  const args = argv.map((a) => (/^[\w./,=+:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
  const cwd = relative(REPO, process.cwd())
  const cmd = process.env.npm_lifecycle_event === 'bench'
    ? `npm run bench${args ? ` -- ${args}` : ''}`
    : `npx tsx ${relative(process.cwd(), join(REPO, 'scripts/bench/src/cli.ts'))}${args ? ` ${args}` : ''}`
  return cwd ? `cd ${cwd} && ${cmd}` : cmd
}

// The native target owns a running server in a temp dir: stop it on Ctrl-C instead of leaking it.
// A Ctrl-C reaches us more than once (npm and the terminal both forward it): stop only once.
let open: Target | undefined
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    status(`${signal}: stopping`)
    void (open?.close() ?? Promise.resolve()).finally(() => process.exit(130))
  })
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  const o = parseOptions(argv, REPO)
  const run: RunResult = {
    label: o.label,
    command: commandLine(argv),
    startedAt: new Date().toISOString(),
    finishedAt: '',
    gitCommit: gitCommit(REPO),
    machine: machineInfo(),
    loadBefore: load(),
    loadAfter: [],
    versions: {
      '@electric-sql/pglite': pgliteVersion(),
      '@electric-sql/pglite-pgvector': packageVersion('@electric-sql/pglite-pgvector'),
      '@ruvector/pglite': packageVersion('@ruvector/pglite'),
    },
    settings: {
      k: o.k, warmup: o.warmup, exactQueries: o.exactQueries,
      maintenance_work_mem: o.maintenanceWorkMem, native_shared_buffers: o.sharedBuffers,
    },
    datasets: [],
  }
  status(`bench "${o.label}": ${run.command} (load average ${run.loadBefore.join(' ')})`)

  for (const ds of datasets(o)) {
    status(`dataset: ${ds.description}`)
    const gt = await groundTruth(ds, o.k, join(o.cacheDir, 'groundtruth'))
    status(gt.cached ? 'ground truth: cached' : `ground truth: computed in ${gt.seconds.toFixed(1)}s`)
    const dr: DatasetResult = {
      name: ds.name, description: ds.description, n: ds.n, dims: ds.dims, nq: ds.nq, metric: ds.metric,
      groundTruth: { k: gt.k, cached: gt.cached, seconds: gt.seconds }, targets: [],
    }
    for (const name of o.targets) {
      let target: Target | undefined
      try {
        target = open = name === 'pglite'
          ? await openPgliteTarget()
          : await openNativeTarget({ setup: o.setup, sharedBuffers: o.sharedBuffers })
        dr.targets.push(await runTarget(target, ds, gt, { k: o.k, warmup: o.warmup, exactQueries: o.exactQueries, maintenanceWorkMem: o.maintenanceWorkMem, only: o.methods }))
      } catch (err) {
        const message = (err as Error).message.split('\n')[0]
        status(`${name}: target failed: ${message}`)
        dr.targets.push({ target: name, error: message, extensions: {}, methods: [] } satisfies TargetResult)
      } finally {
        await target?.close().catch((err) => status(`${name}: close failed: ${(err as Error).message}`))
        open = undefined
      }
    }
    run.datasets.push(dr)
  }

  run.finishedAt = new Date().toISOString()
  run.loadAfter = load()
  mkdirSync(o.resultsDir, { recursive: true })
  const jsonPath = join(o.resultsDir, `${o.label}.json`)
  writeFileSync(jsonPath, JSON.stringify(run, null, 1) + '\n')
  const plots = await renderPlots(run, o.resultsDir)
  status(`results: ${jsonPath}${plots.map((p) => `\nplot: ${p}`).join('')}`)
  if (o.markdown) {
    updateMarkdown(o.markdown, run, plots, jsonPath)
    status(`report: ${o.markdown} (section "${o.label}")`)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
