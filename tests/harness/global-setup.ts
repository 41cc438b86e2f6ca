// vitest globalSetup: what every test file shares, made once per run and removed afterwards.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
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

export default async function setup(project: TestProject): Promise<() => void> {
  // Synchronous, idempotent cleanups: vitest answers SIGINT/SIGTERM with process.exit(), which
  // skips globalSetup teardown but still emits 'exit', where only synchronous work runs. Without
  // this an interrupted run would leave a server running and its temp dirs behind. Prepended:
  // vitest's own 'exit' listener calls process.exit() again, which ends the process on the spot.
  const cleanups: (() => void)[] = []
  const teardown = () => {
    while (cleanups.length) cleanups.pop()!()
    process.off('exit', teardown)
  }
  process.prependListener('exit', teardown)
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
      // Which server the native results are for: `npm test` runs the suite on 15 and on 18.6.
      const version = execFileSync(join(config.pgBinDir, 'pg_config'), ['--version'], { encoding: 'utf8' }).trim()
      console.log(`native target: ${version} (${config.pgBinDir})`)
    }
    project.provide('pgliteSnapshot', snapshot)
    project.provide('nativeServer', server)
    return teardown
  } catch (err) {
    teardown()
    throw err
  }
}
