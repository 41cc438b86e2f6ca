// The shape of one run's results, written as JSON next to the plots and read by the report.
import type { Extension } from './methods.ts'
import type { TargetName } from './targets/types.ts'

export interface SettingResult {
  label: string
  gucs: Record<string, string | number>
  queries: number
  recall: number
  qps: number
  p50ms: number
  p99ms: number
}

export interface MethodResult {
  id: string
  extension: Extension
  am: string | null
  status: 'ok' | 'skipped' | 'error'
  reason?: string
  baseline?: string
  buildOptions?: Record<string, number>
  buildSeconds?: number
  indexBytes?: number
  buildPeakBytes?: number | null
  searchPeakBytes?: number | null
  settings: SettingResult[]
}

export interface ExtensionStatus {
  ok: boolean
  version?: string
  reason?: string
}

export interface TargetResult {
  target: TargetName
  serverVersion?: string
  memoryKind?: string
  error?: string
  tableBytes?: number
  extensions: Partial<Record<Extension, ExtensionStatus>>
  methods: MethodResult[]
}

export interface DatasetResult {
  name: string
  description: string
  n: number
  dims: number
  nq: number
  metric: string
  groundTruth: { k: number; cached: boolean; seconds: number }
  targets: TargetResult[]
}

export interface RunResult {
  label: string
  command: string
  startedAt: string
  finishedAt: string
  gitCommit: string
  machine: Record<string, string>
  loadBefore: number[]
  loadAfter: number[]
  versions: Record<string, string>
  settings: Record<string, string | number>
  datasets: DatasetResult[]
}
