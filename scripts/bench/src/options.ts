// Command-line options. Two presets: the default full run and --quick, a smoke run that must stay
// under five minutes on a 2-core machine.
import { parseArgs } from 'node:util'
import type { SyntheticOptions } from './dataset.ts'

export interface Options extends SyntheticOptions {
  label: string
  quick: boolean
  k: number
  warmup: number
  exactQueries: number
  datasets: string[]
  targets: ('pglite' | 'native')[]
  methods: string[]
  setup: boolean
  sharedBuffers: string
  maintenanceWorkMem: string
  datasetsDir: string
  cacheDir: string
  resultsDir: string
  markdown: string | null
}

const HELP = `npm run bench -- [options]

  --quick                 smoke run: 10,000 × 128, 200 queries (under 5 minutes)
  (default)               full run: 100,000 × 384, 1,000 queries
  --n N --dims D          synthetic size (and a cap on rows of real datasets)
  --clusters C --noise S  synthetic mixture: C centres ~ N(0,1), points centre + N(0,S²)
  --queries Q --seed X    query count, generator seed
  --k K                   neighbours per query, recall@K (10)
  --exact-queries Q       queries for the exact-scan rows (100)
  --warmup W              untimed queries before each setting (50; 20 with --quick)
  --datasets LIST         synthetic and/or NAMEs under --datasets-dir (default: synthetic plus every real one found)
  --targets LIST          pglite,native
  --methods LIST          method ids, e.g. pgvector/hnsw,ruvector/exact (default: all)
  --no-setup              don't run scripts/setup/pgvector-native.sh
  --shared-buffers SIZE   native shared_buffers (1GB)
  --maintenance-work-mem SIZE   for index builds on both targets (1GB)
  --label NAME            section of BENCHMARKS.md and file prefix in bench/ (quick / full / custom)
  --no-markdown           don't touch BENCHMARKS.md
`

export function parseOptions(argv: string[], repo: string): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' }, quick: { type: 'boolean' },
      n: { type: 'string' }, dims: { type: 'string' }, clusters: { type: 'string' }, noise: { type: 'string' },
      queries: { type: 'string' }, seed: { type: 'string' }, k: { type: 'string' },
      'exact-queries': { type: 'string' }, warmup: { type: 'string' },
      datasets: { type: 'string' }, targets: { type: 'string' }, methods: { type: 'string' },
      'no-setup': { type: 'boolean' }, 'shared-buffers': { type: 'string' }, 'maintenance-work-mem': { type: 'string' },
      label: { type: 'string' }, 'no-markdown': { type: 'boolean' },
      'datasets-dir': { type: 'string' }, 'cache-dir': { type: 'string' }, 'results-dir': { type: 'string' },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    process.exit(0)
  }
  const quick = values.quick === true
  const int = (v: string | undefined, d: number, name: string) => {
    if (v === undefined) return d
    const x = Number(v)
    if (!Number.isInteger(x) || x <= 0) throw new Error(`--${name} must be a positive integer, got "${v}"`)
    return x
  }
  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  const sized = ['n', 'dims', 'clusters', 'noise', 'queries', 'seed'].some((k) => (values as Record<string, unknown>)[k] !== undefined)
  const targets = list(values.targets ?? 'pglite,native')
  for (const t of targets) if (t !== 'pglite' && t !== 'native') throw new Error(`--targets: unknown target "${t}"`)
  return {
    label: values.label ?? (sized ? 'custom' : quick ? 'quick' : 'full'),
    quick,
    n: int(values.n, quick ? 10_000 : 100_000, 'n'),
    dims: int(values.dims, quick ? 128 : 384, 'dims'),
    clusters: int(values.clusters, 100, 'clusters'),
    noise: values.noise !== undefined ? Number(values.noise) : 2.5,
    queries: int(values.queries, quick ? 200 : 1000, 'queries'),
    seed: int(values.seed, 42, 'seed'),
    k: int(values.k, 10, 'k'),
    warmup: int(values.warmup, quick ? 20 : 50, 'warmup'),
    exactQueries: int(values['exact-queries'], quick ? 50 : 100, 'exact-queries'),
    datasets: list(values.datasets ?? 'synthetic,+real'),
    targets: targets as Options['targets'],
    methods: list(values.methods),
    setup: values['no-setup'] !== true,
    sharedBuffers: values['shared-buffers'] ?? '1GB',
    maintenanceWorkMem: values['maintenance-work-mem'] ?? '1GB',
    datasetsDir: values['datasets-dir'] ?? '/work/shared/datasets',
    cacheDir: values['cache-dir'] ?? `${repo}/build/bench`,
    resultsDir: values['results-dir'] ?? `${repo}/bench`,
    markdown: values['no-markdown'] ? null : `${repo}/BENCHMARKS.md`,
  }
}
