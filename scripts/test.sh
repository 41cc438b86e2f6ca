#!/usr/bin/env bash
# `npm test`: build whatever is missing, then every test on both targets:
# core unit tests (host and wasm32), the ABI gate for the PGlite module, the @ruvector/pglite
# package, a headless-Chromium smoke test, and the conformance suite (PGlite + native PostgreSQL 15,
# then native PostgreSQL 18.6, the major PGlite runs).
source "$(dirname "$0")/setup/common.sh"
cd "$REPO_ROOT"
bash scripts/build/all.sh
log "ABI gate: side module imports vs PGlite 0.5.16"
node scripts/abi-check.mjs
log "core unit tests"
(cd extension && "$DEBIAN_CARGO" test -p ruvector-core --release --quiet)
log "core kernels as compiled for PGlite (wasm32 + simd128), under Node"
bash scripts/test-core-wasm.sh
log "@ruvector/pglite loads through import and require"
npm --workspace pglite run --silent test
log "set-up failure handling (retries, no partial caches) and postgres/ packaging"
bash scripts/test-fetch-debian.sh
npm --workspace postgres run --silent test
log "ruvector-pglite serve: psql and Python (psycopg + pgvector) over the Postgres wire protocol"
ensure_debs postgresql-client
npm --workspace pglite run --silent test:wire
log "browser smoke test: @ruvector/pglite in headless Chromium"
bash scripts/setup/chromium.sh
node tests/browser/run.mjs
log "browser example: Vite build, then the app end to end in headless Chromium (examples/browser)"
npm --workspace examples/browser run --silent test
log "conformance suite on PGlite and native PostgreSQL 15"
npm --workspace tests run --silent test
log "conformance suite on native PostgreSQL 18.6 (private build: scripts/setup/pg18-native.sh)"
CONFORMANCE_TARGETS=native CONFORMANCE_PG_BINDIR="$CACHE_DIR/postgresql-18.6/bin" npm --workspace tests run --silent test
