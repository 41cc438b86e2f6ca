#!/usr/bin/env node
// `ruvector-pglite serve`: a Postgres server (PGlite + ruvector) for clients in any language.
import { parseArgs } from 'node:util'
import { type RunningServer, serve } from './serve.js'

const usage = `Usage: ruvector-pglite serve [--data DIR] [--port PORT] [--host HOST]

Serves PGlite (PostgreSQL 18 in WebAssembly) with the ruvector extension over the Postgres
wire protocol. The extension is created in the database on start.

  -d, --data DIR    database directory, created if missing (default: in memory, lost on exit)
  -p, --port PORT   TCP port (default 5432; 0 picks a free one)
      --host HOST   address to listen on (default 127.0.0.1)
      --help        this text

One client connection at a time: a second one is closed while the first is connected.
Connect with e.g. psql "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable".
Stop with Ctrl-C or SIGTERM: the database is shut down cleanly before exiting.`

function fail(message: string): never {
  console.error(`ruvector-pglite: ${message}\n\n${usage}`)
  process.exit(2)
}

async function main(argv: string[]) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string', short: 'd' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean' },
      },
    })
  } catch (error) {
    fail((error as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    console.log(usage)
    return
  }
  if (positionals.length !== 1 || positionals[0] !== 'serve') {
    fail(positionals.length === 0 ? 'no command given' : `unknown command '${positionals.join(' ')}'`)
  }
  const port = values.port === undefined ? 5432 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`)

  // Signal handlers first: without one, SIGTERM kills Node at once, and a signal that arrives
  // while PGlite starts must still end in a clean close.
  let stopping: NodeJS.Signals | undefined
  let server: RunningServer | undefined
  const close = (running: RunningServer) =>
    running.close().then(
      () => {
        console.log('ruvector-pglite: closed')
        process.exit(0)
      },
      (error) => {
        console.error('ruvector-pglite: error while closing:', error)
        process.exit(1)
      },
    )
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the user wants out now, at the cost of a clean shutdown.
      console.error(`ruvector-pglite: ${signal} again, exiting without closing the database`)
      process.exit(130)
    }
    stopping = signal
    console.log(`ruvector-pglite: ${signal}, closing the database`)
    if (server) close(server) // else: closed as soon as start-up finishes, below
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  server = await serve({ dataDir: values.data, port, host: values.host })
  if (stopping) return close(server)
  const where = server.dataDir ?? 'memory (lost on exit)'
  // One line a script can wait for and parse; the URL is what clients pass to connect.
  console.log(`ruvector-pglite: listening on ${server.host}:${server.port}, data in ${where}`)
  console.log(`ruvector-pglite: connect with ${server.url}`)
}

main(process.argv.slice(2)).catch((error) => {
  const hint = error?.code === 'EADDRINUSE' ? ' (another Postgres on that port? choose one with --port)' : ''
  console.error(`ruvector-pglite: ${error?.message ?? error}${hint}`)
  process.exit(1)
})
