// The pieces the EndpointSlice reconciler is built from (k8s.io/endpointslice utils): which
// pods belong in a slice, the Endpoint a pod becomes, the labels and owner of a slice, and
// the comparisons that decide whether an existing slice needs writing.

import { isPodReady, podIPs } from '../../api/pod.js';
import { isServiceIPSet } from '../../api/service.js';
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

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** A Service whose endpoints a controller computes: a selector, and not ExternalName. */
export function hasManagedEndpoints(service: Service): boolean {
  return service.spec.type !== 'ExternalName' && Object.keys(service.spec.selector ?? {}).length > 0;
}

/**
 * ShouldPodBeInEndpoints: not terminal (Succeeded/Failed), has an IP, and terminating pods only
 * when the caller includes them (EndpointSlices always; Endpoints with publishNotReadyAddresses).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (podIPs(pod).length === 0) return false;
  return includeTerminating || pod.metadata.deletionTimestamp === undefined;
}

/** ShouldSetHostname: the pod names a hostname and its subdomain is this Service (any kind of Service). */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return (
    !!pod.spec.hostname &&
    pod.spec.subdomain === service.metadata.name &&
    pod.metadata.namespace === service.metadata.namespace
  );
}

// Pods written without a uid get one derived from their identity (owner.ts uidOf); deriving it
// hashes four times, so it is remembered per pod object.
const derivedUIDs = new WeakMap<Pod, string>();

/** The uid endpoints cite for a pod. */
export function podUID(pod: Pod): string {
  if (pod.metadata.uid !== undefined) return pod.metadata.uid;
  let uid = derivedUIDs.get(pod);
  if (uid === undefined) {
    uid = uidOf(pod);
    derivedUIDs.set(pod, uid);
  }
  return uid;
}

export function familyMatches(ip: string, addressType: AddressType): boolean {
  return ip.includes(':') === (addressType === 'IPv6');
}

/**
 * podToEndpoint: serving is the pod's Ready condition, terminating is a deletionTimestamp,
 * ready is serving and not terminating, or always true with publishNotReadyAddresses.
 */
export function podToEndpoint(
  pod: Pod,
  node: Node | undefined,
  service: Service,
  addressType: AddressType,
): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  const ready = service.spec.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: podIPs(pod).filter((ip) => familyMatches(ip, addressType)),
    conditions: { ready, serving, terminating },
  };
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec.hostname;
  ep.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: podUID(pod),
  };
  if (pod.spec.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[LABEL_ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** The identity of an endpoint within a slice set: addresses, hostname and target pod. */
export function endpointKey(ep: Endpoint): string {
  const addresses = ep.addresses.length > 1 ? [...ep.addresses].sort() : ep.addresses;
  return `${ep.targetRef?.namespace ?? ''}/${ep.targetRef?.name ?? ''}|${ep.hostname ?? ''}|${addresses.join(',')}`;
}

/** EndpointsEqualBeyondHash: what may change in place for an endpoint of the same identity. */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  const ca = a.conditions ?? {};
  const cb = b.conditions ?? {};
  const ta = a.targetRef;
  const tb = b.targetRef;
  return (
    a.nodeName === b.nodeName &&
    a.zone === b.zone &&
    ca.ready === cb.ready &&
    ca.serving === cb.serving &&
    ca.terminating === cb.terminating &&
    ta?.kind === tb?.kind &&
    ta?.namespace === tb?.namespace &&
    ta?.name === tb?.name &&
    ta?.uid === tb?.uid
  );
}

function isReservedLabel(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS;
}

/**
 * setEndpointSliceLabels: the Service's labels minus the reserved ones, the headless label for
 * Services without a cluster IP, the service-name and managed-by labels. `changed` tells
 * whether the copied Service labels differ from the slice's (changes to reserved labels alone
 * do not count, as upstream).
 */
export function sliceLabels(
  slice: EndpointSlice | undefined,
  service: Service,
): { labels: Record<string, string>; changed: boolean } {
  const labels: Record<string, string> = {};
  let count = 0;
  for (const [k, v] of Object.entries(service.metadata.labels ?? {})) {
    if (isReservedLabel(k)) continue;
    labels[k] = v;
    count++;
  }
  let changed = false;
  if (slice) {
    let sliceCount = 0;
    for (const [k, v] of Object.entries(slice.metadata.labels ?? {})) {
      if (isReservedLabel(k)) continue;
      sliceCount++;
      if (labels[k] !== v) changed = true;
    }
    if (sliceCount !== count) changed = true;
  }
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service.metadata.name;
  labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
  return { labels, changed };
}

/**
 * ownedBy: an owner reference names this Service. Upstream matches the uid; uids are compared
 * here only when the Service carries one, since manifests usually omit them while exported
 * slices keep theirs (the rule the workload controllers use, owner.ts claimOf).
 */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  const uid = service.metadata.uid;
  return (slice.metadata.ownerReferences ?? []).some(
    (o) =>
      o.kind === 'Service' &&
      o.apiVersion === 'v1' &&
      o.name === service.metadata.name &&
      (uid === undefined || o.uid === uid),
  );
}

// names.SimpleNameGenerator: a generated name is the prefix cut to 58 characters plus 5
// random ones, so it stays a valid 63-character name.
const MAX_GENERATED_PREFIX = 58;

/** A new slice (no name yet) for a Service, an address type and a port list. */
export function newEndpointSlice(
  service: Service,
  addressType: AddressType,
  ports: readonly EndpointPort[],
): EndpointSlice {
  const generateName = `${service.metadata.name}-`;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: '',
      generateName,
      namespace: service.metadata.namespace,
      labels: sliceLabels(undefined, service).labels,
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: service.metadata.name,
          uid: uidOf(service),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    addressType,
    endpoints: [],
    ports: ports.map((p) => ({ ...p })),
  };
}

export function generatedNamePrefix(slice: EndpointSlice): string {
  return (slice.metadata.generateName ?? '').slice(0, MAX_GENERATED_PREFIX);
}
