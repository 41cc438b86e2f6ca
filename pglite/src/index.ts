import type { Extension, PGliteInterface } from '@electric-sql/pglite'

// The bundle sits next to the compiled module in dist/; PGlite fetches or reads it from this URL
// (file: in Node, http(s): in browsers and bundlers that understand `new URL(..., import.meta.url)`).
const setup = async (_pg: PGliteInterface, _emscriptenOpts: any) => ({
  bundlePath: new URL('./ruvector.tar.gz', import.meta.url),
})

/** PGlite extension: `PGlite.create({ extensions: { ruvector } })`, then `CREATE EXTENSION ruvector`. */
export const ruvector = {
  name: 'ruvector',
  setup,
} satisfies Extension

export { SparseVector, fromSql, sparsevecFromSql, toSql, vectorTypes } from './sql-values.js'
export type { VectorTypeOptions } from './sql-values.js'
