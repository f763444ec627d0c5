// Topology hints on EndpointSlices (k8s.io/endpointslice topologycache and trafficdist).
// - trafficDistribution PreferClose / PreferSameZone: every ready endpoint is hinted for its own
//   zone; PreferSameNode adds a hint for its own node.
// - The annotation service.kubernetes.io/topology-mode: Auto (which wins over
//   trafficDistribution): endpoints are spread over zones in proportion to the zones' CPU
//   (allocatable CPU of ready worker nodes), each zone starting with its own endpoints and
//   over-served zones donating endpoints to under-served ones; when that is impossible (too
//   few endpoints, one zone, missing zone information) hints are removed and a warning says why.
// Slices the reconciler leaves unchanged keep valid hints; ones with stale hints are rewritten.

import type { Endpoint, EndpointSlice, Node, Service } from '../../api/types.js';
import { LABEL_ZONE } from './endpointslice-objects.js';

const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const ANNOTATION_TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
// The largest overload any zone's endpoints should see (topologycache overloadThreshold).
const OVERLOAD_THRESHOLD = 0.2;

/** The slices of one Service and address type, as the reconciler is about to leave them. */
export interface SliceInfo {
  create: EndpointSlice[];
  update: EndpointSlice[];
  unchanged: EndpointSlice[];
}

/** CPU share per zone, or why hints cannot be computed for this cluster. */
export type ZoneCapacity = { ratios: Map<string, number> } | { problem: string };

/** hintsEnabled: the topology-mode annotation (or its deprecated predecessor) says Auto. */
export function hintsEnabled(service: Service): boolean {
  const a = service.metadata.annotations;
  const value = a?.[ANNOTATION_TOPOLOGY_HINTS] ?? a?.[ANNOTATION_TOPOLOGY_MODE];
  return value === 'Auto' || value === 'auto';
}

function parseCPU(q: unknown): number | undefined {
  if (typeof q === 'number') return q * 1000;
  if (typeof q !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

function isNodeReady(node: Node): boolean {
  for (const c of node.status?.conditions ?? []) if (c.type === 'Ready') return c.status === 'True';
  return false;
}

/**
 * TopologyCache.SetNodes: control-plane nodes and nodes that are not Ready do not count; every
 * other node must have a zone. A node without status.allocatable.cpu counts as one CPU, so
 * clusters built from manifests weigh zones by node count.
 */
export function zoneCapacity(nodes: Iterable<Node>): ZoneCapacity {
  const byZone = new Map<string, number>();
  let total = 0;
  for (const node of nodes) {
    const labels = node.metadata.labels ?? {};
    if ('node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels)
      continue;
    if (!isNodeReady(node)) continue;
    const zone = labels[LABEL_ZONE];
    const allocatable = node.status?.allocatable as Record<string, unknown> | undefined;
    const cpu = allocatable?.cpu === undefined ? 1000 : parseCPU(allocatable.cpu);
    if (!zone || !cpu)
      return {
        problem: 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes',
      };
    byZone.set(zone, (byZone.get(zone) ?? 0) + cpu);
    total += cpu;
  }
  if (total === 0 || byZone.size < 2) {
    return {
      problem: 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes',
    };
  }
  const ratios = new Map<string, number>();
  for (const zone of [...byZone.keys()].sort()) ratios.set(zone, (byZone.get(zone) as number) / total);
  return { ratios };
}

function isReady(ep: Endpoint): boolean {
  return ep.conditions?.ready === true;
}

/** Removes every hint: from slices being written, and from unchanged slices (which then need writing). */
export function removeHints(si: SliceInfo): void {
  for (const slice of [...si.create, ...si.update]) for (const ep of slice.endpoints) delete ep.hints;
  si.unchanged = si.unchanged.filter((slice) => {
    if (!slice.endpoints.some((ep) => ep.hints !== undefined)) return true;
    const copy = structuredClone(slice);
    for (const ep of copy.endpoints) delete ep.hints;
    si.update.push(copy);
    return false;
  });
}

/** trafficdist's preferClose heuristic: ready endpoints hinted for their own zone (and node). */
export function preferCloseHints(si: SliceInfo, sameNode: boolean): void {
  const want = (ep: Endpoint) => ({
    zones: ep.zone !== undefined ? [{ name: ep.zone }] : undefined,
    nodes: sameNode && ep.nodeName !== undefined ? [{ name: ep.nodeName }] : undefined,
  });
  const stale = (ep: Endpoint) => {
    if (!isReady(ep)) return false;
    const w = want(ep);
    const z = ep.hints?.forZones;
    const n = ep.hints?.forNodes;
    const zoneOk = w.zones ? z?.length === 1 && z[0].name === w.zones[0].name : !z?.length;
    const nodeOk = w.nodes ? n?.length === 1 && n[0].name === w.nodes[0].name : !n?.length;
    return !zoneOk || !nodeOk;
  };
  si.unchanged = si.unchanged.filter((slice) => {
    if (!slice.endpoints.some(stale)) return true;
    si.update.push(structuredClone(slice));
    return false;
  });
  for (const slice of [...si.create, ...si.update]) {
    for (const ep of slice.endpoints) {
      if (!isReady(ep)) continue;
      const w = want(ep);
      if (!w.zones && !w.nodes) {
        delete ep.hints;
        continue;
      }
      ep.hints = {};
      if (w.zones) ep.hints.forZones = w.zones;
      if (w.nodes) ep.hints.forNodes = w.nodes;
    }
  }
}

interface Allocation {
  minimum: number;
  maximum: number;
  desired: number;
}

function allocations(capacity: ZoneCapacity, endpoints: number): Map<string, Allocation> | string {
  if ('problem' in capacity) return capacity.problem;
  const zones = capacity.ratios.size;
  if (zones > endpoints) return `Insufficient number of endpoints (${endpoints} endpoints, ${zones} zones)`;
  const out = new Map<string, Allocation>();
  let remaining = endpoints;
  let minTotal = 0;
  for (const [zone, ratio] of capacity.ratios) {
    const desired = ratio * endpoints;
    const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
    out.set(zone, { minimum, maximum: 0, desired: Math.max(desired, minimum) });
    minTotal += minimum;
    remaining -= minimum;
    if (remaining < 0) {
      return `Unable to allocate minimum required endpoints to each zone without exceeding overload threshold (${endpoints} endpoints, ${zones} zones)`;
    }
  }
  for (const a of out.values()) a.maximum = a.minimum + endpoints - minTotal;
  return out;
}

/** getHintsByZone: an unchanged slice's hints per zone, or undefined when they are no longer valid. */
function hintsByZone(
  slice: EndpointSlice,
  allocated: Map<string, number>,
  alloc: Map<string, Allocation>,
): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (const ep of slice.endpoints) {
    if (!isReady(ep)) continue;
    const zones = ep.hints?.forZones;
    if (!zones || zones.length === 0) return undefined;
    for (const z of zones) {
      if (!alloc.has(z.name)) return undefined;
      out.set(z.name, (out.get(z.name) ?? 0) + 1);
    }
  }
  for (const [zone, n] of out) {
    if (n + (allocated.get(zone) ?? 0) > (alloc.get(zone) as Allocation).maximum) return undefined;
  }
  return out;
}

/** The zone with the most left to give or receive (first by name on ties). */
function most(m: Map<string, number>): [string, number] {
  let zone = '';
  let num = 0;
  for (const z of [...m.keys()].sort()) {
    const n = m.get(z) as number;
    if (n > num) {
      zone = z;
      num = n;
    }
  }
  return [zone, num];
}

/**
 * TopologyCache.AddHints. Returns why hints were removed instead, if they were (the caller
 * reports it as the controller's TopologyAwareHintsDisabled event).
 */
export function autoHints(si: SliceInfo, capacity: ZoneCapacity): string | undefined {
  let total = 0;
  for (const slice of [...si.create, ...si.update, ...si.unchanged])
    for (const ep of slice.endpoints) if (isReady(ep)) total++;
  const alloc = allocations(capacity, total);
  if (typeof alloc === 'string') {
    removeHints(si);
    return alloc;
  }

  const allocated = new Map<string, number>();
  si.unchanged = si.unchanged.filter((slice) => {
    const byZone = hintsByZone(slice, allocated, alloc);
    if (!byZone) {
      si.update.push(structuredClone(slice));
      return false;
    }
    for (const [zone, n] of byZone) allocated.set(zone, (allocated.get(zone) ?? 0) + n);
    return true;
  });

  const writable = [...si.create, ...si.update];
  for (const slice of writable) {
    for (const ep of slice.endpoints) {
      if (!isReady(ep)) continue;
      if (!ep.zone) {
        removeHints(si);
        return 'One or more endpoints do not have a zone specified';
      }
      allocated.set(ep.zone, (allocated.get(ep.zone) ?? 0) + 1);
      ep.hints = { forZones: [{ name: ep.zone }] };
    }
  }

  // Which zones hold more endpoints than their share, and which fewer, in whole endpoints.
  const givingDesired = new Map<string, number>();
  const receivingDesired = new Map<string, number>();
  for (const [zone, a] of alloc) {
    const have = allocated.get(zone) ?? 0;
    if (have > a.desired) givingDesired.set(zone, have - a.desired);
    else if (have < a.desired) receivingDesired.set(zone, a.desired - have);
  }
  const giving = new Map<string, number>();
  const receiving = new Map<string, number>();
  for (;;) {
    const [gz, give] = most(givingDesired);
    const [rz, receive] = most(receivingDesired);
    if (gz === '' || rz === '' || (give < 1 && receive < 1) || give < 0.5 || receive < 0.5) break;
    giving.set(gz, (giving.get(gz) ?? 0) + 1);
    givingDesired.set(gz, give - 1);
    receiving.set(rz, (receiving.get(rz) ?? 0) + 1);
    receivingDesired.set(rz, receive - 1);
  }

  // Redistribute: endpoints of giving zones are hinted for receiving zones.
  outer: for (const slice of writable) {
    for (const ep of slice.endpoints) {
      if (!isReady(ep) || !ep.zone) continue;
      if (giving.size === 0 || receiving.size === 0) break outer;
      const toGive = giving.get(ep.zone);
      if (!toGive) continue;
      for (const rz of [...receiving.keys()].sort()) {
        const toReceive = receiving.get(rz) as number;
        ep.hints = { forZones: [{ name: rz }] };
        if (toGive === 1) giving.delete(ep.zone);
        else giving.set(ep.zone, toGive - 1);
        if (toReceive === 1) receiving.delete(rz);
        else receiving.set(rz, toReceive - 1);
        allocated.set(rz, (allocated.get(rz) ?? 0) + 1);
        allocated.set(ep.zone, (allocated.get(ep.zone) ?? 0) - 1);
        break;
      }
    }
  }

  if (allocated.size === 0) {
    removeHints(si);
    return 'No hints allocated for zones';
  }
  return undefined;
}
