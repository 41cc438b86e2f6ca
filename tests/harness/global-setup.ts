// vitest globalSetup: what every test file shares, made once per run and removed afterwards.
import type { TestProject } from 'vitest/node'
import { config } from './config'
import { startNativeServer, type NativeServerInfo } from './native-server'
import { makePgliteSnapshot } from './pglite-snapshot'

declare module 'vitest' {
  export interface ProvidedContext {
    nativeServer: NativeServerInfo | null
    /** Tarball of a freshly initdb'd PGlite cluster with no extension installed. */
    pgliteSnapshot: string | null
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void> | void)[] = []
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
  try {
    let snapshot: string | null = null
    if (config.targets.includes('pglite')) {
      const made = await makePgliteSnapshot()
      cleanups.push(made.remove)
      snapshot = made.path
    }
    let server: NativeServerInfo | null = null
    if (config.targets.includes('native')) {
      const started = await startNativeServer()
      cleanups.push(started.stop)
      server = started.info
    }
    project.provide('pgliteSnapshot', snapshot)
    project.provide('nativeServer', server)
    return teardown
  } catch (err) {
    await teardown()
    throw err
  }
}
