// Vectors in and out of SQL as pgvector's text formats, so values can be passed as query
// parameters and read back from rows without hand-written string formatting.
// vector and halfvec share the text form `[1,2,3]`; sparsevec is `{1:1.5,3:2}/5` (1-based indices).

/** A sparse vector: `dimensions` long, with `values[i]` at 0-based position `indices[i]`. */
export class SparseVector {
  readonly dimensions: number
  readonly indices: number[]
  readonly values: number[]

  /** `indices` are 0-based and must be strictly increasing; zeros in `values` are dropped. */
  constructor(dimensions: number, indices: ArrayLike<number>, values: ArrayLike<number>) {
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw new RangeError(`sparse vector dimensions must be a positive integer, got ${dimensions}`)
    }
    if (indices.length !== values.length) {
      throw new RangeError(`sparse vector has ${indices.length} indices but ${values.length} values`)
    }
    this.dimensions = dimensions
    this.indices = []
    this.values = []
    let previous = -1
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]
      if (!Number.isInteger(index) || index <= previous || index >= dimensions) {
        throw new RangeError(
          `sparse vector index ${index} out of order or outside 0..${dimensions - 1}`,
        )
      }
      previous = index
      const value = checkedElement(values[i], i)
      if (value !== 0) {
        this.indices.push(index)
        this.values.push(value)
      }
    }
  }

  /** The non-zero elements of a dense array. */
  static fromDense(dense: ArrayLike<number>): SparseVector {
    const indices: number[] = []
    const values: number[] = []
    for (let i = 0; i < dense.length; i++) {
      const value = checkedElement(dense[i], i)
      if (value !== 0) {
        indices.push(i)
        values.push(value)
      }
    }
    return new SparseVector(dense.length, indices, values)
  }

  /** The dense form: `dimensions` numbers, zero where no value is stored. */
  toArray(): number[] {
    const dense = new Array<number>(this.dimensions).fill(0)
    this.indices.forEach((index, i) => (dense[index] = this.values[i]))
    return dense
  }
}

// NaN and ±Infinity would print as words the server rejects; fail here, naming the element.
function checkedElement(value: number, position: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`vector element ${position} is ${value}: only finite numbers are allowed`)
  }
  return value
}

/**
 * SQL text for a `vector` or `halfvec` (from an array or typed array) or a `sparsevec`
 * (from a {@link SparseVector}): `toSql([1, 2, 3])` is `'[1,2,3]'`.
 */
export function toSql(value: ArrayLike<number> | SparseVector): string {
  if (value instanceof SparseVector) {
    const pairs = value.indices.map((index, i) => `${index + 1}:${value.values[i]}`)
    return `{${pairs.join(',')}}/${value.dimensions}`
  }
  const parts: string[] = []
  for (let i = 0; i < value.length; i++) parts.push(String(checkedElement(value[i], i)))
  return `[${parts.join(',')}]`
}

/**
 * The numbers of a `vector` or `halfvec` in SQL text: `fromSql('[1,2,3]')` is `[1, 2, 3]`.
 * The server prints each element as the shortest decimal that reads back as the same float32
 * (a halfvec element widened to float32), so `new Float32Array(fromSql(text))` holds exactly
 * the stored values.
 */
export function fromSql(text: string): number[] {
  if (typeof text !== 'string' || !text.startsWith('[') || !text.endsWith(']')) {
    const hint = typeof text === 'string' && text.startsWith('{') ? ' (a sparsevec: use sparsevecFromSql)' : ''
    throw new SyntaxError(`not a vector in SQL text form '[…]': ${String(text).slice(0, 40)}${hint}`)
  }
  const body = text.slice(1, -1).trim()
  if (body === '') return []
  return body.split(',').map((part, i) => parseNumber(part, i, text))
}

/** A `sparsevec` in SQL text: `sparsevecFromSql('{1:1.5,3:2}/5')` holds 1.5 at 0 and 2 at 2. */
export function sparsevecFromSql(text: string): SparseVector {
  const match = typeof text === 'string' ? /^\{(.*)\}\/\s*(\d+)\s*$/s.exec(text.trim()) : null
  if (!match) {
    throw new SyntaxError(`not a sparsevec in SQL text form '{i:v,…}/n': ${String(text).slice(0, 40)}`)
  }
  const indices: number[] = []
  const values: number[] = []
  const body = match[1].trim()
  if (body !== '') {
    body.split(',').forEach((pair, i) => {
      const colon = pair.indexOf(':')
      if (colon < 0) throw new SyntaxError(`sparsevec element ${i} has no ':' in ${text.slice(0, 40)}`)
      indices.push(parseNumber(pair.slice(0, colon), i, text) - 1)
      values.push(parseNumber(pair.slice(colon + 1), i, text))
    })
  }
  return new SparseVector(Number(match[2]), indices, values)
}

function parseNumber(part: string, position: number, text: string): number {
  const trimmed = part.trim()
  const value = Number(trimmed)
  // Number('') is 0: an empty element is a syntax error, not a zero.
  if (trimmed === '' || !Number.isFinite(value)) {
    throw new SyntaxError(`element ${position} '${part}' is not a finite number in ${text.slice(0, 40)}`)
  }
  return value
}

/** The part of PGlite's query options that {@link vectorTypes} fills in. */
export interface VectorTypeOptions {
  parsers: { [typeOid: number]: (text: string) => unknown }
  serializers: { [typeOid: number]: (value: any) => string }
}

/** Anything with PGlite's `query`: a PGlite instance or a transaction. */
interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>
}

/**
 * Parsers and serializers for vector, halfvec and sparsevec, keyed by their type OIDs in this
 * database (they differ per database, hence the look-up; run it after `CREATE EXTENSION`).
 * Pass the result as the options of `query` to send arrays and read back numbers:
 * `pg.query('SELECT $1::vector AS v', [[1, 2, 3]], types)` gives `rows[0].v` = `[1, 2, 3]`.
 */
export async function vectorTypes(pg: Queryable): Promise<VectorTypeOptions> {
  const { rows } = await pg.query<{ typname: string; oid: number }>(
    `SELECT typname, oid::int4 AS oid FROM pg_type
      WHERE typname IN ('vector', 'halfvec', 'sparsevec') AND typtype = 'b'`,
  )
  const options: VectorTypeOptions = { parsers: {}, serializers: {} }
  for (const { typname, oid } of rows) {
    options.parsers[oid] = typname === 'sparsevec' ? sparsevecFromSql : fromSql
    options.serializers[oid] = toSql
  }
  const missing = ['vector', 'halfvec', 'sparsevec'].filter((t) => !rows.some((r) => r.typname === t))
  if (missing.length > 0) {
    throw new Error(`no type ${missing.join(', ')} in this database: run CREATE EXTENSION ruvector first`)
  }
  return options
}
