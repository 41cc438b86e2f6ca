// One throwaway PostgreSQL 15 cluster for the whole run (started from global-setup.ts). It lives
// in a temp dir (data, unix socket, log), listens on 127.0.0.1 only, and is stopped and deleted
// afterwards.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { config } from './config'

export interface NativeServerInfo {
  host: string
  port: number
  user: string
}

// initdb refuses to run as root; Debian's postgresql package creates this unprivileged user.
const RUN_AS = 'postgres'
const asRoot = process.getuid?.() === 0

function run(bin: string, args: string[]): string {
  const file = join(config.pgBinDir, bin)
  const [cmd, argv] = asRoot ? ['runuser', ['-u', RUN_AS, '--', file, ...args]] : [file, args]
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

function userId(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

// Fail up front with the fix, rather than with one CREATE EXTENSION error per test.
function checkExtensionInstalled(extension: string): void {
  const sharedir = execFileSync(join(config.pgBinDir, 'pg_config'), ['--sharedir'], { encoding: 'utf8' }).trim()
  const control = join(sharedir, 'extension', `${extension}.control`)
  if (!existsSync(control)) {
    const hint = extension === 'vector'
      ? 'run scripts/setup/pgvector-native.sh'
      : 'build and install the native extension first'
    throw new Error(`native target: ${control} is missing (${hint})`)
  }
}

export interface NativeServerOptions {
  /** Extensions that must be installed before starting (default: the one under test). */
  requireExtensions?: string[]
  /** Extra server settings, e.g. `{ shared_buffers: '1GB' }` (the benchmarks use this). */
  settings?: Record<string, string>
}

/** `stop` is synchronous so that it can also run from a process 'exit' handler. */
export async function startNativeServer(
  opts: NativeServerOptions = {},
): Promise<{ info: NativeServerInfo; stop: () => void }> {
  for (const extension of opts.requireExtensions ?? [config.extension]) checkExtensionInstalled(extension)

  const dir = mkdtempSync(join(tmpdir(), 'ruvector-conformance-'))
  const data = join(dir, 'data')
  const log = join(dir, 'server.log')
  if (asRoot) {
    const { uid, gid } = userId(RUN_AS)
    chownSync(dir, uid, gid)
  }
  const user = 'postgres'
  const port = await freePort()
  let started = false

  const teardown = () => {
    if (started) {
      started = false
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop'])
      } catch {
        // A backend stuck where it never checks for interrupts ignores a fast shutdown.
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'])
        } catch (err) {
          console.error('native target: pg_ctl stop failed', err)
        }
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }

  try {
    run('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'])
    // Durability is irrelevant for a throwaway cluster; turning it off keeps CREATE DATABASE cheap.
    const options = [
      `-c port=${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=50',
      ...Object.entries(opts.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ')
    run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start'])
    started = true
  } catch (err) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : ''
    teardown()
    throw new Error(`native target: could not start PostgreSQL: ${(err as Error).message}\n${tail}`)
  }

  return { info: { host: '127.0.0.1', port, user }, stop: teardown }
}
