// The database lives in this Web Worker, so importing 20,000 rows and building the hnsw index
// never blocks the page. The page talks to it through PGliteWorker (src/db.js), which passes
// its options (dataDir, relaxedDurability) to init().
import { PGlite } from '@electric-sql/pglite'
import { worker } from '@electric-sql/pglite/worker'
import { ruvector } from '@ruvector/pglite'

worker({
  async init({ dataDir, relaxedDurability }) {
    return PGlite.create({ dataDir, relaxedDurability, extensions: { ruvector } })
  },
})
