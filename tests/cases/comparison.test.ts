// Comparison operators and btree ordering: element by element, then shorter vectors first.
import { expect, test } from 'vitest'
import { describeTargets } from '../harness/targets'

describeTargets('vector comparison and ordering', (t) => {
  test('comparison operators follow element-then-length order', async () => {
    const cases: [string, string, number][] = [
      ['[1,2]', '[1,2]', 0],
      ['[1,2]', '[1,3]', -1],
      ['[2]', '[1,2]', 1],
      ['[1,2]', '[1,2,3]', -1],
      ['[1,2,3]', '[1,2]', 1],
      ['[-0]', '[0]', 0],
      ['[-1,5]', '[1]', -1],
    ]
    for (const [a, b, cmp] of cases) {
      const [r] = await t.query(
        `SELECT vector_cmp($1::vector, $2::vector) AS cmp,
                $1::vector = $2::vector AS eq, $1::vector <> $2::vector AS ne,
                $1::vector < $2::vector AS lt, $1::vector <= $2::vector AS le,
                $1::vector > $2::vector AS gt, $1::vector >= $2::vector AS ge`,
        [a, b],
      )
      expect(r, `${a} vs ${b}`).toEqual({
        cmp, eq: cmp === 0, ne: cmp !== 0, lt: cmp < 0, le: cmp <= 0, gt: cmp > 0, ge: cmp >= 0,
      })
    }
  })

  test('ORDER BY, DISTINCT and a btree index agree with that order', async () => {
    await t.exec('CREATE TABLE ordering (v vector)')
    const values = ['[3,1]', '[1,2,3]', '[1,2]', '[1]', '[-1,5]', '[1,2]', '[1,2.0]', '[0]', '[-0]']
    for (const v of values) await t.query('INSERT INTO ordering VALUES ($1)', [v])
    const expected = ['[-1,5]', '[0]', '[1]', '[1,2]', '[1,2,3]', '[3,1]']
    // [0] and [-0] are equal; the text tie-break makes the kept one deterministic.
    const distinct = await t.query<{ txt: string }>(
      'SELECT DISTINCT ON (v) v::text AS txt FROM ordering ORDER BY v, v::text',
    )
    expect(distinct.map((r) => r.txt)).toEqual(['[-1,5]', '[-0]', '[1]', '[1,2]', '[1,2,3]', '[3,1]'])
    const [n] = await t.query('SELECT count(DISTINCT v)::int AS n FROM ordering')
    expect(n.n).toBe(expected.length)
    await t.exec('CREATE INDEX ordering_btree ON ordering (v); SET enable_seqscan = off')
    const indexed = await t.query<{ txt: string }>("SELECT v::text AS txt FROM ordering WHERE v >= '[1]' ORDER BY v")
    expect(indexed.map((r) => r.txt)).toEqual(['[1]', '[1,2]', '[1,2]', '[1,2]', '[1,2,3]', '[3,1]'])
    await t.exec('RESET enable_seqscan')
  })
})
