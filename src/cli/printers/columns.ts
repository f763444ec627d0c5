// The columns `kubectl get` prints for each kind (the API server's table convertors in kubernetes
// pkg/printers/internalversion/printers.go), gathered from one file per API group. NAME,
// NAMESPACE (with -A) and LABELS (with --show-labels) are added by the table printer itself.

import type { Kind, KindMap } from '../../api/types.js';
import { appsColumns } from './apps-columns.js';
import { coreColumns } from './core-columns.js';
import type { PrintContext } from './format.js';
import { networkingColumns } from './networking-columns.js';

/**
 * One kind's table after the NAME column. As upstream, a row holds every cell; the `wide`
 * columns (priority 1 there) come last and are shown only with `-o wide`.
 */
export interface Columns<T> {
  readonly headers: readonly string[];
  readonly wide: readonly string[];
  /** `headers.length + wide.length` cells, in column order. */
  cells(obj: T, ctx: PrintContext): string[];
}

export type ColumnsByKind<K extends Kind> = { readonly [k in K]: Columns<KindMap[k]> };

export const COLUMNS: ColumnsByKind<Kind> = { ...coreColumns, ...appsColumns, ...networkingColumns };
