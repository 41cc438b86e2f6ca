// PGlite runs initdb inside wasm on every fresh instance, which costs seconds per test file.
// Run it once per test run instead and let every file start from a copy of that empty cluster.
// The snapshot is taken before any extension exists: each file still loads the bundle and runs
// CREATE EXTENSION itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'

export async function makePgliteSnapshot(): Promise<{ path: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ruvector-conformance-pglite-'))
  const remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    const db = await PGlite.create()
    const dump = await db.dumpDataDir('none')
    await db.close()
    const path = join(dir, 'pgdata.tar')
    writeFileSync(path, new Uint8Array(await dump.arrayBuffer()))
    return { path, remove }
  } catch (err) {
    remove()
    throw err
  }
}
