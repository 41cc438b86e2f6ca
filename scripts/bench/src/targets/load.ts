// Creating and filling the `items` table, the same statements on both targets.
import type { Dataset } from '../dataset.ts'
import { vectorLiteral } from '../dataset.ts'
import { progress } from '../progress.ts'
import type { Session } from './types.ts'

// Multi-row INSERTs of text literals: both extensions parse the same text, and no COPY client
// library is needed. About 1–2 MB per statement keeps PGlite's message sizes modest.
export async function loadItems(s: Session, ds: Dataset, label: string): Promise<number> {
  const t0 = performance.now()
  await s.exec(`CREATE TABLE items (id int4 NOT NULL, embedding vector(${ds.dims}) NOT NULL)`)
  const batch = Math.max(50, Math.floor(400_000 / ds.dims))
  const bar = progress(`${label}: loading ${ds.n} rows`, ds.n)
  for (let start = 0; start < ds.n; start += batch) {
    const end = Math.min(ds.n, start + batch)
    const values: string[] = []
    for (let i = start; i < end; i++) values.push(`(${i},'${vectorLiteral(ds.base, i, ds.dims, ds.decimals)}')`)
    await s.exec(`INSERT INTO items (id, embedding) VALUES ${values.join(',')}`)
    bar.tick(end - start)
  }
  bar.done()
  await s.exec('VACUUM ANALYZE items')
  return (performance.now() - t0) / 1000
}
