// Runs a describe block once per configured target. The target name and the extension are in
// every test title, so a case that passes on one target and fails on the other shows up as such.
import { afterAll, beforeAll, describe, inject } from 'vitest'
import { config, type TargetName } from './config'
import { startNativeServer } from './native-server'
import { openNative } from './native-target'
import { openPglite } from './pglite-target'
import type { Target } from './target'

export async function openTarget(name: TargetName): Promise<Target> {
  if (name === 'pglite') return openPglite(config.extension, inject('pgliteSnapshot'))
  const info = inject('nativeServer')
  if (!info) throw new Error('native target requested but globalSetup started no server')
  return openNative(info, config.extension)
}

/**
 * A target started with server settings of its own (`shared_buffers` and the like, which the
 * shared instance and server cannot change): a PGlite instance started with them, or a native
 * cluster of its own, stopped on close.
 */
export async function openTargetWith(name: TargetName, settings: Record<string, string>): Promise<Target> {
  if (name === 'pglite') return openPglite(config.extension, inject('pgliteSnapshot'), { settings })
  const server = await startNativeServer({ settings })
  try {
    const target = await openNative(server.info, config.extension)
    return { ...target, close: async () => { try { await target.close() } finally { server.stop() } } }
  } catch (err) {
    server.stop()
    throw err
  }
}

export interface DescribeTargetsOptions {
  /** When set, the block is skipped on every target and the reason is part of its title. */
  skip?: string
  /** Server settings the block needs: it then gets an instance or server of its own. */
  settings?: Record<string, string>
}

/**
 * `body` receives a handle that forwards to the target opened in beforeAll (one PGlite instance
 * or one native database per block); call it only inside tests and hooks.
 */
export function describeTargets(title: string, body: (t: Target) => void, options: DescribeTargetsOptions = {}): void {
  for (const name of config.targets) {
    const fullTitle = `[${name}:${config.extension}] ${title}${options.skip ? ` (skipped: ${options.skip})` : ''}`
    const describeOrSkip = options.skip ? describe.skip : describe // skipped when the case says why (options.skip, also in the title)
    describeOrSkip(fullTitle, () => {
      let target: Target | undefined
      const current = (): Target => {
        if (!target) throw new Error(`${name} target is not open (used outside a test?)`)
        return target
      }
      beforeAll(async () => {
        target = options.settings ? await openTargetWith(name, options.settings) : await openTarget(name)
      })
      afterAll(async () => {
        await target?.close()
      })
      body({
        name,
        query: (sql, params) => current().query(sql, params),
        exec: (sql, opts) => current().exec(sql, opts),
        queryBinary: (sql, params) => current().queryBinary(sql, params),
        notices: (sql, opts) => current().notices(sql, opts),
        close: () => current().close(),
      } as Target)
    })
  }
}
