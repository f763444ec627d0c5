// Which endpoints a node's kube-proxy uses for a Service port (pkg/proxy/topology.go
// CategorizeEndpoints): for the Cluster policy, ready endpoints narrowed by topology hints; for
// the Local policy, the node's own ready endpoints; each falling back, independently, to
// serving-and-terminating endpoints when nothing ready is left. kube-proxy reads hints only:
// trafficDistribution and the topology-mode annotation act through the hints the EndpointSlice
// controller writes.

import type { ServiceEndpoint } from './endpoints.js';
import type { ExclusionReason, Selection } from './types.js';

export type TopologyMode = '' | 'PreferSameZone' | 'PreferSameNode';

export interface TopologyChoice {
  readonly mode: TopologyMode;
  /** Why hints that exist are not used, when they are not. */
  readonly ignored?: string;
}

/** One policy's pick: the endpoints used, why, and why every other endpoint is not. */
export interface Categorized {
  readonly chosen: readonly ServiceEndpoint[];
  readonly selection: Selection;
  readonly excluded: readonly { readonly endpoint: ServiceEndpoint; readonly why: ExclusionReason }[];
  readonly topology?: TopologyChoice;
}

const servingTerminating = (ep: ServiceEndpoint) => ep.serving && ep.terminating;

/** Why an endpoint that is not ready is left out. */
const notReady = (ep: ServiceEndpoint): ExclusionReason =>
  servingTerminating(ep) ? 'terminating' : 'not-serving';

/**
 * topologyModeFromHints: PreferSameNode when every ready endpoint has a node hint and one names
 * this node (the PreferSameTrafficDistribution behaviour); else PreferSameZone when every ready
 * endpoint has a zone hint and one names this node's zone; else no topology.
 */
export function topologyMode(
  endpoints: readonly ServiceEndpoint[],
  node: string,
  zone: string,
): TopologyChoice {
  let anyReady = false;
  let allNode = true;
  let forNode = false;
  let allZone = true;
  let forZone = false;
  let anyHint = false;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    anyReady = true;
    if (ep.nodeHints || ep.zoneHints) anyHint = true;
    if (!ep.nodeHints) allNode = false;
    else if (ep.nodeHints.has(node)) forNode = true;
    if (!ep.zoneHints) allZone = false;
    else if (ep.zoneHints.has(zone)) forZone = true;
  }
  if (!anyReady) return { mode: '' };
  if (allNode && forNode) return { mode: 'PreferSameNode' };
  if (allZone && forZone) return { mode: 'PreferSameZone' };
  if (!anyHint) return { mode: '' };
  let ignored: string;
  if (!allZone) ignored = 'not every ready endpoint has a zone hint';
  else if (zone === '') ignored = `node ${node || '(none)'} has no topology.kubernetes.io/zone label`;
  else ignored = `no endpoint is hinted for zone ${zone}`;
  return { mode: '', ignored };
}

function availableForTopology(ep: ServiceEndpoint, mode: TopologyMode, node: string, zone: string): boolean {
  if (mode === 'PreferSameNode') return ep.nodeHints?.has(node) === true;
  if (mode === 'PreferSameZone') return ep.zoneHints?.has(zone) === true;
  return true;
}

/** The Cluster policy's endpoints as seen from `node` (in `zone`). */
export function clusterEndpoints(
  endpoints: readonly ServiceEndpoint[],
  node: string,
  zone: string,
): Categorized {
  const topology = topologyMode(endpoints, node, zone);
  const chosen: ServiceEndpoint[] = [];
  const excluded: { endpoint: ServiceEndpoint; why: ExclusionReason }[] = [];
  for (const ep of endpoints) {
    if (!ep.ready) excluded.push({ endpoint: ep, why: notReady(ep) });
    else if (!availableForTopology(ep, topology.mode, node, zone))
      excluded.push({ endpoint: ep, why: 'not-hinted' });
    else chosen.push(ep);
  }
  if (chosen.length > 0) {
    const selection =
      topology.mode === 'PreferSameNode'
        ? 'same-node'
        : topology.mode === 'PreferSameZone'
          ? 'same-zone'
          : 'ready';
    return { chosen, selection, excluded, topology };
  }
  // Nothing ready anywhere (topology never empties the set: a mode is chosen only when some
  // ready endpoint fits it): fall back to serving-and-terminating endpoints, topology aside.
  const fallback = endpoints.filter(servingTerminating);
  return {
    chosen: fallback,
    selection: fallback.length > 0 ? 'serving-terminating' : 'none',
    excluded: endpoints
      .filter((ep) => !servingTerminating(ep))
      .map((endpoint) => ({ endpoint, why: 'not-serving' })),
    topology,
  };
}

/** The Local policy's endpoints on `node`: ready ones, else serving-and-terminating ones; no topology. */
export function localEndpoints(endpoints: readonly ServiceEndpoint[], node: string): Categorized {
  const local = (ep: ServiceEndpoint) => node !== '' && ep.node === node;
  const ready = endpoints.some((ep) => local(ep) && ep.ready);
  const usable = ready ? (ep: ServiceEndpoint) => ep.ready : (ep: ServiceEndpoint) => servingTerminating(ep);
  const chosen: ServiceEndpoint[] = [];
  const excluded: { endpoint: ServiceEndpoint; why: ExclusionReason }[] = [];
  for (const ep of endpoints) {
    if (!local(ep)) excluded.push({ endpoint: ep, why: 'not-local' });
    else if (usable(ep)) chosen.push(ep);
    else excluded.push({ endpoint: ep, why: ready ? notReady(ep) : 'not-serving' });
  }
  const selection = chosen.length === 0 ? 'none' : ready ? 'local' : 'local-serving-terminating';
  return { chosen, selection, excluded };
}

/** hasAnyEndpoints: some endpoint anywhere is ready, or serving and terminating. */
export function hasUsableEndpoints(endpoints: readonly ServiceEndpoint[]): boolean {
  return endpoints.some((ep) => ep.ready || servingTerminating(ep));
}
