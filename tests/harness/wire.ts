// Just enough of the PostgreSQL v3 wire protocol to run one extended query with binary
// parameters and binary results. Neither pg (its parser decodes every field as UTF-8 text) nor
// PGlite's query API (it sends parameters as text) can carry raw *_recv/*_send bytes, so both
// targets use this same encoder and decoder: the native one over TCP, PGlite via execProtocolRaw.
import { SqlError } from './target'

const BINARY = 1

class Writer {
  private chunks: Uint8Array[] = []
  private size = 0
  private push(b: Uint8Array) {
    this.chunks.push(b)
    this.size += b.length
  }
  int16(n: number) {
    const b = new Uint8Array(2)
    new DataView(b.buffer).setInt16(0, n)
    this.push(b)
    return this
  }
  int32(n: number) {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, n)
    this.push(b)
    return this
  }
  cstring(s: string) {
    this.push(new TextEncoder().encode(s))
    this.push(new Uint8Array([0]))
    return this
  }
  bytes(b: Uint8Array) {
    this.push(b)
    return this
  }
  /** Body so far, optionally framed as a typed message (type byte + int32 length). */
  finish(type?: string): Uint8Array {
    const header = type === undefined ? 4 : 5
    const out = new Uint8Array(header + this.size)
    const view = new DataView(out.buffer)
    if (type !== undefined) out[0] = type.charCodeAt(0)
    view.setInt32(header - 4, this.size + 4)
    let at = header
    for (const c of this.chunks) {
      out.set(c, at)
      at += c.length
    }
    return out
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Protocol 3.0 startup; `settings` are GUCs applied to the session, as libpq's options would be. */
export function startupMessage(user: string, database: string, settings: Record<string, string> = {}): Uint8Array {
  const w = new Writer().int32(196608).cstring('user').cstring(user).cstring('database').cstring(database)
  for (const [name, value] of Object.entries(settings)) w.cstring(name).cstring(value)
  return w.cstring('').finish()
}

export const terminateMessage = (): Uint8Array => new Writer().finish('X')

/** Parse + Bind (all parameters and all result columns binary) + Execute + Sync. */
export function binaryQueryMessages(sql: string, params: (Uint8Array | null)[]): Uint8Array {
  const parse = new Writer().cstring('').cstring(sql).int16(0).finish('P')
  const bind = new Writer().cstring('').cstring('').int16(1).int16(BINARY).int16(params.length)
  for (const p of params) {
    if (p === null) bind.int32(-1)
    else bind.int32(p.length).bytes(p)
  }
  bind.int16(1).int16(BINARY)
  const execute = new Writer().cstring('').int32(0).finish('E')
  const sync = new Writer().finish('S')
  return concat([parse, bind.finish('B'), execute, sync])
}

export interface BackendMessage {
  type: string
  body: Uint8Array
}

/** Splits a byte stream into complete messages; returns them and the unconsumed tail. */
export function splitMessages(buf: Uint8Array): { messages: BackendMessage[]; rest: Uint8Array } {
  const messages: BackendMessage[] = []
  let at = 0
  while (buf.length - at >= 5) {
    const len = new DataView(buf.buffer, buf.byteOffset + at + 1, 4).getInt32(0)
    if (buf.length - at < 1 + len) break
    messages.push({ type: String.fromCharCode(buf[at]), body: buf.subarray(at + 5, at + 1 + len) })
    at += 1 + len
  }
  return { messages, rest: buf.subarray(at) }
}

function errorFromResponse(body: Uint8Array): SqlError {
  const fields: Record<string, string> = {}
  const dec = new TextDecoder()
  let at = 0
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at])
    const end = body.indexOf(0, at + 1)
    fields[code] = dec.decode(body.subarray(at + 1, end))
    at = end + 1
  }
  // 'V' is the never-translated severity; 'S' may be localized.
  return new SqlError(fields.M ?? '', fields.C, fields.V ?? fields.S, fields.D, fields.H)
}

function dataRow(body: Uint8Array): (Uint8Array | null)[] {
  const view = new DataView(body.buffer, body.byteOffset, body.length)
  const n = view.getInt16(0)
  const row: (Uint8Array | null)[] = []
  let at = 2
  for (let i = 0; i < n; i++) {
    const len = view.getInt32(at)
    at += 4
    if (len < 0) row.push(null)
    else {
      row.push(body.slice(at, at + len))
      at += len
    }
  }
  return row
}

/**
 * Rows from the responses to one binaryQueryMessages() round trip, which must end with
 * ReadyForQuery. Throws the first ErrorResponse as SqlError.
 */
export function collectRows(messages: BackendMessage[]): (Uint8Array | null)[][] {
  const rows: (Uint8Array | null)[][] = []
  let error: SqlError | undefined
  for (const m of messages) {
    if (m.type === 'E') error ??= errorFromResponse(m.body)
    else if (m.type === 'D') rows.push(dataRow(m.body))
  }
  if (messages.at(-1)?.type !== 'Z') throw new Error('wire: response did not end with ReadyForQuery')
  if (error) throw error
  return rows
}

/** Startup responses: AuthenticationOk (trust) or a clear failure. */
export function checkStartup(messages: BackendMessage[]): void {
  for (const m of messages) {
    if (m.type === 'E') throw errorFromResponse(m.body)
    if (m.type === 'R') {
      const kind = new DataView(m.body.buffer, m.body.byteOffset, 4).getInt32(0)
      if (kind !== 0) throw new Error(`wire: server asked for authentication method ${kind}; the harness expects trust`)
    }
  }
}
