// The EndpointSlice reconciler (k8s.io/endpointslice Reconciler), as a pure function:
// (Service, its pods, its existing slices) -> slices to create, update and delete.
//
// Placement follows upstream: per address type, endpoints are grouped by the port list their
// pod serves (named targetPorts can resolve differently per pod); existing slices keep the
// endpoints still desired, updated in place; slices that changed are topped up first (fullest
// first); leftovers go into one unchanged slice with room for all of them, else into new
// slices of at most maxEndpointsPerSlice; slices left empty are deleted, or reused by name for
// slices that would be created. A Service with no endpoints of an address type gets one
// empty placeholder slice. Where upstream picks in map order, podnet picks in a fixed order
// (pods by name, slices by name, port lists by key) so the result is the same on every run.

import { nameSuffix } from '../../api/hash.js';
import type {
  AddressType,
  Endpoint,
  EndpointPort,
  EndpointSlice,
  Node,
  Pod,
  Service,
} from '../../api/types.js';
import { uidOf } from '../owner.js';
import { portListKey, ServicePortResolver } from '../services/service-ports.js';
import {
  autoHints,
  hintsEnabled,
  preferCloseHints,
  removeHints,
  type SliceInfo,
  type ZoneCapacity,
} from './endpointslice-hints.js';
import {
  endpointKey,
  endpointsEqualBeyondKey,
  generatedNamePrefix,
  newEndpointSlice,
  ownedBy,
  podToEndpoint,
  shouldPodBeInEndpoints,
  sliceLabels,
} from './endpointslice-objects.js';

export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

export interface ReconcileInput {
  service: Service;
  /** Pods selected by the Service's selector, in any order. */
  pods: readonly Pod[];
  /** Slices labelled for this Service and managed by this controller. */
  existing: readonly EndpointSlice[];
  node(name: string): Node | undefined;
  /** Is a slice name in this namespace already used (by any slice)? */
  nameTaken(name: string): boolean;
  maxEndpointsPerSlice?: number;
  /** Zone CPU shares for topology-mode Auto; without it such Services get no hints. */
  zones?: ZoneCapacity;
}

export interface SliceChanges {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Why the result is not what a user might expect (pods skipped, hints disabled). */
  warnings: { field?: string; message: string }[];
}

const CLOSE_DISTRIBUTIONS = new Set(['PreferClose', 'PreferSameZone', 'PreferSameNode']);

function pushTo<K, V>(m: Map<K, V[]>, key: K, value: V): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}

function byName(a: EndpointSlice, b: EndpointSlice): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The address types a Service's slices use: one per entry of spec.ipFamilies. */
function addressTypes(service: Service): AddressType[] {
  const families = service.spec.ipFamilies ?? [];
  if (families.length > 0) return [...new Set(families)];
  // A Service not yet through the allocator: the family of its cluster IP, else both.
  const ip = service.spec.clusterIP;
  if (ip && ip !== 'None') return [ip.includes(':') ? 'IPv6' : 'IPv4'];
  return ['IPv4', 'IPv6'];
}

export function reconcileEndpointSlices(input: ReconcileInput): SliceChanges {
  const { service } = input;
  const out: SliceChanges = { create: [], update: [], delete: [], warnings: [] };
  const types = addressTypes(service);
  const byType = new Map<AddressType, EndpointSlice[]>();
  for (const slice of input.existing) {
    if (!types.includes(slice.addressType)) out.delete.push(slice);
    else pushTo(byType, slice.addressType, slice);
  }
  const pods = [...input.pods].sort((a, b) =>
    a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0,
  );
  const resolver = new ServicePortResolver(service);
  const skipped = new Map<string, string>();
  for (const addressType of types) {
    reconcileAddressType(input, addressType, byType.get(addressType) ?? [], pods, resolver, skipped, out);
  }
  for (const [pod, node] of skipped)
    out.warnings.push({ message: `skipping Pod ${pod}: Node "${node}" Not Found` });
  nameNewSlices(input, out.create);
  return out;
}

function reconcileAddressType(
  input: ReconcileInput,
  addressType: AddressType,
  existing: EndpointSlice[],
  pods: readonly Pod[],
  resolver: ServicePortResolver,
  skipped: Map<string, string>,
  out: SliceChanges,
): void {
  const { service } = input;
  const max = input.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE;
  const create: EndpointSlice[] = [];
  const update: EndpointSlice[] = [];
  const del: EndpointSlice[] = [];

  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of [...existing].sort(byName)) {
    if (!ownedBy(slice, service)) {
      del.push(slice);
      continue;
    }
    pushTo(existingByPorts, portListKey(slice.ports), slice);
  }

  // Desired endpoints by port list; Map order is pod-name order, which fixes placement.
  const desiredPorts = new Map<string, EndpointPort[]>();
  const desired = new Map<string, Map<string, Endpoint>>();
  const keyOf = new Map<EndpointPort[], string>();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = resolver.resolve(pod);
    let key = keyOf.get(ports);
    if (key === undefined) {
      key = portListKey(ports);
      keyOf.set(ports, key);
    }
    let set = desired.get(key);
    if (!set) {
      set = new Map();
      desired.set(key, set);
      desiredPorts.set(key, ports);
    }
    const node = pod.spec.nodeName ? input.node(pod.spec.nodeName) : undefined;
    // A pod bound to a Node that does not exist is left out until the Node appears, unless
    // the Service publishes not-ready addresses.
    if (!node && !service.spec.publishNotReadyAddresses) {
      skipped.set(pod.metadata.name, pod.spec.nodeName ?? '');
      continue;
    }
    const ep = podToEndpoint(pod, node, service, addressType);
    if (ep.addresses.length > 0) set.set(endpointKey(ep), ep);
  }

  for (const key of [...desired.keys()].sort()) {
    const r = reconcilePortMapping(
      service,
      existingByPorts.get(key) ?? [],
      desired.get(key) as Map<string, Endpoint>,
      max,
      () => newEndpointSlice(service, addressType, desiredPorts.get(key) as EndpointPort[]),
    );
    create.push(...r.create);
    update.push(...r.update);
    del.push(...r.delete);
  }
  for (const [key, slices] of [...existingByPorts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!desired.has(key)) del.push(...slices);
  }

  // No slice would be left: keep (or create) one empty placeholder.
  if (existing.length === del.length && create.length === 0) {
    const placeholder = newEndpointSlice(service, addressType, []);
    if (del.length === 1 && isSamePlaceholder(del[0], placeholder)) del.length = 0;
    else create.push(placeholder);
  }

  const changed = new Set([...update, ...del].map((s) => s.metadata.name));
  const si: SliceInfo = { create, update, unchanged: existing.filter((s) => !changed.has(s.metadata.name)) };
  const distribution = service.spec.trafficDistribution;
  if (hintsEnabled(service)) {
    let problem = 'topology information not available';
    if (input.zones) problem = autoHints(si, input.zones) ?? '';
    else removeHints(si);
    if (problem) {
      out.warnings.push({
        field: 'metadata.annotations[service.kubernetes.io/topology-mode]',
        message: `topology aware hints disabled: ${problem}, addressType: ${addressType}`,
      });
    }
  } else if (distribution !== undefined && CLOSE_DISTRIBUTIONS.has(distribution)) {
    preferCloseHints(si, distribution === 'PreferSameNode');
  } else {
    removeHints(si);
  }

  finalize(service, si.create, si.update, del);
  out.create.push(...si.create);
  out.update.push(...si.update);
  out.delete.push(...del);
}

/** placeholderSliceCompare: same namespace, labels, owners, address type, no ports or endpoints. */
function isSamePlaceholder(a: EndpointSlice, b: EndpointSlice): boolean {
  const la = a.metadata.labels ?? {};
  const lb = b.metadata.labels ?? {};
  const ka = Object.keys(la);
  const oa = a.metadata.ownerReferences ?? [];
  const ob = b.metadata.ownerReferences ?? [];
  return (
    a.metadata.namespace === b.metadata.namespace &&
    ka.length === Object.keys(lb).length &&
    ka.every((k) => la[k] === lb[k]) &&
    oa.length === ob.length &&
    oa.every(
      (o, i) =>
        o.uid === ob[i].uid &&
        o.kind === ob[i].kind &&
        o.name === ob[i].name &&
        o.apiVersion === ob[i].apiVersion &&
        o.controller === ob[i].controller,
    ) &&
    a.addressType === b.addressType &&
    a.endpoints.length === 0 &&
    (a.ports ?? []).length === 0
  );
}

/** reconcileByPortMapping for one port list. Consumes `desired`. */
function reconcilePortMapping(
  service: Service,
  existing: EndpointSlice[],
  desired: Map<string, Endpoint>,
  max: number,
  fresh: () => EndpointSlice,
): { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] } {
  const toUpdate = new Map<string, EndpointSlice>();
  const unchanged = new Map<string, EndpointSlice>();
  const toDelete: EndpointSlice[] = [];

  // 1. Keep the endpoints still desired, taking their current values.
  for (const slice of existing) {
    const kept: Endpoint[] = [];
    let updated = false;
    for (const ep of slice.endpoints) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, ep)) updated = true;
      desired.delete(key);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, service);
    if (updated || kept.length !== slice.endpoints.length) {
      if (kept.length === 0) toDelete.push(slice);
      else toUpdate.set(slice.metadata.name, copySlice(slice, labels, kept));
    } else if (labelsChanged) {
      toUpdate.set(slice.metadata.name, copySlice(slice, labels));
    } else {
      unchanged.set(slice.metadata.name, slice);
    }
  }

  const pop = (slice: EndpointSlice) => {
    for (const [key, ep] of desired) {
      if (slice.endpoints.length >= max) return;
      slice.endpoints.push(ep);
      desired.delete(key);
    }
  };

  // 2. Top up the slices being updated anyway, fullest first.
  if (desired.size > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate.values()].sort(
      (a, b) => b.endpoints.length - a.endpoints.length || byName(a, b),
    );
    for (const slice of slices) pop(slice);
  }

  // 3. The rest: into the one unchanged slice closest to full that holds them all, else new slices.
  const create: EndpointSlice[] = [];
  while (desired.size > 0) {
    let target: EndpointSlice | undefined;
    if (desired.size < max && unchanged.size > 0) {
      let closest = max;
      for (const slice of [...unchanged.values()].sort(byName)) {
        const diff = max - (desired.size + slice.endpoints.length);
        if (diff >= 0 && diff < closest) {
          closest = diff;
          target = slice;
        }
      }
    }
    if (target) {
      const copy = copySlice(target);
      pop(copy);
      unchanged.delete(target.metadata.name);
      toUpdate.set(copy.metadata.name, copy);
    } else {
      const slice = fresh();
      pop(slice);
      create.push(slice);
    }
  }
  return { create, update: [...toUpdate.values()], delete: toDelete };
}

/**
 * A copy to modify: the store's objects are never changed in place. With `endpoints`, the
 * copy takes those (fresh) endpoints instead of copies of the old ones.
 */
function copySlice(
  slice: EndpointSlice,
  labels?: Record<string, string>,
  endpoints?: Endpoint[],
): EndpointSlice {
  const copy = structuredClone(endpoints ? { ...slice, endpoints: [] } : slice);
  if (labels) copy.metadata.labels = labels;
  if (endpoints) copy.endpoints = endpoints;
  return copy;
}

/** Creations become updates of slices that would be deleted (same address type, same owner). */
function finalize(
  service: Service,
  create: EndpointSlice[],
  update: EndpointSlice[],
  del: EndpointSlice[],
): void {
  for (let i = 0; i < del.length && create.length > 0; ) {
    const old = del[i];
    const slice = create[create.length - 1];
    if (old.addressType === slice.addressType && ownedBy(old, service)) {
      slice.metadata.name = old.metadata.name;
      create.pop();
      update.push(slice);
      del.splice(i, 1);
    } else {
      i++;
    }
  }
}

/** generateName: `<service>-` plus a 5-character suffix derived from the slice's identity. */
function nameNewSlices(input: ReconcileInput, create: EndpointSlice[]): void {
  const uid = uidOf(input.service);
  const used = new Set<string>();
  for (const slice of create) {
    const prefix = generatedNamePrefix(slice);
    const seed = `${uid}/${slice.addressType}/${portListKey(slice.ports)}`;
    for (let attempt = 0; ; attempt++) {
      const name = prefix + nameSuffix(`${seed}/${attempt}`);
      if (used.has(name) || input.nameTaken(name)) continue;
      used.add(name);
      slice.metadata.name = name;
      break;
    }
  }
}
