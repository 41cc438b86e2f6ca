// Exact-error assertions. Cases state the full message (and SQLSTATE, detail when pgvector sets
// one), as pgvector 0.8 produces them; a missing detail must be missing, not merely different.
import { expect } from 'vitest'
import { SqlError } from './target'

export interface ExpectedError {
  message: string
  code?: string
  /** `null` asserts that the error has no DETAIL. */
  detail?: string | null
}

export async function expectSqlError(promise: Promise<unknown>, expected: ExpectedError): Promise<SqlError> {
  let caught: unknown
  try {
    await promise
  } catch (err) {
    caught = err
  }
  if (caught === undefined) throw new Error(`expected ERROR "${expected.message}", but the statement succeeded`)
  if (!(caught instanceof SqlError)) throw caught
  expect(caught.message).toBe(expected.message)
  expect(caught.severity).toBe('ERROR')
  if (expected.code !== undefined) expect(caught.code).toBe(expected.code)
  if (expected.detail !== undefined) expect(caught.detail).toBe(expected.detail ?? undefined)
  return caught
}

/** SQLSTATEs pgvector uses. */
export const SQLSTATE = {
  dataException: '22000',
  invalidTextRepresentation: '22P02',
  numericValueOutOfRange: '22003',
  nullValueNotAllowed: '22004',
  invalidParameterValue: '22023',
  programLimitExceeded: '54000',
} as const
