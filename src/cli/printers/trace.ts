// How `podnet trace` prints a Trace: a block per hop for people, saying in words what decided and
// why; the Trace object itself for `-o json` (DESIGN.md "JSON shapes") and `-o yaml`.

import { stringify } from 'yaml';
import { endDetail, endName, explainDelivery, explainPolicy } from '../../trace/explain.js';
import type { EndRef, PolicyHop, Trace } from '../../trace/types.js';

/** Width of the hop name column, and of the allowed/denied column of policy hops. */
const LABEL = 10;
const VERDICT = 9;

function block(label: string, lines: readonly string[], indent: number): string {
  return lines.map((line, i) => (i === 0 ? label.padEnd(indent) : ' '.repeat(indent)) + line).join('\n');
}

function policyBlock(hop: PolicyHop, peer: EndRef): string {
  const label = hop.kind === 'egress-policy' ? 'egress' : 'ingress';
  const [first, ...rest] = explainPolicy(hop, peer);
  const head = label.padEnd(LABEL) + (hop.allowed ? 'allowed' : 'denied').padEnd(VERDICT) + first;
  return [head, ...rest.map((line) => ' '.repeat(LABEL + VERDICT) + line)].join('\n');
}

/** `x/b 10.244.1.5:80/TCP`, `node n 172.18.0.3:10250/TCP`, `[2001:db8::1]:443/TCP`. */
function arrival(end: EndRef, port: number, protocol: string): string {
  const ip = end.ip.includes(':') ? `[${end.ip}]` : end.ip;
  const who = end.kind === 'external' ? '' : `${endName(end)} `;
  return `${who}${ip}:${port}/${protocol}`;
}

function verdictLine(trace: Trace): string {
  const label = 'verdict'.padEnd(LABEL);
  const policies = trace.hops.filter(
    (h): h is PolicyHop => h.kind === 'egress-policy' || h.kind === 'ingress-policy',
  );
  if (trace.verdict === 'delivered') {
    const d = trace.hops.find((h) => h.kind === 'delivery');
    return d ? `${label}delivered to ${arrival(d.endpoint, d.port, d.protocol)}` : `${label}delivered`;
  }
  if (trace.verdict === 'denied') {
    const at = policies
      .filter((h) => !h.allowed)
      .map(
        (h) => `${h.kind === 'egress-policy' ? 'at egress from' : 'at ingress to'} ${endName(h.endpoint)}`,
      );
    return `${label}denied ${at.join(' and ')}`;
  }
  return label + trace.verdict;
}

/** The human form: one block per hop, then the verdict. */
export function printTraceText(trace: Trace): string {
  const policies = trace.hops.filter(
    (h): h is PolicyHop => h.kind === 'egress-policy' || h.kind === 'ingress-policy',
  );
  // Each policy hop names the other end of the connection: where the other hop is enforced.
  const other = (hop: PolicyHop) => policies.find((h) => h !== hop)?.endpoint ?? hop.endpoint;
  const blocks = trace.hops.map((hop) => {
    if (hop.kind === 'source') return block('source', [endDetail(hop.endpoint)], LABEL);
    if (hop.kind === 'delivery') return block('delivery', explainDelivery(hop), LABEL);
    return policyBlock(hop, other(hop));
  });
  return `${[...blocks, verdictLine(trace)].join('\n\n')}\n`;
}

export function printTraceJSON(trace: Trace): string {
  return `${JSON.stringify(trace, null, 4)}\n`;
}

/** The JSON shape as YAML, in kubectl's block style (sequences not indented under their key). */
export function printTraceYAML(trace: Trace): string {
  return stringify(trace, { version: '1.1', indentSeq: false, lineWidth: 0 });
}
