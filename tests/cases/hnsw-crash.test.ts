// An hnsw index survives its server going away: SIGKILL of every native server process
// mid-insert, and a PGlite data directory closed and reopened. The cases are in
// harness/crash.ts, shared with ivfflat-crash.
import { describeCrashCases } from '../harness/crash'

describeCrashCases({
  method: 'hnsw',
  nativeOptions: 'm = 16, ef_construction = 64',
  pgliteOptions: '',
  nativeScan: { 'hnsw.ef_search': 100 },
  pgliteScan: {},
})
