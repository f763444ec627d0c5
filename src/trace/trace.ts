// The pure trace: one connection from FROM to TO through every layer that decides its fate, as a
// list of hops — the name lookup, the ingress controller's routing, the address translation
// (Services, hostPorts), the policies at both ends, the delivery. Each layer's semantics live in
// its own module (src/dns, src/services, src/ingress, src/netpol); this file only composes them.

import type { Protocol, Service, ServicePort } from '../api/types.js';
import { cidrContains, formatCIDR, formatIP, type IP, type IPFamily, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import type { Frontend } from '../services/types.js';
import type { TraceContext } from './context.js';
import { type Controller, findController } from './controller.js';
import { type Destination, deliver, policyHops } from './deliver.js';
import { lookupName } from './dns.js';
import { atController } from './http.js';
import { endRef } from './refs.js';
import {
  findPod,
  hostText,
  nodeEnd,
  notFound,
  numericPort,
  podEnd,
  podPort,
  resolveSource,
  usage,
} from './resolve.js';
import type { DestinationSpec, PortRequest, SourceSpec, URLSpec } from './target.js';
import { type Crossing, cross, crossFrontend, unrouted } from './translate.js';
import type { Hop, HTTPResult, Trace } from './types.js';

export interface TraceRequest {
  readonly from: SourceSpec;
  readonly to: DestinationSpec;
  /** The address family of a dual-stack cluster (default: the destination's, else the cluster's primary). */
  readonly family?: IPFamily;
  /** The address of an `external` source. */
  readonly fromIP?: IP;
}

/** What TO asks for, looked up: where the connection starts its way, in one family. */
type Plan =
  /** A pod end: the pod network delivers to it directly. */
  | { readonly kind: 'end'; readonly to: Destination }
  | { readonly kind: 'address'; readonly ip: IP; readonly port: number; readonly protocol: Protocol }
  | { readonly kind: 'frontend'; readonly frontend: Frontend }
  /** A DNS name; a port name is resolved against the pod the name leads to (headless Services). */
  | { readonly kind: 'name'; readonly name: string; readonly port: PortRequest }
  | { readonly kind: 'url'; readonly url: URLSpec };

function sameFamily(ip: IP, family: IPFamily | undefined, text: string): void {
  if (family !== undefined && family !== ip.family)
    throw usage(`TO ${JSON.stringify(text)} is an ${ip.family} address, not ${family}`);
}

function portList(svc: Service): string {
  return (svc.spec.ports ?? [])
    .map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'}`)
    .join(', ');
}

/**
 * The Service port asked for: by number or name (and protocol, if given), or the only one. A
 * number the Service does not serve is kept as a number: kube-proxy's answer on it is traced.
 */
function servicePortOf(
  svc: Service,
  request: PortRequest | undefined,
): { servicePort?: ServicePort; number: number; protocol: Protocol } {
  const ports = svc.spec.ports ?? [];
  const what = `Service ${svc.metadata.namespace}/${svc.metadata.name}`;
  const of = (p: ServicePort) => ({ servicePort: p, number: p.port, protocol: p.protocol ?? 'TCP' });
  if (request === undefined) {
    if (ports.length === 1) return of(ports[0]);
    if (ports.length === 0) throw usage(`${what} has no ports`);
    throw usage(
      `${what} has several ports, give one (svc/${svc.metadata.namespace}/${svc.metadata.name}:PORT): ${portList(svc)}`,
    );
  }
  const found = ports.find(
    (p) =>
      (typeof request.port === 'number' ? p.port === request.port : p.name === request.port) &&
      (!request.protocol || (p.protocol ?? 'TCP') === request.protocol),
  );
  if (found) return of(found);
  if (typeof request.port === 'string')
    throw usage(`${what} has no port named ${JSON.stringify(request.port)} (its ports: ${portList(svc)})`);
  return { number: request.port, protocol: request.protocol ?? 'TCP' };
}

/**
 * `svc/NS/NAME[:PORT]`: a proxied Service is reached at its cluster IP on the Service port; a
 * headless or ExternalName Service has no cluster IP and is reached through its DNS name, as
 * its clients reach it (a headless Service's pods on the target port, as its SRV records say).
 */
function servicePlan(
  ctx: TraceContext,
  spec: Extract<DestinationSpec, { kind: 'service' }>,
  family: IPFamily | undefined,
): Plan {
  const { namespace, name } = spec;
  const svc = ctx.store.get('Service', namespace, name);
  if (!svc) {
    if (!ctx.store.get('Namespace', undefined, namespace))
      throw notFound(`Error from server (NotFound): namespaces ${JSON.stringify(namespace)} not found`);
    throw notFound(`Error from server (NotFound): services ${JSON.stringify(name)} not found`);
  }
  const { servicePort, number, protocol } = servicePortOf(svc, spec.port);
  const fqdn = `${name}.${namespace}.svc.${ctx.config.clusterDomain}.`;
  if (svc.spec.type === 'ExternalName') return { kind: 'name', name: fqdn, port: { port: number, protocol } };
  if (svc.spec.clusterIP === 'None')
    return { kind: 'name', name: fqdn, port: { port: servicePort?.targetPort ?? number, protocol } };
  const clusterIPs = ctx.services.frontendsOf(namespace, name).filter((f) => f.kind === 'ClusterIP');
  const fam = family ?? clusterIPs[0]?.family;
  const ofFamily = clusterIPs.filter((f) => f.family === fam);
  if (ofFamily.length === 0) {
    const listed = (svc.spec.clusterIPs ?? []).join(', ') || 'none';
    throw usage(
      `Service ${namespace}/${name} has no ${family ? `${family} ` : ''}cluster IP (clusterIPs: ${listed})`,
    );
  }
  const portName = servicePort ? servicePort.name || String(number) : undefined;
  const frontend = ofFamily.find((f) => f.servicePort === portName && f.protocol === protocol);
  // A number the Service does not serve: what kube-proxy does with its cluster IP on that port.
  if (!frontend)
    return { kind: 'address', ip: parseIP(ofFamily[0].ip as string) as IP, port: number, protocol };
  return { kind: 'frontend', frontend };
}

/** TO looked up: the plan and the family the trace runs in. */
function plan(
  ctx: TraceContext,
  spec: DestinationSpec,
  family: IPFamily | undefined,
): { plan: Plan; family: IPFamily } {
  const primary = family ?? ctx.config.ipFamilies[0];
  switch (spec.kind) {
    case 'pod': {
      const pod = findPod(ctx.store, spec.namespace, spec.name);
      const endpoint = podEnd(ctx.model, pod, family);
      const port = podPort(pod, spec.port, `${spec.namespace}/${spec.name}`);
      // A hostNetwork pod is its node's address: NodePorts and hostPorts there apply.
      const found: Plan =
        endpoint.kind === 'node'
          ? { kind: 'address', ip: endpoint.ip, ...port }
          : { kind: 'end', to: { endpoint, ...port } };
      return { plan: found, family: endpoint.ip.family };
    }
    case 'node': {
      const end = nodeEnd(ctx.model, spec.name, family);
      return {
        plan: { kind: 'address', ip: end.ip, ...numericPort(spec.port, `node/${spec.name}`) },
        family: end.ip.family,
      };
    }
    case 'ip': {
      sameFamily(spec.ip, family, spec.text);
      const end = ctx.model.ipEndpoint(spec.ip);
      const host = hostText(spec.ip);
      const port = end.kind === 'pod' ? podPort(end.pod, spec.port, host) : numericPort(spec.port, host);
      if (end.kind === 'external' && !ctx.services.serviceAt(spec.ip)) {
        const podNet = ctx.config.podSubnets.find((c) => cidrContains(c, spec.ip));
        if (podNet)
          throw notFound(
            `no pod holds ${formatIP(spec.ip)} (in the pod network ${formatCIDR(podNet)}): nothing answers there`,
          );
      }
      return { plan: { kind: 'address', ip: spec.ip, ...port }, family: spec.ip.family };
    }
    case 'service': {
      const found = servicePlan(ctx, spec, family);
      const fam =
        found.kind === 'frontend'
          ? found.frontend.family
          : found.kind === 'address'
            ? found.ip.family
            : primary;
      return { plan: found, family: fam };
    }
    case 'name':
      return { plan: { kind: 'name', name: spec.name, port: spec.port as PortRequest }, family: primary };
    case 'url':
      if (spec.url.ip) sameFamily(spec.url.ip, family, spec.text);
      return { plan: { kind: 'url', url: spec.url }, family: spec.url.ip?.family ?? primary };
  }
}

/** After the address translation: stopped on the way, or the policies and the delivery. */
function finishLeg(ctx: TraceContext, from: Endpoint, hops: Hop[], crossing: Crossing): Trace {
  hops.push(...crossing.hops);
  if (crossing.verdict || !crossing.to)
    return { kind: 'Trace', verdict: crossing.verdict ?? 'no-route', hops };
  const delivered = deliver(ctx, from, crossing.to, crossing.rewrite);
  hops.push(...delivered.hops);
  if (!delivered.allowed) return { kind: 'Trace', verdict: 'denied', hops };
  return {
    kind: 'Trace',
    verdict: 'delivered',
    hops,
    ...(delivered.endpoint ? { endpoint: delivered.endpoint } : {}),
  };
}

/** A DNS name and a port: the lookup, then the connection to the first address. */
function traceName(
  ctx: TraceContext,
  from: Endpoint,
  hops: Hop[],
  name: string,
  port: PortRequest,
  family: IPFamily,
): Trace {
  const lookup = lookupName(ctx, from, name, family);
  hops.push(lookup.hop);
  if (!lookup.address) return { kind: 'Trace', verdict: lookup.verdict ?? 'nxdomain', hops };
  const end = ctx.model.ipEndpoint(lookup.address);
  const numbered =
    typeof port.port === 'number'
      ? { port: port.port, protocol: port.protocol ?? 'TCP' }
      : end.kind === 'pod'
        ? podPort(end.pod, port, hostText(lookup.address))
        : numericPort(port, name);
  return finishLeg(ctx, from, hops, cross(ctx, from, lookup.address, numbered.port, numbered.protocol));
}

/** Whether an Ingress of the served classes has a rule for `host` (exact or wildcard). */
function servedHost(ctx: TraceContext, host: string): boolean {
  const bare = host.endsWith('.') ? host.slice(0, -1) : host;
  return ctx.ingress.hosts.some((h) => {
    if (!h.startsWith('*.')) return h === bare;
    const dot = bare.indexOf('.');
    return dot > 0 && bare.slice(dot + 1) === h.slice(2);
  });
}

function controllerFor(ctx: TraceContext, family: IPFamily): Controller | undefined {
  return ctx.memo(`ingress-controller/${family}`, () => findController(ctx, family));
}

/**
 * A URL. From outside, a host that is a name is taken to resolve to the ingress controller (as
 * public DNS for an Ingress host points there); from a pod or node the name is looked up in the
 * cluster DNS and connected to directly. An address host is connected to as is. A connection
 * that arrives at the controller's listener is routed by the Ingress rules.
 */
function traceURL(ctx: TraceContext, from: Endpoint, hops: Hop[], url: URLSpec, family: IPFamily): Trace {
  const answer = (verdict: Trace['verdict'], http: HTTPResult, endpoint?: Trace['endpoint']): Trace => ({
    kind: 'Trace',
    verdict,
    hops,
    ...(endpoint ? { endpoint } : {}),
    http,
  });
  let via: 'name' | 'address' = 'address';
  let crossing: Crossing;
  if (url.ip) crossing = cross(ctx, from, url.ip, url.port, 'TCP');
  else if (from.kind === 'external') {
    const controller = controllerFor(ctx, family);
    if (!controller) throw notFound(`no node has an ${family} address to run the ingress controller on`);
    via = 'name';
    crossing = cross(ctx, from, controller.address, url.port, 'TCP');
  } else {
    const lookup = lookupName(ctx, from, url.host, family);
    const hint =
      lookup.verdict === 'refused' && servedHost(ctx, url.host)
        ? `${url.host} is a host of an Ingress this controller serves: trace external ${url.scheme}://${url.host}${url.path} to follow it through the Ingress`
        : undefined;
    hops.push(hint ? { ...lookup.hop, hint } : lookup.hop);
    if (!lookup.address) return answer(lookup.verdict ?? 'nxdomain', {});
    crossing = cross(ctx, from, lookup.address, url.port, 'TCP');
  }
  hops.push(...crossing.hops);
  const backend = crossing.service ? { backend: crossing.service } : {};
  if (crossing.verdict || !crossing.to) return answer(crossing.verdict ?? 'no-route', backend);

  const controller = controllerFor(ctx, family);
  if (controller?.serves(crossing.to)) {
    // Policies apply to the connection into a controller pod, not into a node's process.
    if (controller.ref.mode === 'pod') {
      const [egress, ingress] = policyHops(ctx, from, crossing.to, crossing.rewrite);
      hops.push(egress, ingress);
      if (!egress.allowed || !ingress.allowed) return answer('denied', {});
    }
    const answered = atController(ctx, controller, crossing.to, url, via, family);
    hops.push(...answered.hops);
    return answer(answered.verdict, answered.http, answered.endpoint);
  }
  const delivered = deliver(ctx, from, crossing.to, crossing.rewrite);
  hops.push(...delivered.hops);
  if (!delivered.allowed) return answer('denied', backend);
  // The backend answers when something is known to listen; otherwise what comes back is unknown.
  return answer(
    'delivered',
    { ...(delivered.declared ? { status: 200 } : {}), ...backend },
    delivered.endpoint,
  );
}

/**
 * Traces one connection. TO decides the family unless one is given (a pod's primary address, an
 * address's own; names, URLs and Services the cluster's primary family), and FROM uses its
 * address of that family.
 */
export function trace(ctx: TraceContext, request: TraceRequest): Trace {
  const via = ctx.options.viaNode;
  if (via !== undefined) {
    if (request.from.kind !== 'external')
      throw usage(`--via-node names the node an outside client's packet arrives at: it needs FROM external`);
    if (!ctx.store.get('Node', undefined, via))
      throw notFound(`Error from server (NotFound): nodes ${JSON.stringify(via)} not found`);
  }
  const { plan: p, family } = plan(ctx, request.to, request.family);
  const from = resolveSource(ctx.model, ctx.config, request.from, family, request.fromIP);
  const hops: Hop[] = [{ kind: 'source', endpoint: endRef(from) }];
  switch (p.kind) {
    case 'end':
      return finishLeg(
        ctx,
        from,
        hops,
        unrouted(ctx, from, p.to.endpoint.ip, p.to.port, p.to.protocol) ?? { hops: [], to: p.to },
      );
    case 'address':
      return finishLeg(ctx, from, hops, cross(ctx, from, p.ip, p.port, p.protocol));
    case 'frontend': {
      const f = p.frontend;
      const ip = parseIP(f.ip as string) as IP;
      const outside = unrouted(ctx, from, ip, f.port, f.protocol);
      return finishLeg(ctx, from, hops, outside ?? crossFrontend(ctx, from, f));
    }
    case 'name':
      return traceName(ctx, from, hops, p.name, p.port, family);
    case 'url':
      return traceURL(ctx, from, hops, p.url, family);
  }
}
