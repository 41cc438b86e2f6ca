// postgres/install.sh against stand-in servers: a pg_config script that names temporary
// directories, so nothing touches a real PostgreSQL. The package tree is laid out as
// `cargo pgrx package` writes it for Debian's PostgreSQL 15.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const isRoot = process.getuid() === 0
let tmp, INSTALL
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ruvector-install-'))
  fs.chmodSync(tmp, 0o755) // readable by `nobody` for the not-writable case below
  // A copy in tmp: `nobody` may not be able to reach the checkout.
  INSTALL = path.join(tmp, 'install.sh')
  fs.copyFileSync(fileURLToPath(new URL('../install.sh', import.meta.url)), INSTALL)
})
after(() => fs.rmSync(tmp, { recursive: true, force: true }))

let n = 0
/** A package tree as cargo pgrx package lays it out, built for PostgreSQL `major`. */
function packageTree({ major = 15, version = '0.1.0', extraSo = false } = {}) {
  const root = path.join(tmp, `pkg${n++}`)
  const lib = path.join(root, `usr/lib/postgresql/${major}/lib`)
  const ext = path.join(root, `usr/share/postgresql/${major}/extension`)
  fs.mkdirSync(lib, { recursive: true }); fs.mkdirSync(ext, { recursive: true })
  fs.writeFileSync(path.join(lib, 'ruvector.so'), `library ${n}`)
  if (extraSo) fs.mkdirSync(path.join(root, 'other')), fs.writeFileSync(path.join(root, 'other/ruvector.so'), 'x')
  fs.writeFileSync(path.join(ext, 'ruvector.control'), `default_version = '${version}'\nmodule_pathname = '$libdir/ruvector'\n`)
  fs.writeFileSync(path.join(ext, 'ruvector--0.1.0.sql'), `-- install script ${n}\n`)
  return root
}
/** A server of its own: pg_config naming a fresh pkglibdir and sharedir under tmp. */
function standInServer({ version = 'PostgreSQL 15.20 (stand-in)' } = {}) {
  const root = path.join(tmp, `server${n++}`)
  for (const d of ['lib', 'share/extension', 'bin']) fs.mkdirSync(path.join(root, d), { recursive: true })
  const pgConfig = path.join(root, 'bin/pg_config')
  fs.writeFileSync(pgConfig, `#!/bin/sh\ncase "$1" in\n  --version) echo '${version}' ;;\n` +
    `  --pkglibdir) echo '${root}/lib' ;;\n  --sharedir) echo '${root}/share' ;;\n  *) exit 1 ;;\nesac\n`, { mode: 0o755 })
  return { root, pgConfig, lib: path.join(root, 'lib'), ext: path.join(root, 'share/extension') }
}
/** A `sudo` that only records what it was asked to run. */
function recordingSudo() {
  const log = path.join(tmp, `sudo${n++}.log`)
  const bin = path.join(tmp, `sudo${n++}`)
  fs.writeFileSync(bin, `#!/bin/sh\necho "$*" >> '${log}'\n`, { mode: 0o755 })
  fs.writeFileSync(log, ''); fs.chmodSync(log, 0o666) // writable by `nobody` too
  return { bin, calls: () => fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) }
}
function install(pkg, env = {}, { asNobody = false } = {}) {
  const cmd = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '/bin/bash', INSTALL, pkg] : ['/bin/bash', INSTALL, pkg]
  const r = spawnSync(cmd[0], cmd.slice(1), { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })
  return { status: r.status, stderr: r.stderr }
}
const mode = (f) => fs.statSync(f).mode & 0o777

test('installs into the server PG_CONFIG names, without sudo when the directories are writable', () => {
  const pkg = packageTree(), server = standInServer(), sudo = recordingSudo()
  const r = install(pkg, { PG_CONFIG: server.pgConfig, SUDO: sudo.bin })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(fs.readFileSync(path.join(server.lib, 'ruvector.so'), 'utf8'),
    fs.readFileSync(path.join(pkg, 'usr/lib/postgresql/15/lib/ruvector.so'), 'utf8'))
  assert.equal(mode(path.join(server.lib, 'ruvector.so')), 0o755)
  assert.deepEqual(fs.readdirSync(server.ext).sort(), ['ruvector--0.1.0.sql', 'ruvector.control'])
  assert.equal(mode(path.join(server.ext, 'ruvector.control')), 0o644)
  assert.deepEqual(sudo.calls(), [])
  assert.match(r.stderr, /installed ruvector 0\.1\.0 for PostgreSQL 15\.20/)
})

test('replaces an installed library by rename: a backend that has the old file open keeps it intact', () => {
  const server = standInServer()
  assert.equal(install(packageTree(), { PG_CONFIG: server.pgConfig }).status, 0)
  const so = path.join(server.lib, 'ruvector.so')
  const held = path.join(tmp, `held${n++}`)
  fs.linkSync(so, held) // stands for the inode a running backend has mapped
  const before = fs.readFileSync(held, 'utf8')
  const pkg = packageTree()
  assert.equal(install(pkg, { PG_CONFIG: server.pgConfig }).status, 0)
  assert.equal(fs.readFileSync(held, 'utf8'), before)
  assert.notEqual(fs.readFileSync(so, 'utf8'), before)
  assert.deepEqual(fs.readdirSync(server.lib), ['ruvector.so'], 'no temporary files left behind')
})

test('DESTDIR stages under another root and creates the directories', () => {
  const server = standInServer(), stage = path.join(tmp, `stage${n++}`)
  const r = install(packageTree(), { PG_CONFIG: server.pgConfig, DESTDIR: stage })
  assert.equal(r.status, 0, r.stderr)
  assert.ok(fs.existsSync(path.join(stage, server.lib, 'ruvector.so')))
  assert.ok(fs.existsSync(path.join(stage, server.ext, 'ruvector--0.1.0.sql')))
  assert.deepEqual(fs.readdirSync(server.lib), [])
})

test('uses sudo only when the server directories are not writable', () => {
  const pkg = packageTree(), server = standInServer(), sudo = recordingSudo()
  if (!isRoot) { fs.chmodSync(server.lib, 0o555); fs.chmodSync(server.ext, 0o555) }
  // As root every directory is writable, so run the script as `nobody` there.
  const r = install(pkg, { PG_CONFIG: server.pgConfig, SUDO: sudo.bin }, { asNobody: isRoot })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stderr, /is not writable by \S+: using .*sudo/)
  const calls = sudo.calls()
  assert.equal(calls.length, 6, calls.join('\n')) // install + rename for the library, control and script
  assert.match(calls[0], new RegExp(`^install -m 755 .*/ruvector\\.so ${server.lib}/\\.ruvector\\.so\\.install-\\d+$`))
  assert.match(calls[1], new RegExp(`^mv -f ${server.lib}/\\.ruvector\\.so\\.install-\\d+ ${server.lib}/ruvector\\.so$`))
})

test('refuses clearly when nothing can write there and SUDO is empty', () => {
  const server = standInServer()
  if (!isRoot) { fs.chmodSync(server.lib, 0o555); fs.chmodSync(server.ext, 0o555) }
  const r = install(packageTree(), { PG_CONFIG: server.pgConfig, SUDO: '' }, { asNobody: isRoot })
  assert.notEqual(r.status, 0)
  assert.match(r.stderr, /cannot write to .*lib and .*extension, and no sudo \(SUDO is empty\) to ask/)
})

test('refuses a library built for another PostgreSQL major', () => {
  const server = standInServer({ version: 'PostgreSQL 17.6' })
  const r = install(packageTree({ major: 15 }), { PG_CONFIG: server.pgConfig })
  assert.notEqual(r.status, 0)
  assert.match(r.stderr, /built for PostgreSQL 15 but PG_CONFIG=.* is PostgreSQL 17\.6/)
  assert.deepEqual(fs.readdirSync(server.lib), [])
})

test('clear errors for a missing pg_config, package directory, or inconsistent package', () => {
  const server = standInServer()
  let r = install(packageTree(), { PATH: '/nonexistent' })
  assert.match(r.stderr, /no pg_config on PATH: set PG_CONFIG/)
  r = install(packageTree(), { PG_CONFIG: path.join(tmp, 'nope/pg_config') })
  assert.match(r.stderr, /PG_CONFIG=.*nope\/pg_config is not an executable file/)
  r = install(path.join(tmp, 'no-such-dir'), { PG_CONFIG: server.pgConfig })
  assert.match(r.stderr, /no-such-dir is not a directory: build one with `cargo pgrx package/)
  r = install(packageTree({ version: '0.2.0' }), { PG_CONFIG: server.pgConfig })
  assert.match(r.stderr, /default_version = '0\.2\.0' but there is no ruvector--0\.2\.0\.sql/)
  r = install(packageTree({ extraSo: true }), { PG_CONFIG: server.pgConfig })
  assert.match(r.stderr, /several ruvector\.so under/)
  assert.deepEqual(fs.readdirSync(server.lib), [], 'nothing installed by any of these')
})
