// `podnet lint` output: a table for people, and the Findings object of DESIGN.md ("JSON shapes",
// `lint -o json`) as JSON or YAML for machines. Findings arrive sorted; printers keep the order.

import { stringify } from 'yaml';
import type { Finding, Rule } from '../../lint/index.js';
import { alignColumns } from './table.js';

/** `{"kind":"Findings","items":[{"severity","code","object","field","message"}]}`, nothing else. */
export function findingsObject(findings: readonly Finding[]): { kind: 'Findings'; items: Finding[] } {
  return {
    kind: 'Findings',
    items: findings.map((f) => ({
      severity: f.severity,
      code: f.code,
      object: f.object,
      field: f.field,
      message: f.message,
    })),
  };
}

export function printFindingsJSON(findings: readonly Finding[]): string {
  return `${JSON.stringify(findingsObject(findings), null, 4)}\n`;
}

/** The JSON shape in kubectl's YAML block style (sequences not indented under their key). */
export function printFindingsYAML(findings: readonly Finding[]): string {
  return stringify(findingsObject(findings), { version: '1.1', indentSeq: false, lineWidth: 0 });
}

/** One row per finding; the message last, unpadded, so long messages do not widen the table. */
export function printFindingsTable(findings: readonly Finding[]): string {
  const rows = [['SEVERITY', 'CODE', 'OBJECT', 'FIELD', 'MESSAGE']];
  for (const f of findings) rows.push([f.severity, f.code, f.object, f.field, f.message]);
  return alignColumns(rows);
}

/** `podnet lint --rules`: every code with its severity and what it finds. */
export function printRulesTable(rules: readonly Rule[]): string {
  const rows = [['CODE', 'SEVERITY', 'FINDS']];
  for (const r of [...rules].sort((a, b) => (a.code < b.code ? -1 : 1)))
    rows.push([r.code, r.severity, r.title]);
  return alignColumns(rows);
}
