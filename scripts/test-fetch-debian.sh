#!/usr/bin/env bash
# Tests for the set-up's failure handling (common.sh `retry`, fetch-debian.sh): transient errors
# are retried with a message naming the mirror, other errors fail at once, and a failed fetch
# leaves no partial cache entry. Offline: the only servers are on loopback (a closed port, and a
# local HTTP server answering 404 like a mirror mid-sync). RUVECTOR_TEST_NETWORK=1 adds one real
# fetch from the Debian mirror whose first attempt is made to fail.
# Not in scripts/setup/: build/all.sh hashes that folder into the extension builds' inputs.
source "$(dirname "$0")/setup/common.sh"
FETCH="$(dirname "$0")/setup/fetch-debian.sh"
work=$(mktemp -d)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
export RUVECTOR_CACHE="$work/cache" RUVECTOR_RETRY_DELAY=0
passed=0; failed=0
check() { # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "  ok   $name" >&2
  else failed=$((failed + 1)); echo "  FAIL $name" >&2; fi
}
has() { grep -Eq -- "$1" "$2"; }
no_partial_left() { [ ! -e "$1" ] && [ -z "$(ls -d "$1".partial.* 2>/dev/null)" ]; }

echo "retry: classifies failures" >&2
calls="$work/calls"
flaky() { echo x >> "$calls"; [ "$(wc -l < "$calls")" -ge 2 ] || { echo "E: Hash Sum mismatch" >&2; return 1; }; }
: > "$calls"; rc=0; RUVECTOR_RETRIES=3 retry "flaky thing" flaky 2> "$work/err" || rc=$?
check "a hash-sum mismatch is retried, then succeeds" [ "$rc" -eq 0 ]
check "  ...after exactly two attempts" [ "$(wc -l < "$calls")" -eq 2 ]
check "  ...saying which attempt failed and why" has 'attempt 1/3 failed: flaky thing' "$work/err"
broken() { echo x >> "$calls"; echo "E: Unable to find a source package for nothing" >&2; return 100; }
: > "$calls"; rc=0; RUVECTOR_RETRIES=3 retry "broken thing" broken 2> "$work/err" || rc=$?
check "a permanent error is not retried" [ "$rc.$(wc -l < "$calls")" = 100.1 ]
check "  ...and says so" has 'FAILED: broken thing .*not retried' "$work/err"
down() { echo x >> "$calls"; echo "E: Could not connect to mirror" >&2; return 1; }
: > "$calls"; rc=0; RUVECTOR_RETRIES=3 retry "unreachable thing" down 2> "$work/err" || rc=$?
check "a transient error is tried RUVECTOR_RETRIES times" [ "$rc.$(wc -l < "$calls")" = 1.3 ]
check "  ...then gives up with a clear message" has 'FAILED after 3 attempts: unreachable thing' "$work/err"

echo "fetch-debian.sh: mirror refuses connections" >&2
dest="$work/cache/pkg/debian"; rc=0
DEBIAN_MIRROR=http://127.0.0.1:9/debian RUVECTOR_RETRIES=2 DEBIAN_SUITE=trixie \
  bash "$FETCH" source pgvector=0.8.0-1 "$dest" 2> "$work/err" || rc=$?
check "fails" [ "$rc" -ne 0 ]
check "  ...after retrying, naming the mirror" has 'attempt 1/2 failed: fetching source package pgvector=0.8.0-1 from http://127.0.0.1:9/debian \(trixie\)' "$work/err"
check "  ...with apt's reason" has 'Connection refused' "$work/err"
check "  ...leaving no partial cache entry" no_partial_left "$dest"

echo "fetch-debian.sh: mirror mid-sync (its Release names index files it answers 404 for)" >&2
# A loopback mirror holding only a genuine signed InRelease: the system's own bookworm one.
release=/var/lib/apt/lists/$(ls /var/lib/apt/lists/ 2>/dev/null | grep -E '_debian_dists_bookworm_InRelease$' | head -n1)
if [ ! -f "$release" ]; then
  echo "  skip: no bookworm InRelease in /var/lib/apt/lists (run apt-get update once) to serve from loopback" >&2
else
  mkdir -p "$work/mirror/debian/dists/bookworm"
  cp "$release" "$work/mirror/debian/dists/bookworm/InRelease"
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$work/mirror" >> "$work/http.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do grep -q 'port' "$work/http.log" && break; sleep 0.1; done
  port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$work/http.log" | head -n1)
  for mode in source download; do
    : > "$work/http.log"; rc=0
    DEBIAN_MIRROR="http://127.0.0.1:$port/debian" RUVECTOR_RETRIES=2 DEBIAN_SUITE=bookworm \
      bash "$FETCH" "$mode" pgvector "$dest" 2> "$work/err" || rc=$?
    check "$mode: fails" [ "$rc" -ne 0 ]
    check "  ...after retrying the 404, naming the mirror" has "attempt 1/2 failed: fetching $mode package pgvector from http://127.0.0.1:$port/debian \(bookworm\)" "$work/err"
    check "  ...with apt's reason" has '404 +File not found' "$work/err"
    check "  ...leaving no partial cache entry" no_partial_left "$dest"
    # Which index files apt asked the mirror for: only the one index this mode needs.
    grep -ao 'GET /debian/dists/bookworm/main/[^ ]*' "$work/http.log" | sed 's|.*/main/||; s|/.*||' | sort -u > "$work/asked"
    want=$([ "$mode" = source ] && echo source || echo binary-all)
    check "  ...having asked only for the $want index (asked: $(tr '\n' ' ' < "$work/asked"))" [ "$(cat "$work/asked")" = "$want" ]
  done
  kill "$server_pid"; server_pid=""
fi

echo "fetch-debian.sh: a killed run's leftovers are removed by the next run" >&2
mkdir -p "$dest.partial.killed/files"; rc=0
DEBIAN_MIRROR=http://127.0.0.1:9/debian RUVECTOR_RETRIES=1 DEBIAN_SUITE=trixie \
  bash "$FETCH" source pgvector=0.8.0-1 "$dest" 2> "$work/err" || rc=$?
check "even when that run fails" no_partial_left "$dest"

echo "fetch-debian.sh: a complete entry is reused without asking any mirror" >&2
mkdir -p "$dest"; echo "source pgvector=0.8.0-1 trixie" > "$dest/.fetched"
rc=0; DEBIAN_MIRROR=http://127.0.0.1:9/debian RUVECTOR_RETRIES=1 DEBIAN_SUITE=trixie \
  bash "$FETCH" source pgvector=0.8.0-1 "$dest" 2> "$work/err" || rc=$?
check "exit 0" [ "$rc" -eq 0 ]
check "  ...without fetching" bash -c "! grep -q fetching '$work/err'"
rm -rf "$dest"

if [ "${RUVECTOR_TEST_NETWORK:-0}" = 1 ]; then
  echo "fetch-debian.sh: real mirror, first attempt made to fail" >&2
  rc=0; RUVECTOR_TEST_FAIL_ATTEMPTS=1 DEBIAN_SUITE=trixie \
    bash "$FETCH" source pgvector=0.8.0-1 "$dest" 2> "$work/err" || rc=$?
  check "succeeds" [ "$rc" -eq 0 ]
  check "  ...on the second attempt" has 'attempt 1/5 failed.*127.0.0.1:9|Connection refused' "$work/err"
  check "  ...with the .dsc, its tarballs and the stamp" \
    bash -c "[ -f '$dest/pgvector_0.8.0-1.dsc' ] && [ -f '$dest/pgvector_0.8.0.orig.tar.gz' ] && [ \"\$(cat '$dest/.fetched')\" = 'source pgvector=0.8.0-1 trixie' ]"
  check "  ...and no partial entry beside it" bash -c "[ -z \"\$(ls -d '$dest'.partial.* 2>/dev/null)\" ]"
fi

echo "set-up failure handling: $passed passed, $failed failed" >&2
[ "$failed" -eq 0 ]
