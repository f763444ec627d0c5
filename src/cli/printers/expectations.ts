// How `podnet test` prints its results: a PASS/FAIL line per expectation with each violation
// explained (grouped when decided alike), then a summary; or the TestResults object of `-o json`
// (documented in docs/expectations.md).

import { stringify } from 'yaml';
import type { ExpectationResult, ViolationGroup } from '../../netpol/expectations.js';
import { explainPolicy } from '../../trace/explain.js';
import { policyHop } from '../../trace/refs.js';
import type { PolicyHop } from '../../trace/types.js';

const INDENT = '      ';
const LABEL = 9;

/** `x/a -> y/b:80/TCP`, IPv6 addresses in brackets: the arguments `podnet trace` takes. */
function connectionText(e: ViolationGroup['examples'][number]): string {
  const to = e.to.includes(':') ? `[${e.to}]` : e.to;
  return `${e.from} -> ${to}:${e.port}`;
}

function hops(g: ViolationGroup): { egress: PolicyHop; ingress: PolicyHop } {
  return {
    egress: policyHop(g.verdict.egress, g.connection),
    ingress: policyHop(g.verdict.ingress, g.connection),
  };
}

/** The directions that made the connection what it is: the denying ones, or both when allowed. */
function groupLines(g: ViolationGroup): string[] {
  const { egress, ingress } = hops(g);
  const actual = g.verdict.allowed ? 'allowed' : 'denied';
  const lines = [`${g.count} ${actual} like ${connectionText(g.examples[0])}:`];
  for (const [hop, peer] of [
    [egress, ingress.endpoint],
    [ingress, egress.endpoint],
  ] as const) {
    if (hop.allowed !== g.verdict.allowed) continue;
    const [first, ...rest] = explainPolicy(hop, peer);
    const label = hop.direction === 'Egress' ? 'egress' : 'ingress';
    lines.push(`  ${label.padEnd(LABEL)}${actual.padEnd(LABEL)}${first}`);
    for (const r of rest) lines.push(`${' '.repeat(2 + 2 * LABEL)}${r}`);
  }
  const others = g.examples.slice(1).map(connectionText);
  if (g.count > g.examples.length) others.push(`and ${g.count - g.examples.length} more`);
  others.forEach((o, i) => {
    lines.push(`  ${i === 0 ? 'also' : '    '} ${o}`);
  });
  return lines;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function resultLines(r: ExpectationResult): string[] {
  const e = r.expectation;
  const lines = [
    `${r.passed ? 'PASS' : 'FAIL'}  ${e.name}  (${plural(r.connections, 'connection')} on ${r.ports.join(', ') || 'no port'})`,
  ];
  if (!r.passed) {
    const expected = e.allowed ? 'allowed' : 'denied';
    const actual = e.allowed ? 'denied' : 'allowed';
    lines.push(`${INDENT}expected ${expected}, but ${r.violations} of ${r.connections} are ${actual}:`);
    for (const g of r.groups) lines.push(...groupLines(g).map((l) => INDENT + l));
    if (r.unexplained > 0)
      lines.push(`${INDENT}${plural(r.unexplained, 'more violation')} not explained (narrow the selection)`);
  }
  if (r.skipped.length > 0) {
    const shown = r.skipped.slice(0, 5).join(', ') + (r.skipped.length > 5 ? ', ...' : '');
    lines.push(
      `${INDENT}note: ${plural(r.skipped.length, 'selected pod has', 'selected pods have')} no address yet and ${r.skipped.length === 1 ? 'was' : 'were'} not checked: ${shown}`,
    );
  }
  return lines;
}

export function printResultsText(results: readonly ExpectationResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  const lines = results.flatMap(resultLines);
  return `${lines.join('\n')}\n\n${results.length - failed} passed, ${failed} failed\n`;
}

/** The `-o json` shape: `{"kind":"TestResults","passed":n,"failed":n,"items":[...]}`. */
export function resultsObject(results: readonly ExpectationResult[]): unknown {
  const failed = results.filter((r) => !r.passed).length;
  return {
    kind: 'TestResults',
    passed: results.length - failed,
    failed,
    items: results.map((r) => ({
      name: r.expectation.name,
      file: r.expectation.origin.file,
      line: r.expectation.origin.line,
      passed: r.passed,
      expected: r.expectation.allowed ? 'allowed' : 'denied',
      ports: r.ports,
      connections: r.connections,
      violations: r.violations,
      groups: r.groups.map((g) => ({ count: g.count, ...hops(g), examples: g.examples })),
      unexplained: r.unexplained,
      skipped: r.skipped,
    })),
  };
}

export function printResultsJSON(results: readonly ExpectationResult[]): string {
  return `${JSON.stringify(resultsObject(results), null, 4)}\n`;
}

export function printResultsYAML(results: readonly ExpectationResult[]): string {
  return stringify(resultsObject(results), { version: '1.1', indentSeq: false, lineWidth: 0 });
}
