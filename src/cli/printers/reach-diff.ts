// `podnet diff` output: what changes from source A to source B, as `+` (in B, not in A) and `-`
// (in A, not in B) lines under one heading per part (reachability, DNS names), or as the
// `Diff` json document of docs/reach-and-diff.md.

import { canonicalKey } from '../../dns/names.js';
import { RR_TYPE_CODES, type RRType } from '../../dns/types.js';
import type { ReachDiff } from '../../netpol/diff.js';

/** A DNS record as the diff compares it: owner name, type and data (not the TTL). */
export interface DNSRecordText {
  readonly name: string;
  readonly type: RRType;
  readonly data: string;
}

export interface DiffResult {
  readonly reachability: ReachDiff;
  readonly dns: { readonly added: readonly DNSRecordText[]; readonly removed: readonly DNSRecordText[] };
}

/** Canonical name order (RFC 4034 §6.1), then type code, then data. */
export function compareRecords(a: DNSRecordText, b: DNSRecordText): number {
  const ka = canonicalKey(a.name);
  const kb = canonicalKey(b.name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.type !== b.type) return RR_TYPE_CODES[a.type] - RR_TYPE_CODES[b.type];
  return a.data < b.data ? -1 : a.data > b.data ? 1 : 0;
}

export function isEmpty(d: DiffResult): boolean {
  const r = d.reachability;
  return (
    r.changes.length === 0 &&
    r.onlyInA.length === 0 &&
    r.onlyInB.length === 0 &&
    d.dns.added.length === 0 &&
    d.dns.removed.length === 0
  );
}

/** At most this many pods are named per "only in" line; the json lists them all. */
const SHOWN_PODS = 10;

function podList(pods: readonly string[]): string {
  const shown = pods.slice(0, SHOWN_PODS).join(', ');
  return pods.length > SHOWN_PODS ? `${shown} and ${pods.length - SHOWN_PODS} more` : shown;
}

function reachabilityLines(r: ReachDiff): string {
  let text = `Reachability (${r.ports.join(', ')}):\n`;
  if (r.changes.length === 0 && r.onlyInA.length === 0 && r.onlyInB.length === 0)
    return `${text}  no change\n`;
  for (const c of r.changes) {
    const sign = c.after ? '+' : '-';
    const pairs = `${c.pairs} pod pair${c.pairs === 1 ? '' : 's'}`;
    const example = c.pods.length > 0 ? `, e.g. ${c.pods[0].from} -> ${c.pods[0].to}` : '';
    text += `${sign} ${c.from} -> ${c.to} ${c.port}  (${pairs}${example})\n`;
  }
  if (r.onlyInA.length > 0) text += `  pods only in A: ${podList(r.onlyInA)}\n`;
  if (r.onlyInB.length > 0) text += `  pods only in B: ${podList(r.onlyInB)}\n`;
  return text;
}

function dnsLines(dns: DiffResult['dns']): string {
  const lines = [
    ...dns.removed.map((record) => ({ sign: '-', record })),
    ...dns.added.map((record) => ({ sign: '+', record })),
  ];
  // A changed record reads as its old line right above its new one.
  lines.sort((x, y) => compareRecords(x.record, y.record) || (x.sign === '-' ? -1 : 1));
  if (lines.length === 0) return 'DNS names:\n  no change\n';
  let text = 'DNS names:\n';
  for (const { sign, record } of lines) text += `${sign} ${record.name} ${record.type} ${record.data}\n`;
  return text;
}

/** The table output: `No differences.`, or a `---`/`+++` header naming A and B and one section per part. */
export function printDiffText(d: DiffResult, a: string, b: string): string {
  if (isEmpty(d)) return 'No differences.\n';
  return `--- A: ${a}\n+++ B: ${b}\n\n${reachabilityLines(d.reachability)}\n${dnsLines(d.dns)}`;
}

/** `{"kind":"Diff","reachability":{...},"dns":{"added":[...],"removed":[...]}}`, indented as every json of podnet. */
export function printDiffJSON(d: DiffResult): string {
  const r = d.reachability;
  const doc = {
    kind: 'Diff',
    reachability: {
      ports: r.ports,
      changes: r.changes.map((c) => ({
        from: c.from,
        to: c.to,
        port: c.port,
        before: c.before,
        after: c.after,
        pairs: c.pairs,
        pods: c.pods.map((p) => ({ from: p.from, to: p.to })),
      })),
      onlyInA: r.onlyInA,
      onlyInB: r.onlyInB,
    },
    dns: {
      added: d.dns.added.map(({ name, type, data }) => ({ name, type, data })),
      removed: d.dns.removed.map(({ name, type, data }) => ({ name, type, data })),
    },
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}
