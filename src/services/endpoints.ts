// The endpoints of one Service port in one family, as kube-proxy's EndpointSliceCache builds
// them: every EndpointSlice labelled with the Service's name (the controller's, mirrored ones,
// hand-written ones alike), the slice port with the Service port's name and protocol, the first
// address of each endpoint, deduplicated by address and port, sorted by "ip:port".

import { fromMap } from '../api/labels.js';
import type { Endpoint, EndpointPort, Service, ServicePort } from '../api/types.js';
import { formatIP, type IPFamily, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';

const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** One endpoint of a Service port: an address, the resolved port and what kube-proxy reads with it. */
export interface ServiceEndpoint {
  readonly ip: string;
  readonly port: number;
  /** `ns/name` of the pod (targetRef kind Pod). */
  readonly pod?: string;
  readonly node?: string;
  readonly zone?: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly zoneHints?: ReadonlySet<string>;
  readonly nodeHints?: ReadonlySet<string>;
  /** "ip:port" ("[ip]:port" for IPv6): kube-proxy's endpoint identity and sort key. */
  readonly key: string;
}

/**
 * The slice port serving a Service port: same name (both unnamed on a single-port Service) and
 * protocol. A slice port without a number serves nothing (kube-proxy skips it).
 */
function slicePort(ports: readonly EndpointPort[] | undefined, name: string, protocol: string): number {
  for (const p of ports ?? []) {
    if ((p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol && p.port) return p.port;
  }
  return 0;
}

function hints(list: readonly { name: string }[] | undefined): ReadonlySet<string> | undefined {
  return list && list.length > 0 ? new Set(list.map((h) => h.name)) : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function toEndpoint(ep: Endpoint, ip: string, port: number): ServiceEndpoint {
  // Unset conditions read as ready and serving, not terminating (the EndpointSlice API contract).
  const c = ep.conditions;
  const out: Mutable<ServiceEndpoint> = {
    ip,
    port,
    ready: c?.ready ?? true,
    serving: c?.serving ?? true,
    terminating: c?.terminating ?? false,
    key: ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`,
  };
  const ref = ep.targetRef;
  if (ref?.kind === 'Pod' && ref.name) out.pod = `${ref.namespace}/${ref.name}`;
  if (ep.nodeName) out.node = ep.nodeName;
  if (ep.zone) out.zone = ep.zone;
  const zoneHints = hints(ep.hints?.forZones);
  if (zoneHints) out.zoneHints = zoneHints;
  const nodeHints = hints(ep.hints?.forNodes);
  if (nodeHints) out.nodeHints = nodeHints;
  return out;
}

/** The canonical text of an endpoint address of `family`, or undefined (wrong family, not an address). */
function address(text: string, family: IPFamily): string | undefined {
  if (family === 'IPv4') return text.includes(':') ? undefined : text;
  const ip = text.includes(':') ? parseIP(text) : undefined;
  return ip ? formatIP(ip) : undefined;
}

/** kube-proxy's endpoints for `port` of `service` in `family`, sorted by "ip:port". */
export function serviceEndpoints(
  store: Store,
  service: Service,
  port: ServicePort,
  family: IPFamily,
): ServiceEndpoint[] {
  const ns = service.metadata.namespace as string;
  const slices = store.select('EndpointSlice', ns, fromMap({ [LABEL_SERVICE_NAME]: service.metadata.name }));
  if (slices.length > 1) slices.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const name = port.name ?? '';
  const protocol = port.protocol ?? 'TCP';
  const byKey = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== family) continue;
    const number = slicePort(slice.ports, name, protocol);
    if (!number) continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses.length > 0 ? address(ep.addresses[0], family) : undefined;
      if (!ip) continue;
      const endpoint = toEndpoint(ep, ip, number);
      // The same address and port in two slices (mid-move between slices): the first slice by
      // name keeps it, so the answer does not depend on the order slices were written in.
      if (!byKey.has(endpoint.key)) byKey.set(endpoint.key, endpoint);
    }
  }
  const out = [...byKey.values()];
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}
