// The same rows give a byte-identical index natively and in PGlite: k-means, the rotation and
// the codes use only arithmetic with one result on every target (scalar kernels in fixed order,
// seeded SplitMix64), and the pages are written in one deterministic pass. Both targets load the
// same rows with the same statements, build a rabitq and an ivfflat index, and the SHA-256 of
// every page's payload (ruvector_index_contents; Postgres' page header with the LSN left out) must
// match. Needs both targets in one run.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { config } from '../harness/config'
import { insertRows, SLOW_STATEMENT } from '../harness/hnsw'
import { clusteredVectors, literal, rng } from '../harness/random'
import { openTarget } from '../harness/targets'
import type { Target } from '../harness/target'

const ROWS = 3000
const DIMS = 96
const skip = config.extension !== 'ruvector' // skip reason (also in the title): ruvector_index_contents is ruvector's, and the case compares the two targets
  ? `ruvector_index_contents is ruvector's; extension is ${config.extension}`
  : config.targets.length < 2 ? 'needs both targets in one run' : undefined
const rows = clusteredVectors(rng(0x1de7), ROWS, DIMS, { clusters: 6, spread: 0.3 }).map((v, i) => `${i + 1}, '${literal(v)}', '${literal(v)}'`)

const INDEXES = [
  { name: 'same_rabitq', sql: 'USING rabitq (embedding vector_cosine_ops) WITH (lists = 12)' },
  { name: 'same_rabitq_auto', sql: 'USING rabitq (half halfvec_l2_ops)' },
  { name: 'same_rabitq_bits', sql: 'USING rabitq (embedding vector_ip_ops) WITH (lists = 12, bits = 4)' },
  { name: 'same_ivfflat', sql: 'USING ivfflat (embedding vector_l2_ops) WITH (lists = 12)' },
]

const describeOrSkip = skip ? describe.skip : describe // skipped against pgvector, or with only one target in the run
describeOrSkip(`[pglite+native] IVF indexes are byte-identical across targets${skip ? ` (skipped: ${skip})` : ''}`, () => { // skipped against pgvector or with one target: it compares the two
  const targets: Target[] = []
  beforeAll(async () => {
    for (const name of config.targets) targets.push(await openTarget(name))
  })
  afterAll(async () => {
    for (const t of targets) await t.close()
  })

  test('same rows, same statements: the same pages', { timeout: 300_000 }, async () => {
    const digests: Record<string, string>[] = []
    for (const t of targets) {
      await t.exec(`CREATE TABLE same (id int, embedding vector(${DIMS}), half halfvec(${DIMS}))`)
      await insertRows(t, 'same', rows, 500, SLOW_STATEMENT)
      const digest: Record<string, string> = {}
      for (const index of INDEXES) {
        await t.exec(`CREATE INDEX ${index.name} ON same ${index.sql}`, SLOW_STATEMENT)
        const [row] = await t.query<{ pages: number; sha: string }>(
          `SELECT length(c) / 8168 AS pages, encode(sha256(c), 'hex') AS sha FROM ruvector_index_contents('${index.name}') c`)
        digest[index.name] = `${row.pages} pages, sha256 ${row.sha}`
      }
      digests.push(digest)
      await t.exec('DROP TABLE same')
    }
    expect(digests[1]).toEqual(digests[0])
  })
})
