// The records of Services, from the Service objects and their EndpointSlices, as the Kubernetes
// DNS specification (kubernetes/dns docs/specification.md, section 2) lays them out and as
// CoreDNS's kubernetes plugin serves them (plugin/kubernetes kubernetes.go findServices and
// reverse.go, plugin/backend_lookup.go SRV).

import type { EndpointSlice, Service } from '../api/types.js';
import { formatIP, type IP, parseIP } from '../ip/index.js';
import { dashed, normalizeName } from './names.js';
import { NO_PORT, type SrvEntry, srvSet } from './srv.js';
import type { ResourceRecord } from './types.js';
import type { ZoneIndex } from './zone-index.js';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export interface RecordContext {
  readonly index: ZoneIndex;
  /** The cluster domain, normalised: `cluster.local.`. */
  readonly domain: string;
  readonly ttl: number;
}

/** `<service>.<ns>.svc.<zone>.` */
export function serviceName(svc: Service, domain: string): string {
  return `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`;
}

export function isHeadless(svc: Service): boolean {
  return svc.spec.clusterIP === 'None' || svc.spec.clusterIPs?.[0] === 'None';
}

/** The cluster IPs of a Service that has them (all families, primary first). */
export function clusterIPsOf(svc: Service): IP[] {
  if (svc.spec.type === 'ExternalName' || isHeadless(svc)) return [];
  const texts = svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : []);
  const ips: IP[] = [];
  for (const text of texts) {
    const ip = parseIP(text);
    if (ip) ips.push(ip);
  }
  return ips;
}

function addressRecord(name: string, ttl: number, ip: IP, address = formatIP(ip)): ResourceRecord {
  return { name, ttl, data: ip.family === 'IPv4' ? { type: 'A', address } : { type: 'AAAA', address } };
}

/** Sets the SRV RRset of an owner, if the entries give one. */
function addSRV(ctx: RecordContext, owner: string, entries: readonly SrvEntry[]): void {
  const set = srvSet(owner, ctx.ttl, entries);
  if (!set) return;
  const node = ctx.index.node(owner);
  node.srv = set.records;
  node.additional = set.additional;
}

/**
 * Creates `_<port>._<proto>.<service>` and the empty non-terminal `_<proto>.<service>` above it;
 * returns the owner name. A slice port without protocol is TCP, the API's default.
 */
function addPortName(
  ctx: RecordContext,
  port: string,
  protocol: string | undefined,
  service: string,
): string {
  const proto = `_${(protocol ?? 'TCP').toLowerCase()}.${service}`;
  ctx.index.node(proto);
  const owner = `_${port.toLowerCase()}.${proto}`;
  ctx.index.node(owner);
  return owner;
}

/** 2.3.3 PTR for every cluster IP; the first Service (in name order) wins an address twice given. */
function addClusterIPPointers(ctx: RecordContext, services: readonly Service[], claimed: Set<string>): void {
  for (const svc of services) {
    const target = serviceName(svc, ctx.domain);
    for (const ip of clusterIPsOf(svc)) {
      const address = formatIP(ip);
      if (claimed.has(address)) continue;
      claimed.add(address);
      ctx.index.addPointer(address, target);
    }
  }
}

/**
 * 2.3.1 A/AAAA for every cluster IP, 2.3.2 SRV for every named port, and — as CoreDNS answers
 * it — SRV at the Service name itself for every port, named or not.
 */
function addClusterIPService(ctx: RecordContext, svc: Service, name: string): void {
  // The name exists even if the data lacks IPs (an export caught mid-allocation): NOERROR, no data.
  const node = ctx.index.node(name);
  const addresses: ResourceRecord[] = [];
  for (const ip of clusterIPsOf(svc)) {
    const text = formatIP(ip);
    if (node.findAddress(ip.family === 'IPv4' ? 'A' : 'AAAA', text)) continue;
    const rr = addressRecord(name, ctx.ttl, ip, text);
    node.add(rr);
    addresses.push(rr);
  }
  const all: SrvEntry[] = [];
  for (const p of svc.spec.ports ?? []) {
    const entries = addresses.map((address) => ({ target: name, port: p.port, address }));
    all.push(...entries);
    if (!p.name) continue;
    const owner = addPortName(ctx, p.name, p.protocol, name);
    addSRV(ctx, owner, entries);
  }
  addSRV(ctx, name, all);
}

/** 2.5: a CNAME to the external name. CoreDNS serves nothing for an IP address there. */
function addExternalName(ctx: RecordContext, svc: Service, name: string): void {
  const external = svc.spec.externalName;
  if (!external || parseIP(external.replace(/\.$/, ''))) return;
  ctx.index.add({ name, ttl: ctx.ttl, data: { type: 'CNAME', target: normalizeName(external) } });
}

/**
 * The endpoint records of one Service (CoreDNS: "endpoint query or headless service").
 *
 * Every ready address (the EndpointSlice `ready` condition; unset counts as ready, and the
 * EndpointSlice controller already sets it for `publishNotReadyAddresses`) gets a name under
 * the Service: the endpoint's `hostname`, else its dashed address. Each such name has A/AAAA,
 * SRV for the slice's ports, and the address a PTR back to it (2.4.3; CoreDNS gives every ready
 * endpoint one, not only those with a hostname). A headless Service also gets 2.4.1 A/AAAA with
 * every ready address and 2.4.2 SRV with one record per endpoint and port; the ports are the
 * slice's (the resolved target ports), as CoreDNS reads them.
 */
function addEndpoints(
  ctx: RecordContext,
  name: string,
  headless: boolean,
  slices: readonly EndpointSlice[],
  claimed: ReadonlySet<string>,
): void {
  const { index, ttl } = ctx;
  // Only a headless Service answers with its endpoints at its own name and its port names.
  const all: SrvEntry[] = [];
  const byPort = new Map<string, SrvEntry[]>();
  const serviceAddresses = new Set<string>();

  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    // A slice without ports still lists its endpoints: CoreDNS's port -1 stands in for them.
    const ports = slice.ports && slice.ports.length > 0 ? slice.ports : [undefined];
    const owners = headless
      ? ports.map((p) => (p?.name ? addPortName(ctx, p.name, p.protocol, name) : undefined))
      : [];
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      for (const given of ep.addresses) {
        const ip = parseIP(given);
        if (!ip) continue;
        // A valid IPv4 text has one spelling; IPv6 text is made canonical (RFC 5952).
        const text = ip.family === 'IPv4' ? given : formatIP(ip);
        const target = `${ep.hostname || dashed(text)}.${name}`;
        const node = index.node(target);
        const type = ip.family === 'IPv4' ? 'A' : 'AAAA';
        let address = node.findAddress(type, text);
        if (!address) {
          address = addressRecord(target, ttl, ip, text);
          node.addEndpoint(address, slice.ports);
        }
        if (!claimed.has(text)) index.addPointer(text, target);
        if (!headless) continue;
        if (!serviceAddresses.has(text)) {
          serviceAddresses.add(text);
          index.node(name).add({ name, ttl, data: address.data });
        }
        for (let i = 0; i < ports.length; i++) {
          const entry = { target, port: ports[i]?.port ?? NO_PORT, address };
          all.push(entry);
          const owner = owners[i];
          if (!owner) continue;
          const list = byPort.get(owner);
          if (list) list.push(entry);
          else byPort.set(owner, [entry]);
        }
      }
    }
  }
  if (!headless) return;
  addSRV(ctx, name, all);
  for (const [owner, entries] of byPort) addSRV(ctx, owner, entries);
}

/**
 * All Service records. `services` in a stable order (namespace, name); `slices` by
 * `<namespace>/<service>` from the `kubernetes.io/service-name` label.
 */
export function addServiceRecords(
  ctx: RecordContext,
  services: readonly Service[],
  slices: ReadonlyMap<string, readonly EndpointSlice[]>,
): void {
  // CoreDNS answers a reverse question from the Service index before the endpoint index:
  // an address that is a cluster IP points at its Service only.
  const claimed = new Set<string>();
  addClusterIPPointers(ctx, services, claimed);
  for (const svc of services) {
    const name = serviceName(svc, ctx.domain);
    if (svc.spec.type === 'ExternalName') {
      addExternalName(ctx, svc, name);
      continue;
    }
    const headless = isHeadless(svc);
    if (!headless) addClusterIPService(ctx, svc, name);
    const own = slices.get(`${svc.metadata.namespace}/${svc.metadata.name}`);
    if (own) addEndpoints(ctx, name, headless, own, claimed);
  }
}
