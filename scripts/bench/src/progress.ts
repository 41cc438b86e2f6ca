// Progress on stderr for the long phases (loading, ground truth, index builds, query sweeps):
// a redrawn bar on a terminal; otherwise a line at the end and every 15 s, so logs stay short.
const tty = process.stderr.isTTY === true

export interface Progress {
  tick(n?: number): void
  done(note?: string): void
}

function fmt(s: number): string {
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
}

export function progress(label: string, total: number): Progress {
  const t0 = performance.now()
  let count = 0
  let lastDraw = performance.now()
  const draw = (final: boolean, note = '') => {
    const elapsed = (performance.now() - t0) / 1000
    const frac = total > 0 ? Math.min(1, count / total) : 1
    if (tty) {
      const width = 24
      const filled = Math.round(frac * width)
      const eta = frac > 0 && !final ? ` eta ${fmt((elapsed / frac) * (1 - frac))}` : ''
      process.stderr.write(`\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
        `${count}/${total} ${fmt(elapsed)}${eta}${note ? ' ' + note : ''}${final ? '\n' : ''}`)
    } else {
      process.stderr.write(`${label}: ${count}/${total} (${fmt(elapsed)})${note ? ' ' + note : ''}\n`)
    }
  }
  return {
    tick(n = 1) {
      count += n
      const now = performance.now()
      if (now - lastDraw > (tty ? 100 : 15_000)) {
        lastDraw = now
        if (count < total) draw(false)
      }
    },
    done(note) {
      count = Math.max(count, total)
      draw(true, note)
    },
  }
}

/** A one-line status for phases without a count (a single CREATE INDEX). */
export function status(line: string): void {
  process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`)
}

/** Runs `fn` with a ticking elapsed-time line, for single statements that take minutes. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now()
  const timer = tty
    ? setInterval(() => process.stderr.write(`\r\x1b[K${label} ${fmt((performance.now() - t0) / 1000)}`), 500)
    : undefined
  try {
    return await fn()
  } finally {
    if (timer) clearInterval(timer)
    process.stderr.write(`${tty ? '\r\x1b[K' : ''}${label} ${fmt((performance.now() - t0) / 1000)}\n`)
  }
}
