// Indexes on temporary tables live in the backend's local buffers, not shared_buffers: the
// page store finds their pages another way (negative buffer numbers). Each access method of
// ours, built on a TEMP table and grown by inserts after the build, answers exactly when
// asked to search everything.
import { test } from 'vitest'
import { exhaustiveL2Methods, expectExactTop10 } from '../harness/exhaustive'
import { expectIndexSound, insertRows } from '../harness/hnsw'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const DIMS = 24
const next = rng(0x7e3b)
const rows = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, v: randomVector(next, DIMS) }))
const queries = Array.from({ length: 5 }, () => randomVector(next, DIMS))

const methods = exhaustiveL2Methods(rows.length)

describeTargets('indexes on temporary tables', (t) => {
  for (const m of methods) {
    test(`${m.name}: built, then inserted into, answers exactly`, async () => {
      const table = `tmp_${m.name}`
      await t.exec(`CREATE TEMP TABLE ${table} (id int, v vector(${DIMS}))`)
      await insertRows(t, table, rows.slice(0, 300).map((r) => `${r.id}, '${literal(r.v)}'`))
      await t.exec(`CREATE INDEX ${table}_idx ON ${table} ${m.index}`)
      await insertRows(t, table, rows.slice(300).map((r) => `${r.id}, '${literal(r.v)}'`))
      await expectExactTop10(t, m, table, rows, queries)
      if (m.name === 'hnsw') await expectIndexSound(t, `${table}_idx`)
      await t.exec(`DROP TABLE ${table}`)
    })
  }
})
