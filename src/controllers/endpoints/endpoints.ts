// The legacy Endpoints controller (pkg/controller/endpoint): for every Service with a selector
// (not ExternalName), one v1 Endpoints object of the Service's name. It is single-family (the
// Service's first IP family); terminating pods are left out unless the Service publishes
// not-ready addresses; a named targetPort that does not resolve on a pod leaves that pod out of
// that port only. Addresses are packed as RepackSubsets packs them: addresses offering the same
// ports share a subset, ready ones in `addresses`, others in `notReadyAddresses`. Past 1000
// addresses the object is truncated and annotated `endpoints.kubernetes.io/over-capacity`.
// Endpoints whose Service no longer exists are deleted, as the controller does at start.

import { fromMap } from '../../api/labels.js';
import { isPodReady, podIPs } from '../../api/pod.js';
import { isServiceIPSet } from '../../api/service.js';
import type { EndpointAddress, EndpointSubset, Endpoints, Pod, Service } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { findPort } from '../services/service-ports.js';
import { type EndpointsPort, portKey, SubsetPacker, truncateSubsets } from './endpoints-subsets.js';
import {
  familyMatches,
  hasManagedEndpoints,
  LABEL_HEADLESS,
  podUID,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './endpointslice-objects.js';

export const ANNOTATION_OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';
const ANNOTATION_LEADER = 'control-plane.alpha.kubernetes.io/leader';

/** The address of `pod` in the Service's family (spec.ipFamilies[0]), if it has one. */
function endpointAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  const family = service.spec.ipFamilies?.[0] ?? (service.spec.clusterIP?.includes(':') ? 'IPv6' : 'IPv4');
  const ip = podIPs(pod).find((a) => familyMatches(a, family));
  if (ip === undefined) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, service)) addr.hostname = pod.spec.hostname;
  addr.nodeName = pod.spec.nodeName;
  addr.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: podUID(pod),
  };
  return addr;
}

/**
 * The subsets of a Service's Endpoints (syncService): every (address, port) a selected pod
 * offers, packed as RepackSubsets packs them.
 */
export function computeSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const tolerateUnready = service.spec.publishNotReadyAddresses === true;
  const servicePorts = service.spec.ports ?? [];
  const portless = servicePorts.length === 0 && service.spec.clusterIP === 'None';
  const packer = new SubsetPacker();
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = endpointAddress(service, pod);
    if (!addr) continue;
    const ready = tolerateUnready || isPodReady(pod);
    if (portless) packer.add(undefined, addr, ready);
    for (const sp of servicePorts) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      const port: EndpointsPort = { name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol !== undefined) port.appProtocol = sp.appProtocol;
      packer.add(port, addr, ready);
    }
  }
  return packer.subsets();
}

/** The Endpoints object the controller writes for `service`, updating `current` if given. */
export function desiredEndpoints(
  service: Service,
  pods: readonly Pod[],
  current: Endpoints | undefined,
): Endpoints {
  const subsets = computeSubsets(service, pods);
  const truncated = truncateSubsets(subsets);
  const next: Endpoints = current
    ? structuredClone({ ...current, subsets: undefined })
    : {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: service.metadata.name, namespace: service.metadata.namespace },
      };
  const labels: Record<string, string> = { ...service.metadata.labels };
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS] = '';
  else delete labels[LABEL_HEADLESS];
  if (Object.keys(labels).length > 0) next.metadata.labels = labels;
  else delete next.metadata.labels;
  const annotations: Record<string, string> = { ...next.metadata.annotations };
  if (truncated) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
  else delete annotations[ANNOTATION_OVER_CAPACITY];
  if (Object.keys(annotations).length > 0) next.metadata.annotations = annotations;
  else delete next.metadata.annotations;
  if (subsets.length > 0) next.subsets = subsets;
  else delete next.subsets;
  return next;
}

function sameMap(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => (a as Record<string, string>)[k] === b?.[k]);
}

function sameAddresses(a: EndpointAddress[] | undefined, b: EndpointAddress[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((x, i) => {
    const y = (b as EndpointAddress[])[i];
    const tx = x.targetRef;
    const ty = y.targetRef;
    return (
      x.ip === y.ip &&
      x.hostname === y.hostname &&
      x.nodeName === y.nodeName &&
      tx?.kind === ty?.kind &&
      tx?.namespace === ty?.namespace &&
      tx?.name === ty?.name &&
      tx?.uid === ty?.uid
    );
  });
}

function sameSubsets(a: EndpointSubset[] | undefined, b: EndpointSubset[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((x, i) => {
    const y = (b as EndpointSubset[])[i];
    const px = x.ports ?? [];
    const py = y.ports ?? [];
    return (
      px.length === py.length &&
      px.every((p, j) => portKey(p) === portKey(py[j])) &&
      sameAddresses(x.addresses, y.addresses) &&
      sameAddresses(x.notReadyAddresses, y.notReadyAddresses)
    );
  });
}

export function reconcileAllEndpoints(ctx: ControllerContext): void {
  const { store } = ctx;
  for (const service of store.list('Service')) {
    if (!hasManagedEndpoints(service)) continue;
    const ns = service.metadata.namespace as string;
    const pods = store.select('Pod', ns, fromMap(service.spec.selector as Record<string, string>));
    const current = store.get('Endpoints', ns, service.metadata.name);
    const next = desiredEndpoints(service, pods, current);
    if (
      current &&
      sameSubsets(current.subsets, next.subsets) &&
      sameMap(current.metadata.labels, next.metadata.labels) &&
      sameMap(current.metadata.annotations, next.metadata.annotations)
    ) {
      continue;
    }
    store.put(next);
  }
  for (const ep of store.list('Endpoints')) {
    if (ep.metadata.annotations?.[ANNOTATION_LEADER] !== undefined) continue;
    if (store.has('Service', ep.metadata.namespace, ep.metadata.name)) continue;
    ctx.warn(
      ep,
      undefined,
      'deleted: no Service of this name exists (the endpoints controller removes leftover Endpoints)',
    );
    store.delete('Endpoints', ep.metadata.namespace, ep.metadata.name);
  }
}

export const endpointsController: Controller = {
  name: 'endpoints',
  reconcile: (ctx) =>
    ChangeTracker.of(ctx.store, 'endpoints', ['Service', 'Pod', 'Endpoints']).run(ctx, () =>
      reconcileAllEndpoints(ctx),
    ),
};
