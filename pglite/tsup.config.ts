import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // dist/ also holds ruvector.tar.gz, produced by scripts/build/wasm.sh: never wipe it.
  clean: false,
  // Lets the CJS build resolve the tarball next to itself (import.meta.url has no CJS equivalent).
  shims: true,
  target: 'es2022',
})
