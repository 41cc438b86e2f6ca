#!/usr/bin/env node
// ABI gate for the PGlite bundle: every import of our side module must be satisfied by the
// pinned pglite.wasm's exports or by pglite.js's JS-provided imports, and every C symbol the
// install SQL names must be exported. A missing symbol would otherwise only fail when a user
// runs CREATE EXTENSION (or later, on first call). Exit code 1 lists every problem.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundlePath = process.argv[2] ?? path.join(repo, 'pglite/dist/ruvector.tar.gz');
// The package's exports map hides dist/, so find the installed package directory itself.
const pgliteDist = [repo, path.join(repo, 'tests'), path.join(repo, 'pglite')]
  .flatMap((dir) => createRequire(path.join(dir, 'x.js')).resolve.paths('@electric-sql/pglite') ?? [])
  .map((modules) => path.join(modules, '@electric-sql/pglite/dist'))
  .find((dist) => existsSync(path.join(dist, 'pglite.wasm')));
if (!pgliteDist) {
  console.error('ABI gate: @electric-sql/pglite is not installed (run npm ci)');
  process.exit(1);
}

// Provided by Emscripten's dynamic loader itself rather than by any export.
const LOADER_PROVIDED = new Set(['memory', '__indirect_function_table', '__stack_pointer',
  '__memory_base', '__table_base']);

function readTarGz(file) {
  const tar = gunzipSync(readFileSync(file));
  const entries = new Map();
  for (let off = 0; off + 512 <= tar.length;) {
    const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(off + 124, off + 136).toString('utf8').trim() || '0', 8);
    entries.set(name.replace(/^\.\//, ''), tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

const bundle = readTarGz(bundlePath);
const so = bundle.get('lib/postgresql/ruvector.so');
const sqlName = [...bundle.keys()].find((n) => /^share\/postgresql\/extension\/ruvector--[\d.]+\.sql$/.test(n));
const problems = [];
if (!so) problems.push('bundle has no lib/postgresql/ruvector.so');
if (!bundle.has('share/postgresql/extension/ruvector.control')) problems.push('bundle has no ruvector.control');
if (!sqlName) problems.push('bundle has no ruvector--X.Y.Z.sql');
if (problems.length) fail();

const mainModule = new WebAssembly.Module(readFileSync(path.join(pgliteDist, 'pglite.wasm')));
const mainExports = new Set(WebAssembly.Module.exports(mainModule).map((e) => e.name));
const pgliteJs = readFileSync(path.join(pgliteDist, 'pglite.js'), 'utf8');
const importsObject = pgliteJs.match(/var wasmImports=\{([^}]*)\}/);
if (!importsObject) problems.push('could not find wasmImports in pglite.js (PGlite changed its loader?)');
const jsProvided = new Set((importsObject?.[1] ?? '').split(',').map((kv) => kv.split(':')[0].trim()));
// pglite.js builds an invoke_<signature> wrapper on demand for any signature a side module asks for.
const makesInvokeWrappers = pgliteJs.includes('startsWith("invoke_")') && pgliteJs.includes('createInvokeFunction');
const isInvokeWrapper = (name) => makesInvokeWrappers && /^invoke_[vijfdpe]+$/.test(name);

const side = new WebAssembly.Module(so);
if (!WebAssembly.Module.customSections(side, 'dylink.0').length) problems.push('ruvector.so has no dylink.0 section');
const ownExports = new Set(WebAssembly.Module.exports(side).map((e) => e.name));
const imports = WebAssembly.Module.imports(side);
for (const { module, name, kind } of imports) {
  if (module === 'env') {
    if (LOADER_PROVIDED.has(name) || mainExports.has(name) || jsProvided.has(name) || isInvokeWrapper(name)) continue;
    problems.push(`env.${name} (${kind}) is neither exported by pglite.wasm nor provided by pglite.js`);
  } else if (module === 'GOT.mem' || module === 'GOT.func') {
    if (mainExports.has(name) || ownExports.has(name)) continue;
    problems.push(`${module}.${name} is not exported by pglite.wasm`);
  } else {
    problems.push(`import from unexpected module ${module}.${name}`);
  }
}

const sql = bundle.get(sqlName).toString('utf8');
const cSymbols = new Set([...sql.matchAll(/'MODULE_PATHNAME'\s*,\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]));
for (const symbol of ['Pg_magic_func', ...cSymbols]) {
  if (!ownExports.has(symbol)) problems.push(`ruvector.so does not export ${symbol}`);
}
for (const symbol of cSymbols) {
  if (!ownExports.has(`pg_finfo_${symbol}`)) problems.push(`ruvector.so does not export pg_finfo_${symbol}`);
}
if (problems.length) fail();
console.log(`ABI gate passed: ${imports.length} imports satisfied by PGlite 0.5.16, ` +
  `${cSymbols.size} SQL-visible C functions exported (${so.length} byte module).`);

function fail() {
  console.error(`ABI gate FAILED for ${bundlePath}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
