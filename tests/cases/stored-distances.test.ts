// Distances on values read from a table rather than written as literals: Postgres hands the
// functions short-header datums (values under 127 bytes are stored with a 1-byte header),
// out-of-line TOASTed ones (over ~2 KB; `vector` and `halfvec` are stored uncompressed) and
// plain inline ones, each read its own way. A dimension mismatch met halfway through a scan
// is pgvector's error, and the session goes on.
import { expect, test } from 'vitest'
import { expectSqlError, SQLSTATE } from '../harness/expect-error'
import { describeTargets } from '../harness/targets'

/** `[0.5, 1, 1.5, …]`: exact in float4 and in binary16 up to 2048 elements. */
const ramp = (dims: number) => Array.from({ length: dims }, (_, i) => ((i % 64) + 1) / 2)
const literal = (v: number[]) => `[${v.join(',')}]`
const sumSquares = (v: number[]) => v.reduce((s, x) => s + x * x, 0)

describeTargets('distances on stored values', (t) => {
  for (const type of ['vector', 'halfvec']) {
    test(`${type}: short-header, inline and out-of-line values`, async () => {
      const table = `stored_${type}`
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, v ${type})`)
      // 3 dims: 20 bytes (1-byte header on disk); 200: inline; 2000 (4 or 8 KB): out of line.
      for (const [id, dims] of [[1, 3], [2, 200], [3, 2000]]) {
        await t.query(`INSERT INTO ${table} VALUES ($1, $2)`, [id, literal(ramp(dims))])
      }
      const [storage] = await t.query(`SELECT pg_column_size(v) AS small FROM ${table} WHERE id = 1`)
      expect(storage).toEqual({ small: type === 'vector' ? 17 : 11 })
      for (const [id, dims] of [[1, 3], [2, 200], [3, 2000]]) {
        const zero = `array_fill(0, ARRAY[${dims}])::${type}`
        const [r] = await t.query(`
          SELECT v <-> ${zero} AS l2, v <#> v AS nip, v <=> v AS cos, v <+> ${zero} AS l1,
                 inner_product(v, v) AS ip, ${type}_l2_squared_distance(v, ${zero}) AS l2sq
          FROM ${table} WHERE id = $1`, [id])
        const v = ramp(dims)
        const n = sumSquares(v)
        expect(r).toEqual({ l2: Math.sqrt(n), nip: -n, cos: 0, l1: v.reduce((s, x) => s + x, 0), ip: n, l2sq: n })
      }
    })

    test(`${type}: a dimension mismatch halfway through a scan is an error; the session goes on`, async () => {
      const table = `mixed_${type}`
      await t.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, v ${type});
        INSERT INTO ${table} SELECT i, ARRAY[i, 1, 2]::${type} FROM generate_series(1, 50) i;
        INSERT INTO ${table} VALUES (51, '[1,2,3,4]')`)
      await expectSqlError(t.query(`SELECT id FROM ${table} ORDER BY v <-> '[0,1,2]' LIMIT 3`), {
        message: `different ${type} dimensions 4 and 3`, code: SQLSTATE.dataException,
      })
      const rows = await t.query(`SELECT id FROM ${table} WHERE id <= 50 ORDER BY v <-> '[0,1,2]' LIMIT 3`)
      expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    })
  }
})
