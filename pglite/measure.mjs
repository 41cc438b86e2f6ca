// `npm --workspace pglite run measure`: what @ruvector/pglite costs a user.
// - size: the npm tarball (`npm pack`, what `npm install` downloads) and the extension bundle
//   dist/ruvector.tar.gz inside it;
// - load time in Node: PGlite.create + CREATE EXTENSION ruvector, against PGlite.create alone,
//   each run in a fresh Node process (cold, as an application starts), median of RUNS.
// Prints Markdown table rows for pglite/README.md. Timing is reported, never asserted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const RUNS = Number(process.env.RUNS ?? 7)
const here = fileURLToPath(new URL('.', import.meta.url))
const kB = (bytes) => `${(bytes / 1000).toFixed(0)} kB`

// The package as published: built as prepack would, then packed (prepack's build output would
// otherwise mix into pack's JSON).
execFileSync('npm', ['run', '--silent', 'build'], { cwd: here, stdio: 'ignore' })
const out = mkdtempSync(join(tmpdir(), 'ruvector-pack-'))
const [pack] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
    cwd: here,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
)
rmSync(out, { recursive: true, force: true })
const bundle = statSync(join(here, 'dist/ruvector.tar.gz')).size

// One cold start in a child process; prints its own milliseconds so Node's own start-up
// (the same in both cases) is not counted.
const child = (withExtension) => `
  const t0 = performance.now()
  const { PGlite } = await import('@electric-sql/pglite')
  ${withExtension ? "const { ruvector } = await import('@ruvector/pglite')" : ''}
  const pg = await PGlite.create(${withExtension ? '{ extensions: { ruvector } }' : ''})
  const t1 = performance.now()
  ${withExtension ? "await pg.exec('CREATE EXTENSION ruvector')" : ''}
  await pg.query('SELECT 1')
  const t2 = performance.now()
  await pg.close()
  console.log(JSON.stringify({ create: t1 - t0, ready: t2 - t0 }))
`
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const coldStart = (withExtension) =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', child(withExtension)], { cwd: here, encoding: 'utf8' }),
  )
// Interleaved, so a change in machine load during the runs weighs on both alike.
const plain = []
const withRuvector = []
for (let i = 0; i < RUNS; i++) {
  plain.push(coldStart(false))
  withRuvector.push(coldStart(true))
}
const stat = (runs, pick) => {
  const xs = runs.map(pick)
  return `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)})`
}

console.log(`| npm tarball (\`npm pack\`, ${pack.entryCount} files) | ${kB(pack.size)} (${kB(pack.unpackedSize)} unpacked) |`)
console.log(`| extension bundle \`dist/ruvector.tar.gz\` | ${kB(bundle)} |`)
console.log(`| \`PGlite.create()\` | ${stat(plain, (r) => r.create)} |`)
console.log(`| \`PGlite.create({ extensions: { ruvector } })\` | ${stat(withRuvector, (r) => r.create)} |`)
console.log(`| \`CREATE EXTENSION ruvector\` (+ \`SELECT 1\`) | ${stat(withRuvector, (r) => r.ready - r.create)} |`)
console.log(`| \`SELECT 1\` alone, no extension | ${stat(plain, (r) => r.ready - r.create)} |`)
console.log(`| cold start to first query: no extension → with ruvector | ${stat(plain, (r) => r.ready)} → ${stat(withRuvector, (r) => r.ready)} |`)
console.log(`\nmedian (and fastest) of ${RUNS} cold runs each, interleaved, Node ${process.version}`)
if (pack.size > 1_000_000) {
  console.error(`npm tarball is ${kB(pack.size)}: over the 1 MB budget`)
  process.exitCode = 1
}
