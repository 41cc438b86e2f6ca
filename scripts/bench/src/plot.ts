// Recall@k vs QPS, one PNG per dataset and target. Drawn as SVG by hand (a few lines and labels)
// and rasterized by resvg, whose binary ships inside its npm package; the font comes from an npm
// package too, so the picture has text on a machine without system fonts.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import type { DatasetResult, MethodResult, RunResult, TargetResult } from './results.ts'

const W = 820
const H = 520
const M = { left: 70, right: 210, top: 44, bottom: 56 }
// Colour by kind of index, so a ruvector curve shares its baseline's colour; the extension is told
// apart by line and marker (pgvector dashed with circles, ruvector solid with squares).
const COLOR: Record<string, string> = { exact: '#444444', hnsw: '#1f77b4', ivfflat: '#2ca02c', rabitq: '#2ca02c' }
const OTHER = ['#d62728', '#9467bd', '#ff7f0e', '#8c564b']

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')

function svgFor(ds: DatasetResult, t: TargetResult, k: number): string | null {
  const series = t.methods.filter((m) => m.status === 'ok' && m.settings.length)
  const points = series.flatMap((m) => m.settings)
  if (!points.length) return null
  const minRecall = Math.max(0, Math.floor(Math.min(...points.map((p) => p.recall)) * 10) / 10)
  const xLo = Math.min(minRecall, 0.9)
  const yLo = Math.floor(Math.log10(Math.min(...points.map((p) => p.qps))))
  const yHi = Math.ceil(Math.log10(Math.max(...points.map((p) => p.qps))))
  const pw = W - M.left - M.right
  const ph = H - M.top - M.bottom
  const x = (r: number) => M.left + ((r - xLo) / (1 - xLo)) * pw
  const y = (q: number) => M.top + ph - ((Math.log10(q) - yLo) / Math.max(1, yHi - yLo)) * ph
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans" font-size="12">`)
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`)
  out.push(`<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(`${t.target}: recall@${k} vs QPS — ${ds.name} ${ds.n.toLocaleString('en-US')} × ${ds.dims}`)}</text>`)
  for (let r = Math.ceil(xLo * 20) / 20; r <= 1.0001; r += 0.05) {
    out.push(`<line x1="${x(r)}" x2="${x(r)}" y1="${M.top}" y2="${M.top + ph}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${x(r)}" y="${M.top + ph + 18}" text-anchor="middle">${r.toFixed(2)}</text>`)
  }
  for (let e = yLo; e <= yHi; e++) {
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${M.left - 8}" y="${y(10 ** e) + 4}" text-anchor="end">${(10 ** e).toLocaleString('en-US')}</text>`)
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`)
  out.push(`<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">recall@${k}</text>`)
  out.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">queries per second (single client, log scale)</text>`)
  let others = 0
  series.forEach((m: MethodResult, i) => {
    const color = COLOR[m.am ?? 'exact'] ?? OTHER[others++ % OTHER.length]
    const dash = m.extension === 'vector' ? ' stroke-dasharray="6 4"' : ''
    const pts = [...m.settings].sort((a, b) => a.recall - b.recall)
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => `${x(p.recall).toFixed(1)},${y(p.qps).toFixed(1)}`).join(' ')}"/>`)
    for (const p of pts) {
      out.push(m.extension === 'vector'
        ? `<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.qps).toFixed(1)}" r="3.5" fill="${color}"/>`
        : `<rect x="${(x(p.recall) - 3.5).toFixed(1)}" y="${(y(p.qps) - 3.5).toFixed(1)}" width="7" height="7" fill="${color}"/>`)
    }
    const ly = M.top + 14 + i * 20
    out.push(`<line x1="${W - M.right + 16}" x2="${W - M.right + 46}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${dash}/>`)
    out.push(`<text x="${W - M.right + 52}" y="${ly}">${esc(m.id)}</text>`)
  })
  out.push('</svg>')
  return out.join('\n')
}

function fontFiles(): string[] {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'))
    return [join(dir, 'ttf/DejaVuSans.ttf'), join(dir, 'ttf/DejaVuSans-Bold.ttf')]
  } catch {
    return []
  }
}

export function plotName(run: RunResult, ds: DatasetResult, t: TargetResult): string {
  return `${run.label}-${ds.name}-${t.target}.png`
}

export async function renderPlots(run: RunResult, dir: string): Promise<string[]> {
  const fonts = fontFiles()
  const written: string[] = []
  for (const ds of run.datasets) {
    for (const t of ds.targets) {
      const svg = svgFor(ds, t, Number(run.settings.k))
      if (!svg) continue
      const png = new Resvg(svg, {
        font: { fontFiles: fonts, loadSystemFonts: fonts.length === 0, defaultFontFamily: 'DejaVu Sans' },
      }).render().asPng()
      const path = join(dir, plotName(run, ds, t))
      writeFileSync(path, png)
      written.push(path)
    }
  }
  return written
}
