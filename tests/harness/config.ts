// Which extension and which targets one run covers. Read from the environment so the same suite
// validates itself against pgvector (CONFORMANCE_EXTENSION=vector) and then checks ruvector.

export type TargetName = 'pglite' | 'native'
export const ALL_TARGETS: readonly TargetName[] = ['pglite', 'native']

export interface ConformanceConfig {
  /** Extension to CREATE: `ruvector` (ours) or `vector` (pgvector, the reference). */
  extension: 'ruvector' | 'vector'
  targets: TargetName[]
  /** Binaries of the native server the harness starts: Debian's 15, or the private 18.6. */
  pgBinDir: string
  /** How long one statement may run before the harness gives up on it (a hang is a failure). */
  queryTimeoutMs: number
}

function parseExtension(raw: string | undefined): ConformanceConfig['extension'] {
  const value = raw?.trim() || 'ruvector'
  if (value !== 'ruvector' && value !== 'vector') {
    throw new Error(`CONFORMANCE_EXTENSION must be "ruvector" or "vector", got "${value}"`)
  }
  return value
}

function parseTargets(raw: string | undefined): TargetName[] {
  if (!raw?.trim()) return [...ALL_TARGETS]
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean)
  for (const name of names) {
    if (!ALL_TARGETS.includes(name as TargetName)) {
      throw new Error(`CONFORMANCE_TARGETS: unknown target "${name}" (known: ${ALL_TARGETS.join(', ')})`)
    }
  }
  return names as TargetName[]
}

export const config: ConformanceConfig = {
  extension: parseExtension(process.env.CONFORMANCE_EXTENSION),
  targets: parseTargets(process.env.CONFORMANCE_TARGETS),
  pgBinDir: process.env.CONFORMANCE_PG_BINDIR || '/usr/lib/postgresql/15/bin',
  queryTimeoutMs: Number(process.env.CONFORMANCE_QUERY_TIMEOUT_MS) || 30_000,
}
