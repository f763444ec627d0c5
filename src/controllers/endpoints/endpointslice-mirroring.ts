// The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): Endpoints
// that users write for a Service without a selector are mirrored into EndpointSlices, since
// kube-proxy and CoreDNS read only slices. Each repacked subset becomes one slice per address
// family (at most 1000 addresses per subset are mirrored, with a warning beyond that), labelled
// with the Endpoints' labels, the Service name and managed-by
// endpointslicemirroring-controller.k8s.io, owned by the Endpoints. Endpoints labelled
// endpointslice.kubernetes.io/skip-mirror: "true" (as the apiserver labels `kubernetes`) and
// leader-election records are not mirrored; mirrored slices whose Endpoints or selector-less
// Service is gone are deleted.

import { nameSuffix } from '../../api/hash.js';
import { fromMap } from '../../api/labels.js';
import type {
  AddressType,
  Endpoint,
  EndpointAddress,
  EndpointPort,
  EndpointSlice,
  Endpoints,
  Service,
} from '../../api/types.js';
import { formatIP, parseIP } from '../../ip/index.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { uidOf } from '../owner.js';
import { portListKey } from '../services/service-ports.js';
import { repackSubsets } from './endpoints-subsets.js';
import {
  endpointKey,
  endpointsEqualBeyondKey,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
} from './endpointslice-objects.js';

export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SUBSET = 1000;
const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const ANNOTATION_LEADER = 'control-plane.alpha.kubernetes.io/leader';
const NOT_MIRRORED_ANNOTATIONS = new Set([
  'endpoints.kubernetes.io/last-change-trigger-time',
  'kubectl.kubernetes.io/last-applied-configuration',
]);

export interface MirrorChanges {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  warnings: string[];
}

/** addressToEndpoint: the address re-formatted canonically; undefined for an invalid IP. */
function addressToEndpoint(address: EndpointAddress, ready: boolean): [Endpoint, AddressType] | undefined {
  const ip = parseIP(address.ip);
  if (!ip) return undefined;
  const ep: Endpoint = { addresses: [formatIP(ip)], conditions: { ready } };
  if (address.hostname) ep.hostname = address.hostname;
  if (address.targetRef) ep.targetRef = address.targetRef;
  if (address.nodeName) ep.nodeName = address.nodeName;
  return [ep, ip.family];
}

function mirroredAnnotations(endpoints: Endpoints): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoints.metadata.annotations ?? {}))
    if (!NOT_MIRRORED_ANNOTATIONS.has(k)) out[k] = v;
  return out;
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a?.[k] === b?.[k]);
}

function newMirroredSlice(
  endpoints: Endpoints,
  ports: EndpointPort[],
  addressType: AddressType,
  name: string,
): EndpointSlice {
  const annotations = mirroredAnnotations(endpoints);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      ...(name ? {} : { generateName: `${endpoints.metadata.name}-` }),
      namespace: endpoints.metadata.namespace,
      labels: {
        ...endpoints.metadata.labels,
        [LABEL_SERVICE_NAME]: endpoints.metadata.name,
        [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER_NAME,
      },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          name: endpoints.metadata.name,
          uid: uidOf(endpoints),
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

/** The mirroring reconciler, as a pure function of the Endpoints and its mirrored slices. */
export function mirrorEndpoints(
  endpoints: Endpoints,
  existing: readonly EndpointSlice[],
  nameTaken: (name: string) => boolean,
): MirrorChanges {
  const out: MirrorChanges = { create: [], update: [], delete: [], warnings: [] };
  const desired = new Map<
    string,
    { ports: EndpointPort[]; addressType: AddressType; endpoints: Map<string, Endpoint> }
  >();
  let invalid = 0;
  let skipped = 0;
  for (const subset of repackSubsets(endpoints.subsets ?? [])) {
    const ports: EndpointPort[] = (subset.ports ?? []).map((p) => {
      const port: EndpointPort = { name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port };
      if (p.appProtocol !== undefined) port.appProtocol = p.appProtocol;
      return port;
    });
    const all: [EndpointAddress, boolean][] = [
      ...(subset.addresses ?? []).map((a): [EndpointAddress, boolean] => [a, true]),
      ...(subset.notReadyAddresses ?? []).map((a): [EndpointAddress, boolean] => [a, false]),
    ];
    let added = 0;
    for (const [address, ready] of all) {
      if (added >= MAX_ENDPOINTS_PER_SUBSET) break;
      const converted = addressToEndpoint(address, ready);
      if (!converted) {
        invalid++;
        continue;
      }
      const [ep, addressType] = converted;
      const key = `${addressType}-${portListKey(ports)}`;
      let group = desired.get(key);
      if (!group) {
        group = { ports, addressType, endpoints: new Map() };
        desired.set(key, group);
      }
      group.endpoints.set(endpointKey(ep), ep);
      added++;
    }
    skipped += all.length - added;
  }
  if (invalid > 0)
    out.warnings.push(`Skipped ${invalid} invalid IP addresses when mirroring to EndpointSlices`);
  if (skipped > invalid) {
    out.warnings.push(
      `A max of ${MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${skipped} addresses were skipped`,
    );
  }

  const existingByKey = new Map<string, EndpointSlice[]>();
  for (const slice of [...existing].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const key = `${slice.addressType}-${portListKey(slice.ports)}`;
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  const annotations = mirroredAnnotations(endpoints);
  for (const key of [...desired.keys()].sort()) {
    const want = desired.get(key) as NonNullable<ReturnType<typeof desired.get>>;
    const [first, ...extra] = existingByKey.get(key) ?? [];
    out.delete.push(...extra);
    if (first && isUpToDate(first, want.endpoints, endpoints, annotations)) continue;
    const slice = newMirroredSlice(endpoints, want.ports, want.addressType, first?.metadata.name ?? '');
    slice.endpoints = [...want.endpoints.values()];
    (first ? out.update : out.create).push(slice);
  }
  for (const [key, slices] of existingByKey) if (!desired.has(key)) out.delete.push(...slices);

  // Recycle: a slice to create takes the name of one to delete of its address type.
  for (let i = 0; i < out.delete.length && out.create.length > 0; ) {
    const idx = out.create.findIndex((c) => c.addressType === out.delete[i].addressType);
    if (idx < 0) {
      i++;
      continue;
    }
    const [slice] = out.create.splice(idx, 1);
    slice.metadata.name = out.delete[i].metadata.name;
    delete slice.metadata.generateName;
    out.update.push(slice);
    out.delete.splice(i, 1);
  }
  const used = new Set<string>();
  for (const slice of out.create) {
    const seed = `${uidOf(endpoints)}/${slice.addressType}/${portListKey(slice.ports)}`;
    for (let attempt = 0; ; attempt++) {
      const name = `${endpoints.metadata.name}-`.slice(0, 58) + nameSuffix(`${seed}/${attempt}`);
      if (used.has(name) || nameTaken(name)) continue;
      used.add(name);
      slice.metadata.name = name;
      break;
    }
  }
  return out;
}

/** The first existing slice already holds exactly the desired endpoints, labels and annotations. */
function isUpToDate(
  slice: EndpointSlice,
  want: Map<string, Endpoint>,
  endpoints: Endpoints,
  annotations: Record<string, string>,
): boolean {
  if (slice.endpoints.length !== want.size) return false;
  for (const ep of slice.endpoints) {
    const w = want.get(endpointKey(ep));
    if (!w || !endpointsEqualBeyondKey(w, ep)) return false;
  }
  const labels = { ...slice.metadata.labels };
  delete labels[LABEL_MANAGED_BY];
  delete labels[LABEL_SERVICE_NAME];
  return sameMap(labels, endpoints.metadata.labels) && sameMap(annotations, slice.metadata.annotations);
}

function shouldMirror(endpoints: Endpoints, service: Service | undefined): boolean {
  if (endpoints.metadata.labels?.[LABEL_SKIP_MIRROR] === 'true') return false;
  if (endpoints.metadata.annotations?.[ANNOTATION_LEADER] !== undefined) return false;
  return service !== undefined && Object.keys(service.spec.selector ?? {}).length === 0;
}

export function reconcileAllMirroredSlices(ctx: ControllerContext): void {
  const { store } = ctx;
  const mirrored = new Set<string>();
  for (const endpoints of store.list('Endpoints')) {
    const ns = endpoints.metadata.namespace as string;
    if (!shouldMirror(endpoints, store.get('Service', ns, endpoints.metadata.name))) continue;
    const existing = store.select(
      'EndpointSlice',
      ns,
      fromMap({
        [LABEL_SERVICE_NAME]: endpoints.metadata.name,
        [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER_NAME,
      }),
    );
    const changes = mirrorEndpoints(endpoints, existing, (name) => store.has('EndpointSlice', ns, name));
    for (const w of changes.warnings) ctx.warn(endpoints, undefined, w);
    for (const slice of changes.delete) store.delete('EndpointSlice', ns, slice.metadata.name);
    for (const slice of [...changes.update, ...changes.create]) store.put(slice);
    mirrored.add(`${ns}/${endpoints.metadata.name}`);
  }
  // Mirrored slices of Endpoints no longer mirrored (deleted, skip-mirror, Service gone or
  // given a selector) are deleted.
  for (const slice of store.list('EndpointSlice')) {
    if (slice.metadata.labels?.[LABEL_MANAGED_BY] !== MIRRORING_CONTROLLER_NAME) continue;
    const owner = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!mirrored.has(`${slice.metadata.namespace}/${owner}`))
      store.delete('EndpointSlice', slice.metadata.namespace, slice.metadata.name);
  }
}

export const endpointSliceMirroringController: Controller = {
  name: 'endpointslice-mirroring',
  reconcile: (ctx) =>
    ChangeTracker.of(ctx.store, 'endpointslice-mirroring', ['Service', 'Endpoints', 'EndpointSlice']).run(
      ctx,
      () => reconcileAllMirroredSlices(ctx),
    ),
};
