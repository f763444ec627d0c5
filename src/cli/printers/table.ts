// The human-readable table of `kubectl get`: NAMESPACE (with -A), NAME (`kind.group/name`
// when several kinds are printed), the kind's columns (wide ones with -o wide), LABELS (with
// --show-labels), aligned as kubectl's tabwriter aligns them.

import type { Kind, KubeObject } from '../../api/types.js';
import { COLUMNS, type Columns } from './columns.js';
import { formatLabels, type PrintContext } from './format.js';
import { resourceName } from './name.js';

export interface TableOptions {
  readonly wide: boolean;
  /** Prepend NAMESPACE (kubectl -A, for namespaced kinds only). */
  readonly withNamespace: boolean;
  /** Name rows `kind.group/name` (kubectl does when the output mixes kinds). */
  readonly withKind: boolean;
  readonly showLabels: boolean;
  readonly noHeaders: boolean;
  readonly ctx: PrintContext;
}

// kubectl's tabwriter settings (cli-runtime printers.GetNewTabWriter): a column is as wide as
// its widest cell plus 3 spaces, and at least 6; the last column is not padded.
const MIN_WIDTH = 6;
const PADDING = 3;

/** Display width as Go's tabwriter counts it: in runes, not UTF-16 code units. */
function width(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return [...s].length;
  return s.length;
}

/** Aligns rows of cells into text, one line per row. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const row of rows) {
    for (let c = 0; c < row.length - 1; c++) {
      const w = Math.max(MIN_WIDTH, width(row[c]) + PADDING);
      if (!(widths[c] >= w)) widths[c] = w;
    }
  }
  const lines: string[] = [];
  for (const row of rows) {
    let line = '';
    for (let c = 0; c < row.length - 1; c++) line += row[c] + ' '.repeat(widths[c] - width(row[c]));
    lines.push(line + row[row.length - 1]);
  }
  return `${lines.join('\n')}\n`;
}

/** One kind's table, header first (unless `noHeaders`); `objects` are all of `kind`. */
export function printTable(kind: Kind, objects: readonly KubeObject[], options: TableOptions): string {
  const columns = COLUMNS[kind] as Columns<KubeObject>;
  const shown = columns.headers.length + (options.wide ? columns.wide.length : 0);
  const rows: string[][] = [];
  if (!options.noHeaders) {
    const header = ['NAME', ...columns.headers, ...(options.wide ? columns.wide : [])];
    if (options.withNamespace) header.unshift('NAMESPACE');
    if (options.showLabels) header.push('LABELS');
    rows.push(header);
  }
  for (const obj of objects) {
    const cells = columns.cells(obj, options.ctx);
    const row = [options.withKind ? resourceName(obj) : obj.metadata.name];
    for (let i = 0; i < shown; i++) row.push(cells[i]);
    if (options.withNamespace) row.unshift(obj.metadata.namespace ?? '');
    if (options.showLabels) row.push(formatLabels(obj.metadata.labels));
    rows.push(row);
  }
  return alignColumns(rows);
}
