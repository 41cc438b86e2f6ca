#!/usr/bin/env bash
# A Python virtualenv with examples/python/requirements.txt installed (psycopg, pgvector, numpy),
# for the Python example and its test. Prints the venv's python on stdout; logs go to stderr.
# The venv lives in the cache, named after a hash of the requirements, so it is built once and
# rebuilt only when the pins change; pip's download cache sits beside it.
# Not in scripts/setup/: build/all.sh hashes that folder into the extension builds' inputs.
source "$(dirname "$0")/setup/common.sh"
# Debian's python3, not whatever `python3` is first in PATH: python3-venv belongs to it.
ensure_debs python3 python3-venv
PYTHON=/usr/bin/python3
REQUIREMENTS="$REPO_ROOT/examples/python/requirements.txt"
key="$( (cat "$REQUIREMENTS"; "$PYTHON" -V) | sha256sum | cut -c1-12)"
VENV="$CACHE_DIR/python/venv-$key"
if [ ! -f "$VENV/.complete" ]; then
  log "Python venv for examples/python: $VENV"
  rm -rf "$VENV"  # a half-built one; venvs of other pins stay for checkouts that use them
  "$PYTHON" -m venv "$VENV"
  # PyPI mirrors are sometimes mid-sync: retry, then fail naming what could not be installed.
  for attempt in 1 2 3; do
    if PIP_CACHE_DIR="$CACHE_DIR/pip" "$VENV/bin/pip" install --quiet --disable-pip-version-check \
         --retries 5 --timeout 60 -r "$REQUIREMENTS" >&2; then
      touch "$VENV/.complete"
      break
    fi
    [ "$attempt" -eq 3 ] && { log "pip could not install $REQUIREMENTS after 3 attempts"; exit 1; }
    log "pip install failed (attempt $attempt of 3); retrying in $((attempt * 20)) s"
    sleep $((attempt * 20))
  done
fi
echo "$VENV/bin/python"
