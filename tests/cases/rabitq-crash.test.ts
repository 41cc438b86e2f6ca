// A rabitq index survives its server going away: SIGKILL of every native server process while
// four connections insert into an index built with lists = 20 on 2,000 rows, then crash recovery;
// and a PGlite data directory closed and reopened. Afterwards ruvector_index_check finds nothing
// and every committed row is the nearest neighbour of its own vector by an index scan. Scans
// probe every list, so a row the index lost (or filed in a list that is not linked) is a
// failure, not a recall miss. The cases are in harness/crash.ts, shared with hnsw and ivfflat.
import { describeCrashCases } from '../harness/crash'

const LISTS = 20

describeCrashCases({
  method: 'rabitq',
  nativeOptions: `lists = ${LISTS}`,
  pgliteOptions: `lists = ${LISTS}`,
  nativeScan: { 'rabitq.probes': LISTS },
  pgliteScan: { 'rabitq.probes': LISTS },
})
