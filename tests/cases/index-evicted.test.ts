// Index pages evicted while searches read them: with shared_buffers at 1MB (128 buffers) the
// table and its index take more buffers than there are (hnsw and ivfflat about twice), so every
// search reads pages that other reads just evicted, and by the next query the buffers a page was
// found in hold other pages. Remembered buffers (natively ReadRecentBuffer; in PGlite pages read
// straight from a buffer whose descriptor still shows them; on both, prefetches through those
// addresses) must never hand a search the wrong page: each access method answers exactly after
// its build, after inserts and after DELETE + VACUUM, on an instance or server of its own with
// that setting.
import { expect, test } from 'vitest'
import { exhaustiveL2Methods, expectExactTop10 } from '../harness/exhaustive'
import { expectIndexSound, insertRows } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const DIMS = 256
const SHARED_BUFFERS = 128
const next = rng(0xe71c)
const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, v: randomVector(next, DIMS) }))
const queries = Array.from({ length: 4 }, () => randomVector(next, DIMS))
const methods = exhaustiveL2Methods(rows.length)

describeTargets('indexes whose pages are evicted while searched', (t) => {
  for (const m of methods) {
    test(`${m.name}: exact answers with ${SHARED_BUFFERS} shared buffers, through inserts and VACUUM`, async () => {
      const table = `evicted_${m.name}`
      const expectExact = (live: typeof rows) => expectExactTop10(t, m, table, live, queries)
      await t.exec(`CREATE TABLE ${table} (id int, v vector(${DIMS}))`)
      await insertRows(t, table, rows.slice(0, 800).map((r) => `${r.id}, '${literal(r.v)}'`), 100)
      await t.exec(`CREATE INDEX ${table}_idx ON ${table} ${m.index}`)
      await expectExact(rows.slice(0, 800))

      await insertRows(t, table, rows.slice(800).map((r) => `${r.id}, '${literal(r.v)}'`), 50)
      await expectExact(rows)

      await t.exec(`DELETE FROM ${table} WHERE id % 10 < 3`)
      await t.exec(`VACUUM ${table}`)
      await expectExact(rows.filter((r) => r.id % 10 >= 3))

      // The premise: the setting took, and table and index need more buffers than there are.
      const [{ shared_buffers }] = await t.query<{ shared_buffers: string }>('SHOW shared_buffers')
      expect(shared_buffers).toBe('1MB')
      const [{ pages }] = await t.query<{ pages: number }>(
        `SELECT ((pg_relation_size('${table}') + pg_relation_size('${table}_idx')) / 8192)::int AS pages`)
      expect(pages).toBeGreaterThan(SHARED_BUFFERS)
      if (m.name === 'hnsw') await expectIndexSound(t, `${table}_idx`)
      await t.exec(`DROP TABLE ${table}`)
    })
  }
}, { settings: { shared_buffers: `${SHARED_BUFFERS * 8}kB` } })
