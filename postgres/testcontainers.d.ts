import type { StartedTestContainer } from 'testcontainers'

export declare const DEFAULT_IMAGE: string

export interface ContainerRuntimeStatus {
  available: boolean
  /** Which engine was found, or why none was and what to do about it: use it as the skip reason. */
  reason: string
}
export declare function containerRuntime(): Promise<ContainerRuntimeStatus>

export interface RuvectorPostgresOptions {
  /** Image to run (default: $RUVECTOR_POSTGRES_IMAGE or 'ruvector-postgres:18'). */
  image?: string
  /** Build the image from postgres/Dockerfile first (slow: compiles the extension). */
  build?: { context: string; dockerfile?: string; pgMajor?: number }
  user?: string
  password?: string
  database?: string
  /** Run CREATE EXTENSION ruvector in `database` (default true). */
  createExtension?: boolean
  startupTimeoutMs?: number
}
export interface StartedRuvectorPostgres {
  container: StartedTestContainer
  host: string
  port: number
  connectionUri: string
  stop(): Promise<unknown>
}
export declare function startRuvectorPostgres(options?: RuvectorPostgresOptions): Promise<StartedRuvectorPostgres>
