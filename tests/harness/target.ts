// The one interface every case is written against. Each target hides its client library and
// returns rows and errors in the same shape, so an assertion means the same thing on both.
import type { TargetName } from './config'

export type Row = Record<string, unknown>

/** A PostgreSQL ERROR as the client saw it; the fields cases assert on. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly severity: string | undefined,
    readonly detail: string | undefined,
    readonly hint: string | undefined,
  ) {
    super(message)
    this.name = 'SqlError'
  }

  static from(err: unknown): unknown {
    if (err instanceof SqlError) return err
    const e = err as { message?: unknown; code?: unknown; severity?: unknown; detail?: unknown; hint?: unknown }
    // Both pg and PGlite put the SQLSTATE in `code`; anything without one is not a server error.
    if (!e || typeof e.message !== 'string' || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return err
    const opt = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined)
    return new SqlError(e.message, e.code, opt(e.severity), opt(e.detail), opt(e.hint))
  }
}

export interface Target {
  readonly name: TargetName
  /** One statement, optional `$n` parameters sent as text; rows with the client's type parsing. */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>
  /**
   * One or more statements without parameters or results. `timeoutMs` replaces the run's
   * per-statement budget (CONFORMANCE_QUERY_TIMEOUT_MS) for this call, for the few statements
   * that legitimately take longer, such as building a large index in PGlite on a busy machine.
   */
  exec(sql: string, opts?: { timeoutMs?: number }): Promise<void>
  /**
   * Extended-query protocol with every parameter and every result column in binary format:
   * the bytes go to the server's `*_recv` and come back from `*_send` untouched.
   * Returns each row as its raw column values (null for SQL NULL). On the native target this
   * runs on a second session of the same database: don't rely on temp tables or SET here.
   */
  queryBinary(sql: string, params: Uint8Array[]): Promise<(Uint8Array | null)[][]>
  /**
   * Runs one statement and returns the messages of the notices it sent, in order (NOTICE,
   * and DEBUG ones when `client_min_messages` lets them through).
   */
  notices(sql: string, opts?: { timeoutMs?: number }): Promise<string[]>
  close(): Promise<void>
}
