// The reachability matrix for programs: json (the DESIGN.md contract), csv and Graphviz dot.
// Each is written pair by pair through a small buffer, so a matrix of millions of pairs never
// becomes one string; names are quoted once per pod, not once per pair.

import type { Reachability } from '../../netpol/reach.js';
import { portProtocolString } from '../../netpol/types.js';
import { chunked, type Write } from './json.js';
import { podName } from './reach-text.js';

/**
 * `{"kind":"Reachability","ports":[...],"items":[{"from","to","port","allowed"}]}`: every ordered
 * pair, self included, ordered by from, to, port; one item per line.
 */
export function printJSON(reach: Reachability, write: Write): void {
  const out = chunked(write);
  const from = reach.from.map((p) => JSON.stringify(podName(p)));
  const to = reach.to.map((p) => JSON.stringify(podName(p)));
  const ports = reach.ports.map((p) => JSON.stringify(portProtocolString(p)));
  out.write(`{\n    "kind": "Reachability",\n    "ports": [${ports.join(', ')}],\n    "items": [`);
  let first = true;
  for (let i = 0; i < from.length; i++) {
    for (let j = 0; j < to.length; j++) {
      for (let k = 0; k < ports.length; k++) {
        const allowed = reach.allowed(i, j, k) ? 'true' : 'false';
        out.write(
          `${first ? '' : ','}\n        {"from":${from[i]},"to":${to[j]},"port":${ports[k]},"allowed":${allowed}}`,
        );
        first = false;
      }
    }
  }
  out.write(first ? ']\n}\n' : '\n    ]\n}\n');
  out.flush();
}

/** RFC 4180 §2: a field holding a comma, a double quote or a line break is quoted, its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `from,to,port,allowed`, then one line per pair and port in the json order (LF line ends). */
export function printCSV(reach: Reachability, write: Write): void {
  const out = chunked(write);
  const from = reach.from.map((p) => csvField(podName(p)));
  const to = reach.to.map((p) => csvField(podName(p)));
  const ports = reach.ports.map((p) => csvField(portProtocolString(p)));
  out.write('from,to,port,allowed\n');
  for (let i = 0; i < from.length; i++)
    for (let j = 0; j < to.length; j++)
      for (let k = 0; k < ports.length; k++)
        out.write(`${from[i]},${to[j]},${ports[k]},${reach.allowed(i, j, k) ? 'true' : 'false'}\n`);
  out.flush();
}

/** A Graphviz quoted string: `"` and `\` escaped, line breaks as `\n`. */
export function dotString(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, '\\n')}"`;
}

/**
 * A digraph with the pods grouped by namespace (Graphviz clusters) and one edge per allowed pair
 * and port, labelled with the port. Self pairs are left out: a pod always reaches itself, and a
 * loop on every node would say nothing.
 */
export function printDOT(reach: Reachability, write: Write): void {
  const out = chunked(write);
  out.write('digraph reach {\n    rankdir=LR;\n    node [shape=box];\n');
  const byNamespace = new Map<string, Set<string>>();
  for (const pod of [...reach.from, ...reach.to]) {
    const ns = pod.metadata.namespace ?? '';
    const names = byNamespace.get(ns) ?? new Set<string>();
    byNamespace.set(ns, names);
    names.add(pod.metadata.name);
  }
  for (const ns of [...byNamespace.keys()].sort()) {
    out.write(`    subgraph ${dotString(`cluster_${ns}`)} {\n        label=${dotString(ns)};\n`);
    for (const name of [...(byNamespace.get(ns) as Set<string>)].sort())
      out.write(`        ${dotString(`${ns}/${name}`)} [label=${dotString(name)}];\n`);
    out.write('    }\n');
  }
  const from = reach.from.map((p) => dotString(podName(p)));
  const to = reach.to.map((p) => dotString(podName(p)));
  const ports = reach.ports.map((p) => dotString(portProtocolString(p)));
  for (let i = 0; i < from.length; i++) {
    for (let j = 0; j < to.length; j++) {
      if (reach.from[i] === reach.to[j]) continue;
      for (let k = 0; k < ports.length; k++)
        if (reach.allowed(i, j, k)) out.write(`    ${from[i]} -> ${to[j]} [label=${ports[k]}];\n`);
    }
  }
  out.write('}\n');
  out.flush();
}
