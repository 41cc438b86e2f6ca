// The package must resolve through its exports map from ESM and CJS alike, and both builds must
// point PGlite at the same tarball next to the compiled module.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const expectedTarball = new URL('../dist/ruvector.tar.gz', import.meta.url).href

for (const [kind, load] of [
  ['import', async () => (await import('@ruvector/pglite')).ruvector],
  ['require', async () => require('@ruvector/pglite').ruvector],
]) {
  test(`${kind}: extension object has the PGlite Extension shape`, async () => {
    const ext = await load()
    assert.equal(ext.name, 'ruvector')
    assert.equal(typeof ext.setup, 'function')
    const result = await ext.setup({}, { some: 'opts' })
    assert.deepEqual(Object.keys(result), ['bundlePath'])
    assert.ok(result.bundlePath instanceof URL)
    assert.equal(result.bundlePath.href, expectedTarball)
  })
}

const tarball = fileURLToPath(expectedTarball)
const haveTarball = existsSync(tarball)
for (const kind of ['import', 'require']) {
  test(`${kind}: PGlite.create loads the extension and CREATE EXTENSION works`, {
    skip: haveTarball ? false : `no ${tarball} yet (built by scripts/build/wasm.sh)`,
  }, async () => {
    const { PGlite } = kind === 'import' ? await import('@electric-sql/pglite') : require('@electric-sql/pglite')
    const { ruvector } = kind === 'import' ? await import('@ruvector/pglite') : require('@ruvector/pglite')
    const pg = await PGlite.create({ extensions: { ruvector } })
    try {
      await pg.exec('CREATE EXTENSION ruvector')
      const { rows } = await pg.query("SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS d")
      assert.equal(rows[0].d, 2)
    } finally {
      await pg.close()
    }
  })
}
