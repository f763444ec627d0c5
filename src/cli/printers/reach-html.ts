// The reachability matrix as one self-contained html file: a heatmap per port (sources as rows,
// destinations as columns) drawn on a canvas, where hovering a cell shows the pair, the verdict
// and the rules that decided it. Inline CSS and script only, and a Content-Security-Policy that
// forbids every fetch, so the file opens offline and leaks nothing. Every name is user input: it
// reaches the page only as JSON data (with `<`, `>` and `&` escaped, so it cannot end the script
// element) and is shown with textContent or canvas fillText, never parsed as html.

import type { Reachability } from '../../netpol/reach.js';
import { portProtocolString, type Verdict } from '../../netpol/types.js';
import { chunked, type Write } from './json.js';
import { podName } from './reach-text.js';
import { describeVerdict } from './reach-verdict.js';

/** How a cell is coloured: allowed with no policy involved, allowed by a rule, denied. */
const OPEN = 0;
const ALLOWED = 1;
const DENIED = 2;

function kindOf(v: Verdict): number {
  if (!v.allowed) return DENIED;
  return v.egress.decidedBy.length > 0 || v.ingress.decidedBy.length > 0 ? ALLOWED : OPEN;
}

export function htmlText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** JSON that is safe inside a script element whatever its strings hold. */
export function scriptJSON(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 4px; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; }
.open { background: #9ecae1; } .allowed { background: #2171b5; } .denied { background: #e6550d; }
.matrix { overflow: auto; max-width: 100%; }
canvas { display: block; }
#tip { position: absolute; pointer-events: none; font: 12px/1.4 ui-monospace, monospace;
  background: #fffff0; border: 1px solid #888; padding: 6px 8px; max-width: 80ch; white-space: pre-wrap; }
`;

// Reads the data element, draws one heatmap per canvas and explains the cell under the pointer.
const SCRIPT = `
const data = JSON.parse(document.getElementById('reach-data').textContent);
const colors = ['#9ecae1', '#2171b5', '#e6550d'];
const nf = data.from.length, nt = data.to.length;
const cell = Math.max(3, Math.min(18, Math.floor(960 / Math.max(nf, nt))));
const gap = cell >= 6 ? 1 : 0;
const labels = cell >= 10;
const font = '12px system-ui, sans-serif';
const tip = document.getElementById('tip');
function widest(ctx, names) {
  let w = 0;
  for (const n of names) w = Math.max(w, ctx.measureText(n).width);
  return Math.ceil(w) + 8;
}
for (const canvas of document.querySelectorAll('canvas[data-port]')) {
  const k = Number(canvas.dataset.port);
  const cells = data.cells[k];
  const ctx = canvas.getContext('2d');
  ctx.font = font;
  const left = labels ? widest(ctx, data.from) : 0;
  const top = labels ? widest(ctx, data.to) : 0;
  const width = left + nt * cell, height = top + nf * cell;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = width * dpr; canvas.height = height * dpr;
  canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
  ctx.scale(dpr, dpr);
  ctx.font = font;
  ctx.fillStyle = '#222';
  ctx.textBaseline = 'middle';
  if (labels) {
    ctx.textAlign = 'right';
    data.from.forEach((n, i) => ctx.fillText(n, left - 6, top + i * cell + cell / 2));
    data.to.forEach((n, j) => {
      ctx.save();
      ctx.translate(left + j * cell + cell / 2, top - 6);
      ctx.rotate(Math.PI / 2);
      ctx.textAlign = 'right';
      ctx.fillText(n, 0, 0);
      ctx.restore();
    });
  }
  for (let i = 0; i < nf; i++) {
    for (let j = 0; j < nt; j++) {
      ctx.fillStyle = colors[data.kinds[cells[i * nt + j]]];
      ctx.fillRect(left + j * cell, top + i * cell, cell - gap, cell - gap);
    }
  }
  canvas.addEventListener('mousemove', (e) => {
    const r = canvas.getBoundingClientRect();
    const j = Math.floor((e.clientX - r.left - left) / cell);
    const i = Math.floor((e.clientY - r.top - top) / cell);
    if (i < 0 || j < 0 || i >= nf || j >= nt) { tip.hidden = true; return; }
    tip.textContent = data.from[i] + ' -> ' + data.to[j] + ' ' + data.ports[k] + ': ' +
      data.explain[cells[i * nt + j]];
    tip.style.left = (e.pageX + 14) + 'px';
    tip.style.top = (e.pageY + 14) + 'px';
    tip.hidden = false;
  });
  canvas.addEventListener('mouseleave', () => { tip.hidden = true; });
}
`;

/** The html page; every pair's verdict is explained (distinct explanations stored once). */
export function printHTML(reach: Reachability, write: Write): void {
  const out = chunked(write);
  const explain: string[] = [];
  const kinds: number[] = [];
  const index = new Map<string, number>();
  const cells: number[][] = [];
  const { pairs, allowedPerPort } = reach.summary();
  reach.ports.forEach((_, k) => {
    const row: number[] = [];
    for (let i = 0; i < reach.from.length; i++) {
      for (let j = 0; j < reach.to.length; j++) {
        const v = reach.verdict(i, j, k);
        const text = describeVerdict(v);
        let n = index.get(text);
        if (n === undefined) {
          n = explain.length;
          index.set(text, n);
          explain.push(text);
          kinds.push(kindOf(v));
        }
        row.push(n);
      }
    }
    cells.push(row);
  });
  const ports = reach.ports.map(portProtocolString);
  const data = { ports, from: reach.from.map(podName), to: reach.to.map(podName), explain, kinds, cells };

  out.write(
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">\n` +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<title>podnet reach: ${htmlText(ports.join(', '))}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n` +
      '<h1>podnet reach</h1>\n' +
      `<p>${reach.from.length} source pods (rows) x ${reach.to.length} destination pods (columns). ` +
      'Hover a cell for the verdict and the rules that decided it.</p>\n' +
      '<p class="legend"><span class="open"></span>allowed, no policy involved' +
      '<span class="allowed"></span>allowed by a policy rule<span class="denied"></span>denied</p>\n' +
      '<noscript><p>The heatmaps are drawn by the script in this file; podnet reach -o md prints the same matrix as tables.</p></noscript>\n',
  );
  ports.forEach((port, k) => {
    out.write(
      `<section>\n<h2>${htmlText(port)}</h2>\n<p>${allowedPerPort[k]} of ${pairs} pairs allowed</p>\n` +
        `<div class="matrix"><canvas data-port="${k}"></canvas></div>\n</section>\n`,
    );
  });
  out.write(
    '<div id="tip" role="tooltip" hidden></div>\n' +
      `<script type="application/json" id="reach-data">${scriptJSON(data)}</script>\n` +
      `<script>${SCRIPT}</script>\n</body>\n</html>\n`,
  );
  out.flush();
}
