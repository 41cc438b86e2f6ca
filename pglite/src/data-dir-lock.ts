// PGlite takes no lock on its data directory, and two processes writing one directory corrupt
// it (both think they are the only backend). `serve` claims the directory with a pid file first.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const LOCK_FILE = 'ruvector-pglite.pid'

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: existence check only
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by someone else
  }
}

/** Claims `dataDir` for this process; returns the function that gives it back. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' })
      return () => rmSync(path, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number.parseInt(readFileSync(path, 'utf8'), 10)
    if (owner > 0 && owner !== process.pid && isRunning(owner)) {
      throw new Error(`${dataDir} is in use by process ${owner} (see ${path}); stop that one first`)
    }
    // Left by a server that did not get to close (killed, crashed): PGlite recovers from WAL.
    rmSync(path, { force: true })
  }
  throw new Error(`could not claim ${dataDir}: ${path} keeps reappearing`)
}
