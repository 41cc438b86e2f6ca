import { createLogger, defineConfig } from 'vite'

// PGlite's Node-only code imports node:module; in a browser build Vite stubs it out and says so.
const logger = createLogger()
const warn = logger.warn.bind(logger)
logger.warn = (msg, opts) => {
  if (/externalized for browser compatibility.*@electric-sql[\\/]pglite/s.test(msg)) return
  warn(msg, opts)
}

export default defineConfig({
  customLogger: logger,
  // PGlite and @ruvector/pglite find their wasm, data and extension bundle next to their own
  // modules (new URL(..., import.meta.url)); esbuild's dev pre-bundling would move the modules away.
  optimizeDeps: { exclude: ['@electric-sql/pglite', '@ruvector/pglite'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The data asset (~8 MB) is fetched, never inlined; the app and load-time pages are both built.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: 'index.html', loadTime: 'load-time.html' },
      // PGlite's Emscripten glue uses eval on purpose, and its Node-only file system imports
      // node:fs (stubbed out in browsers, never run there): warnings about PGlite, not this app.
      onwarn(warning, warn) {
        const inPglite = /@electric-sql[\\/]pglite/.test(warning.id ?? '')
        if (inPglite && ['EVAL', 'MISSING_EXPORT'].includes(warning.code)) return
        warn(warning)
      },
    },
  },
})
