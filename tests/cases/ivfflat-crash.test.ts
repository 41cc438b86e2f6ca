// An ivfflat index survives its server going away: SIGKILL of every native server process while
// four connections insert into an index built with lists = 20 on 2,000 rows, then crash recovery;
// and a PGlite data directory closed and reopened. Afterwards ruvector_index_check finds nothing
// and every committed row is the nearest neighbour of its own vector by an index scan. Scans run
// with ivfflat.probes = lists, so they visit every list and are exact: a row the index lost (or
// filed in a list that is not linked) is a failure, not a recall miss. The cases are in
// harness/crash.ts, shared with hnsw-crash.
import { describeCrashCases } from '../harness/crash'

const LISTS = 20

describeCrashCases({
  method: 'ivfflat',
  nativeOptions: `lists = ${LISTS}`,
  pgliteOptions: `lists = ${LISTS}`,
  nativeScan: { 'ivfflat.probes': LISTS },
  pgliteScan: { 'ivfflat.probes': LISTS },
})
