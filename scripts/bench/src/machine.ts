// What the numbers were measured on, for the report header.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os'

export function machineInfo(): Record<string, string> {
  let distro = ''
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? ''
  } catch { /* not Linux */ }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: String(availableParallelism()),
    ram: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${distro} (Linux ${release()})`.trim(),
    node: process.version,
  }
}

export function load(): number[] {
  return loadavg().map((x) => Math.round(x * 100) / 100)
}

export function gitCommit(repo: string): string {
  try {
    const head = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim()
    return dirty ? `${head} (work tree modified)` : head
  } catch {
    return 'unknown'
  }
}
