// The reachability matrix for people: the truth table of the upstream e2e suite
// (test/e2e/network/netpol/truthtable.go PrettyPrint: a header row "-" then the destination pods,
// one row per source pod, "." allowed, "X" denied, tab-separated, pods named ns/name), so a
// table from podnet can be compared with an e2e log as is; the class-level summary; and the same
// matrix as Markdown tables for pull requests and wikis.

import type { Pod } from '../../api/types.js';
import type { Reachability } from '../../netpol/reach.js';
import { portProtocolString } from '../../netpol/types.js';
import { chunked, type Write } from './json.js';

export function podName(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** One truth table per port, each under a `port 80/TCP:` line, separated by blank lines; wide adds the summary. */
export function printTruthTables(reach: Reachability, wide: boolean, write: Write): void {
  const out = chunked(write);
  const header = ['-', ...reach.to.map(podName)].join('\t');
  reach.ports.forEach((port, k) => {
    out.write(`${k === 0 ? '' : '\n'}port ${portProtocolString(port)}:\n${header}\n`);
    reach.from.forEach((from, i) => {
      let row = podName(from);
      for (let j = 0; j < reach.to.length; j++) row += reach.allowed(i, j, k) ? '\t.' : '\tX';
      out.write(`${row}\n`);
    });
  });
  if (wide) out.write(`\n${printSummary(reach)}`);
  out.flush();
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** Counts per port from the classes, never expanding pairs. */
export function printSummary(reach: Reachability): string {
  const { pairs, classes, allowedPerPort } = reach.summary();
  let text =
    `${plural(reach.from.length, 'pod')} x ${plural(reach.to.length, 'pod')} = ${plural(pairs, 'pair')} per port ` +
    `(${plural(classes.from, 'class', 'classes')} x ${plural(classes.to, 'class', 'classes')})\n`;
  reach.ports.forEach((port, k) => {
    text += `${portProtocolString(port)}: ${allowedPerPort[k]} allowed, ${pairs - allowedPerPort[k]} denied\n`;
  });
  return text;
}

/**
 * Text as literal Markdown in a table cell: HTML and inline markup characters escaped, and `|`
 * (which would end the cell).
 */
export function markdownText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]|#!~]/g, (c) => `\\${c}`);
}

/** A Markdown section per port: a table with the sources as rows and the destinations as columns. */
export function printMarkdown(reach: Reachability, write: Write): void {
  const out = chunked(write);
  out.write('Rows are sources, columns destinations: ✓ allowed, ✗ denied.\n');
  const to = reach.to.map((p) => markdownText(podName(p)));
  const from = reach.from.map((p) => markdownText(podName(p)));
  const header = `| from \\ to | ${to.join(' | ')} |\n|---|${':-:|'.repeat(to.length)}\n`;
  reach.ports.forEach((port, k) => {
    out.write(`\n### ${portProtocolString(port)}\n\n${header}`);
    from.forEach((name, i) => {
      let row = `| ${name} |`;
      for (let j = 0; j < to.length; j++) row += reach.allowed(i, j, k) ? ' ✓ |' : ' ✗ |';
      out.write(`${row}\n`);
    });
  });
  out.flush();
}
