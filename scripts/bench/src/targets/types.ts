// The one shape both targets take, so the runner measures PGlite and native PostgreSQL alike.
import type { Dataset } from '../dataset.ts'
import type { Extension } from '../methods.ts'

export type TargetName = 'pglite' | 'native'

export interface Session {
  exec(sql: string): Promise<void>
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** One k-NN query with the vector as a text parameter; returns the ids in result order. */
  knn(sql: string, vector: string): Promise<number[]>
  /** Peak memory so far of what runs this session (bytes), or null if it cannot be read. */
  peakMemory(): Promise<number | null>
  close(): Promise<void>
}

export type Availability = { ok: true; version: string } | { ok: false; reason: string }

export interface Target {
  readonly name: TargetName
  /** Server version string and how peak memory is measured here, for the report. */
  readonly serverVersion: string
  readonly memoryKind: string
  /** Installs `ext` in its own database/instance and loads the dataset there. */
  prepare(ext: Extension, ds: Dataset): Promise<Availability>
  /** A fresh backend (native) / fresh instance (PGlite) over the prepared data: one per method. */
  session(ext: Extension): Promise<Session>
  release(ext: Extension): Promise<void>
  close(): Promise<void>
}
