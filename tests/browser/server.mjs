// Tiny static HTTP server for the browser smoke test. Serves, on 127.0.0.1 and a free port:
//   /            -> tests/browser/page/          (index.html, smoke.js)
//   /pglite/     -> @electric-sql/pglite's dist/ (as installed in node_modules)
//   /ruvector/   -> pglite/dist/                 (the built @ruvector/pglite package)
// Nothing outside those three directories is reachable (no `..` escapes).
import { createServer } from 'node:http'
import { readFile, stat } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const repoRoot = resolve(here, '../..')

const MIME = [
  ['.tar.gz', 'application/octet-stream'],
  ['.wasm', 'application/wasm'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.data', 'application/octet-stream'],
  ['.html', 'text/html; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.png', 'image/png'],
  ['.json', 'application/json'],
  ['.map', 'application/json'],
]
export function mimeType(path) {
  for (const [ext, type] of MIME) if (path.endsWith(ext)) return type
  return 'application/octet-stream'
}

export function pgliteDistDir() {
  // Wherever npm put @electric-sql/pglite (hoisted to the root or under tests/).
  return dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')))
}

export function defaultRoutes() {
  return {
    '/pglite/': pgliteDistDir(),
    '/ruvector/': join(repoRoot, 'pglite', 'dist'),
    '/': join(here, 'page'),
  }
}

/** Starts the server; resolves to { url, close(), requests } once it listens. */
export async function startServer(routes = defaultRoutes()) {
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length)
  const requests = []
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    const prefix = prefixes.find((p) => path.startsWith(p))
    const root = routes[prefix]
    let file = resolve(root, '.' + path.slice(prefix.length - 1))
    let status = 200
    try {
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' })
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html')
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': mimeType(file),
        'content-length': body.length,
        'cache-control': 'no-store',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch (err) {
      status = err.code === 'ENOENT' || err.code === 'ENOTDIR' ? 404 : 500
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(`${status} ${path}\n`)
    }
    requests.push({ path, status })
  })
  server.keepAliveTimeout = 1000
  await new Promise((ok, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', ok)
  })
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.()
        server.close(() => ok())
      }),
  }
}

// `node tests/browser/server.mjs` serves the page for manual debugging in a real browser.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startServer()
  console.log(`serving ${s.url}/  (Ctrl-C to stop)`)
}
