// Traces run the way `podnet trace` runs them (parse FROM and TO, then trace), on the small
// clusters of the NetworkPolicy engine tests, plus shorthands to pick hops out of a Trace.

import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { Service } from '../../src/api/types.js';
import { type IPFamily, parseIP } from '../../src/ip/index.js';
import { TraceContext, type TraceOptions } from '../../src/trace/context.js';
import { parseDestination, parseSource } from '../../src/trace/target.js';
import { trace } from '../../src/trace/trace.js';
import type { Hop, Trace } from '../../src/trace/types.js';
import type { EngineCluster } from '../netpol/engine-fixtures.js';

export interface TraceRun {
  readonly family?: IPFamily;
  readonly config?: ClusterConfig;
  readonly options?: TraceOptions;
}

/** The context a CLI run builds, over an engine cluster (its policy model reused). */
export function contextOf(c: EngineCluster, run: TraceRun = {}): TraceContext {
  return new TraceContext(c.store, run.config ?? defaultClusterConfig(), run.options ?? {}, c.model);
}

/**
 * `podnet trace FROM TO`: FROM is `ns/pod`, `node/NAME`, `external`, or an outside address
 * (`external --from-ip IP`); TO is any destination form.
 */
export function traceIn(c: EngineCluster, from: string, to: string, run: TraceRun = {}): Trace {
  const ip = parseIP(from);
  return trace(contextOf(c, run), {
    from: ip ? { kind: 'external' } : parseSource(from),
    to: parseDestination(to),
    ...(run.family ? { family: run.family } : {}),
    ...(ip ? { fromIP: ip } : {}),
  });
}

/** The hop type of a kind (policy hops share one type for two kinds). */
export type HopOf<K extends Hop['kind'], H extends Hop = Hop> = H extends unknown
  ? K extends H['kind']
    ? H
    : never
  : never;

/** The first hop of a kind (`which` = 'last' for the second leg of a URL through the controller). */
export function hop<K extends Hop['kind']>(t: Trace, kind: K, which: 'first' | 'last' = 'first'): HopOf<K> {
  const all = t.hops.filter((h) => h.kind === kind);
  const found = which === 'first' ? all[0] : all[all.length - 1];
  if (!found) throw new Error(`no ${kind} hop in ${t.hops.map((h) => h.kind).join(', ')}`);
  return found as HopOf<K>;
}

export function kinds(t: Trace): string[] {
  return t.hops.map((h) => h.kind);
}

export function service(
  ref: string,
  spec: Partial<Service['spec']>,
  annotations?: Record<string, string>,
): Service {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { ports: [{ port: 80 }], ...spec },
  };
}
