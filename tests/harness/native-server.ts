// One throwaway PostgreSQL 15 cluster for the whole run (started from global-setup.ts). It lives
// in a temp dir (data, unix socket, log), listens on 127.0.0.1 only, and is stopped and deleted
// afterwards.
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
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
  /**
   * Make this cluster a streaming-replication hot standby of that server instead of a fresh
   * one: its data directory is `pg_basebackup -R` of the primary (which initdb's trust rules
   * already let replicate over 127.0.0.1), started with `hot_standby = on`.
   */
  standbyOf?: NativeServerInfo
}

export interface NativeServer {
  info: NativeServerInfo
  /** Synchronous, so that it can also run from a process 'exit' handler. */
  stop: () => void
  /**
   * Crash the cluster as a power cut would, short of the OS: SIGKILL to the postmaster and to
   * every process it had started, at once, so nothing gets to write or flush anything more.
   * What the kernel already has (WAL written before the kill) survives; `restart` replays it.
   */
  crash: () => Promise<void>
  /** Start the cluster again after `crash` (crash recovery runs before it accepts connections). */
  restart: () => void
  /** The server's log file. */
  logFile: string
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Direct children of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // Field 4 of /proc/PID/stat is the parent pid; the command name before it may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return out
}

export async function startNativeServer(opts: NativeServerOptions = {}): Promise<NativeServer> {
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
  let options = ''

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
    if (opts.standbyOf) {
      const primary = opts.standbyOf
      run('pg_basebackup', [
        '-h', primary.host, '-p', String(primary.port), '-U', primary.user, '-D', data,
        '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
      ])
    } else {
      run('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'])
    }
    // Durability is irrelevant for a throwaway cluster; turning it off keeps CREATE DATABASE cheap.
    options = [
      `-c port=${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=50',
      ...(opts.standbyOf ? ['-c hot_standby=on'] : []),
      ...Object.entries(opts.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ')
    run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start'])
    started = true
  } catch (err) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : ''
    teardown()
    throw new Error(`native target: could not start PostgreSQL: ${(err as Error).message}\n${tail}`)
  }

  const crash = async () => {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
    const victims = [pid, ...childrenOf(pid)]
    for (const p of victims) {
      try {
        process.kill(p, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    // The next start refuses to run while any old process still holds the shared memory.
    for (let i = 0; i < 200 && victims.some(alive); i++) await new Promise((r) => setTimeout(r, 50))
    if (victims.some(alive)) throw new Error(`native server: processes ${victims.filter(alive).join(', ')} survived SIGKILL`)
    started = false
  }
  const restart = () => {
    run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '120', 'start'])
    started = true
  }

  return { info: { host: '127.0.0.1', port, user }, stop: teardown, crash, restart, logFile: log }
}
