// An index rewritten under a session that has read it: REINDEX and TRUNCATE give it new files
// under the same oid, so pages the session remembers finding in some buffer (natively through
// ReadRecentBuffer hints, in PGlite read from the buffer without a pin) now live elsewhere,
// and their old buffers hold other pages (of the table, of the new index). Each access method
// of ours must then read the new pages, never the remembered buffers: the answers stay exact
// for the rows there are now.
import { test } from 'vitest'
import { exhaustiveL2Methods, expectExactTop10 } from '../harness/exhaustive'
import { expectIndexSound, insertRows } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const DIMS = 32
const next = rng(0x51d3)
const first = Array.from({ length: 600 }, (_, i) => ({ id: i + 1, v: randomVector(next, DIMS) }))
const second = Array.from({ length: 600 }, (_, i) => ({ id: 1000 + i, v: randomVector(next, DIMS) }))
const queries = Array.from({ length: 4 }, () => randomVector(next, DIMS))

const methods = exhaustiveL2Methods(first.length)

describeTargets('indexes rewritten after a session read them', (t) => {
  for (const m of methods) {
    test(`${m.name}: answers exactly after REINDEX, TRUNCATE and a new table`, async () => {
      const table = `rewritten_${m.name}`
      const expectExact = (rows: typeof first, from = table) => expectExactTop10(t, m, from, rows, queries)
      await t.exec(`CREATE TABLE ${table} (id int, v vector(${DIMS}))`)
      await insertRows(t, table, first.map((r) => `${r.id}, '${literal(r.v)}'`))
      await t.exec(`CREATE INDEX ${table}_idx ON ${table} ${m.index}`)
      await expectExact(first)

      await t.exec(`REINDEX INDEX ${table}_idx`)
      await expectExact(first)

      // The same oid, new files, other rows: the old pages' buffers are free for anything.
      await t.exec(`TRUNCATE ${table}`)
      await insertRows(t, table, second.map((r) => `${r.id}, '${literal(r.v)}'`))
      await expectExact(second)

      // Another relation's pages in the buffers this index's pages were found in before.
      await t.exec(`DROP TABLE ${table}`)
      await t.exec(`CREATE TABLE ${table}_next (id int, v vector(${DIMS}))`)
      await insertRows(t, `${table}_next`, first.map((r) => `${r.id}, '${literal(r.v)}'`))
      await t.exec(`CREATE INDEX ${table}_next_idx ON ${table}_next ${m.index}`)
      await expectExact(first, `${table}_next`)
      if (m.name === 'hnsw') await expectIndexSound(t, `${table}_next_idx`)
      await t.exec(`DROP TABLE ${table}_next`)
    })
  }
})
