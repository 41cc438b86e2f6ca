// Text input and output of `vector`: parsing like strtof, printing like float4out (shortest
// string that reads back as the same float4), and exact round trips.
import { expect, test } from 'vitest'
import { toHex, vectorBytes } from '../harness/bytes'
import { literal, randomVector, rng } from '../harness/random'
import { describeTargets } from '../harness/targets'

const asText = 'SELECT $1::vector::text AS t'

describeTargets('vector text format', (t) => {
  const text = async (input: string) => (await t.query<{ t: string }>(asText, [input]))[0].t

  test('prints elements as shortest round-trip float4', async () => {
    const cases: [string, string][] = [
      ['[1.5]', '[1.5]'],
      ['[1e-7]', '[1e-07]'],
      ['[123456789]', '[1.2345679e+08]'],
      ['[-0]', '[-0]'],
      ['[0]', '[0]'],
      ['[0.1,0.2,0.3]', '[0.1,0.2,0.3]'],
      ['[1.23456789]', '[1.2345679]'],
      ['[100000,999999,1000000,1234567]', '[100000,999999,1e+06,1.234567e+06]'],
      ['[0.0001,0.00012345,0.000012345,7e-5]', '[0.0001,0.00012345,1.2345e-05,7e-05]'],
      ['[16777217]', '[1.6777216e+07]'],
      ['[1.0000001,0.99999994]', '[1.0000001,0.99999994]'],
      ['[3.4028235e38,-3.4028235e38]', '[3.4028235e+38,-3.4028235e+38]'],
      ['[1.17549435e-38,1e-40,1e-45]', '[1.1754944e-38,1e-40,1e-45]'],
      ['[-1,-2.5,42]', '[-1,-2.5,42]'],
    ]
    for (const [input, output] of cases) expect(await text(input), input).toBe(output)
  })

  test('parses every number syntax strtof accepts', async () => {
    const cases: [string, string][] = [
      ['[+1,-.5,5.,1E3,2e+2,3E-1]', '[1,-0.5,5,1000,200,0.3]'],
      ['[0x10,0x1p-149]', '[16,1e-45]'],
      ['[007,1.50]', '[7,1.5]'],
      // Below the smallest subnormal rounds to zero, keeping the sign; it is not an error.
      ['[1e-50,-1e-46]', '[0,-0]'],
      // Just under the overflow threshold rounds to FLT_MAX.
      ['[3.4028235677973366e38]', '[3.4028235e+38]'],
    ]
    for (const [input, output] of cases) expect(await text(input), input).toBe(output)
  })

  test('tolerates whitespace around brackets, elements and commas', async () => {
    const inputs = [
      '[1,2,3]', ' [1,2,3]', '[1,2,3] ', '[ 1,2,3]', '[1,2,3 ]', '[1 ,2, 3]',
      '  [  1  ,  2  ,  3  ]  ', '\t[\t1,\n2,\r3\f]\n', '\v[1,\v2,3]\v', '\r\n[1,\r\n2,\r\n3]\r\n',
    ]
    for (const input of inputs) expect(await text(input), JSON.stringify(input)).toBe('[1,2,3]')
  })

  test('output parses back to the same float4 bits (random vectors)', async () => {
    const next = rng(0x7e47)
    for (const dims of [1, 3, 17, 128, 1536]) {
      for (const scale of [1e-30, 1e-3, 1, 1e6, 1e30]) {
        const v = randomVector(next, dims, scale)
        const [r] = await t.query<{ t: string; sent: string; again: string }>(
          `SELECT $1::vector::text AS t, encode(vector_send($1::vector), 'hex') AS sent,
                  encode(vector_send($1::vector::text::vector), 'hex') AS again`,
          [literal(v)],
        )
        expect(r.sent, `dims=${dims} scale=${scale}`).toBe(toHex(vectorBytes(v)))
        expect(r.again).toBe(r.sent)
        // JS reads the printed decimals back to exactly the float32 values sent.
        const printed = r.t.slice(1, -1).split(',').map(Number).map(Math.fround)
        expect(printed).toEqual(v)
      }
    }
  })

  test('a stored vector reads back as the literal it was written with', async () => {
    await t.exec('CREATE TABLE text_round_trip (id int, v vector)')
    const literals = ['[1,2,3]', '[-0,0,1e-45]', '[3.4028235e+38]', '[0.1,1.2345679,1e-07]']
    for (const [i, lit] of literals.entries()) {
      await t.query('INSERT INTO text_round_trip VALUES ($1, $2)', [i, lit])
    }
    const rows = await t.query<{ v: string }>('SELECT v::text AS v FROM text_round_trip ORDER BY id')
    expect(rows.map((r) => r.v)).toEqual(literals)
  })

  test('casts vector to and from text', async () => {
    const [r] = await t.query<{ a: string; b: string }>(
      "SELECT ('[1,2]'::vector)::text AS a, ('[3, 4]'::text)::vector::text AS b",
    )
    expect(r).toEqual({ a: '[1,2]', b: '[3,4]' })
  })
})
