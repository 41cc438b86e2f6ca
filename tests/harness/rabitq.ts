// rabitq is ruvector's own access method: its cases are skipped when the suite validates itself
// against pgvector, which has none.
import { config } from './config'

export const rabitqOnly = config.extension === 'ruvector'
  ? {}
  : { skip: `rabitq is ruvector's own access method; extension is ${config.extension}` }
