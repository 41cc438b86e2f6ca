// Starts `ruvector-pglite serve` (dist/cli.js, as `npx ruvector-pglite` would) in a child process
// on a free port and stops it with a signal, as a user would, checking that it closed cleanly.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const STARTUP_TIMEOUT_MS = 60_000

export async function startServer(dataDir) {
  const child = spawn(process.execPath, [cli, 'serve', '--data', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
  const exited = once(child, 'exit')

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), STARTUP_TIMEOUT_MS)
    const check = () => {
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    }
    child.stdout.on('data', check)
    exited.then(([code]) => {
      clearTimeout(timer)
      reject(new Error(`server exited with ${code} before listening:\n${output}`))
    })
  })
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`

  /** SIGTERM (or SIGINT), then the exit code and everything the server printed. */
  async function stop(signal = 'SIGTERM') {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    const [code, killedBy] = await exited
    return { code, signal: killedBy, output }
  }
  return { port, url, stop, output: () => output }
}
