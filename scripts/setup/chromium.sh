#!/usr/bin/env bash
# Debian's Chromium for the headless browser smoke test (tests/browser/). Idempotent:
# does nothing when /usr/bin/chromium is already there. No browser downloads from
# anywhere but Debian's archive (playwright's own browser download is not used).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [ -x /usr/bin/chromium ]; then
  log "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
ensure_debs chromium
[ -x /usr/bin/chromium ] || { log "chromium install failed: /usr/bin/chromium missing"; exit 1; }
log "chromium installed: $(/usr/bin/chromium --version 2>/dev/null)"
