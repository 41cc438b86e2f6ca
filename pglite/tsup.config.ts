import { copyFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineConfig } from 'tsup'

const require = createRequire(import.meta.url)

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // dist/ also holds ruvector.tar.gz, produced by scripts/build/wasm.sh: never wipe it.
    clean: false,
    // Lets the CJS build resolve the tarball next to itself (import.meta.url has no CJS equivalent).
    shims: true,
    target: 'es2022',
  },
  {
    // Node only: the `ruvector-pglite serve` command and its programmatic form.
    entry: ['src/cli.ts', 'src/serve.ts'],
    format: ['esm'],
    // No shared chunk: its name would change with its content, and with clean: false every
    // old chunk would stay in dist/ and be packed.
    splitting: false,
    dts: { entry: 'src/serve.ts' },
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    // Bundled rather than a dependency: every pglite-socket release pins exact peer versions of
    // @electric-sql/pglite (0.5.14 for 0.2.17) and of seven PGlite extensions, which would make
    // `npm install @ruvector/pglite @electric-sql/pglite@0.5.16` fail to resolve for users.
    noExternal: ['@electric-sql/pglite-socket'],
    // Apache-2.0 asks for its licence to travel with the code bundled from it.
    async onSuccess() {
      const socketMain = require.resolve('@electric-sql/pglite-socket') // <package>/dist/index.cjs
      await copyFile(join(dirname(socketMain), '..', 'LICENSE'), 'dist/LICENSE.pglite-socket')
    },
  },
])
