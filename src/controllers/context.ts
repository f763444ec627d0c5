// What every controller gets: the store to read and write, the cluster config, and a way to
// report problems against an object and field.

import type { ClusterConfig } from '../api/cluster-config.js';
import type { Diagnostic } from '../api/errors.js';
import { type KubeObject, objectKey } from '../api/types.js';
import type { Store } from '../store/store.js';

export interface ControllerContext {
  readonly store: Store;
  readonly config: ClusterConfig;
  /** Something a real cluster would accept but a user should know (two pods with one IP). */
  warn(obj: KubeObject | undefined, field: string | undefined, message: string): void;
  /** Something the API server or a controller would refuse (a clusterIP already allocated). */
  error(obj: KubeObject | undefined, field: string | undefined, message: string): void;
}

export interface Controller {
  readonly name: string;
  /** Brings the store one step towards the desired state; writes only what differs. */
  reconcile(ctx: ControllerContext): void;
}

/** A context that collects diagnostics, locating them by the objects' origins. */
export function collectingContext(
  store: Store,
  config: ClusterConfig,
): ControllerContext & { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (
    severity: 'error' | 'warning',
    obj: KubeObject | undefined,
    field: string | undefined,
    message: string,
  ) => {
    const object = obj ? `${obj.kind} ${objectKey(obj)}` : undefined;
    const text = field ? `${field}: ${message}` : message;
    // A controller may run several passes; each problem is reported once.
    const id = `${severity}|${object}|${text}`;
    if (seen.has(id)) return;
    seen.add(id);
    const origin = obj ? store.originOf(obj) : undefined;
    const line =
      origin && field
        ? (origin.lineOf?.(
            field
              .split(/[.[\]]/)
              .filter(Boolean)
              .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
          ) ?? origin.line)
        : origin?.line;
    diagnostics.push({ severity, file: origin?.file, line, object, field, message: text });
  };
  return {
    store,
    config,
    diagnostics,
    warn: (obj, field, message) => report('warning', obj, field, message),
    error: (obj, field, message) => report('error', obj, field, message),
  };
}
