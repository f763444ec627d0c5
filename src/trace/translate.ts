// What happens to a connection to an address before it reaches an end: kube-proxy's frontends
// (cluster IPs, NodePorts, load-balancer and external IPs) with their endpoint choice and NAT,
// its verdict on a Service address it does not serve, or a hostPort forwarded by the CNI portmap
// plugin. The Service semantics are src/services/'s; this file turns their answers into hops and
// into the connection the policies then see.

import type { Protocol } from '../api/types.js';
import { cidrContains, formatIP, type IP, ipEqual, parseIP } from '../ip/index.js';
import type { Endpoint } from '../netpol/types.js';
import { routeService } from '../services/index.js';
import type { Frontend, FrontendKind, Miss, ServiceClient, ServiceRef } from '../services/types.js';
import type { TraceContext } from './context.js';
import type { Destination, Rewrite } from './deliver.js';
import { podName } from './refs.js';
import type { Hop, HostPortHop, ServiceHop, TraceVerdict, UnroutedHop } from './types.js';

/** A connection after the address translation on its way, or where it stopped. */
export interface Crossing {
  readonly hops: Hop[];
  /** Set when the connection stops before reaching any end. */
  readonly verdict?: Extract<TraceVerdict, 'no-endpoints' | 'no-route'>;
  /** The end the connection now goes to (after DNAT). */
  readonly to?: Destination;
  /** The source as the end sees it, when NAT rewrote it. */
  readonly rewrite?: Rewrite;
  /** The Service port crossed (`ns/name`, its port's name or number): an HTTP client's backend. */
  readonly service?: { readonly service: string; readonly port: string };
}

/** kube-proxy's view of a client: its address and node. */
function serviceClient(from: Endpoint, viaNode?: string): ServiceClient {
  switch (from.kind) {
    case 'pod': {
      const node = from.pod.spec.nodeName;
      return node ? { kind: 'pod', ip: from.ip, node } : { kind: 'pod', ip: from.ip };
    }
    case 'node':
      return { kind: 'node', ip: from.ip, node: from.node };
    case 'external':
      return viaNode ? { kind: 'external', ip: from.ip, node: viaNode } : { kind: 'external', ip: from.ip };
  }
}

/** The connection through one Service frontend: kube-proxy's route and the endpoint it lands on. */
export function crossFrontend(ctx: TraceContext, from: Endpoint, frontend: Frontend): Crossing {
  const route = routeService(ctx.services, ctx.store, serviceClient(from, ctx.options.viaNode), frontend);
  const dnat = route.nat.dnat;
  const chosen = dnat ? route.candidates.find((c) => c.ip === dnat.ip && c.port === dnat.port) : undefined;
  const { service } = frontend;
  const hop: ServiceHop = {
    kind: 'service',
    service: `${service.namespace}/${service.name}`,
    frontend,
    outcome: route.outcome,
    reason: route.reason,
    candidates: route.candidates,
    excluded: route.excluded,
    selection: route.selection,
    policy: route.policy,
    ...(route.node !== undefined ? { node: route.node } : {}),
    ...(route.proxiedBy !== undefined ? { proxiedBy: route.proxiedBy } : {}),
    ...(chosen ? { chosen } : {}),
    nat: route.nat,
    source: route.source,
    ...(route.sessionAffinity ? { sessionAffinity: route.sessionAffinity } : {}),
    ...(route.healthCheckNodePort !== undefined ? { healthCheckNodePort: route.healthCheckNodePort } : {}),
  };
  const crossed = { service: hop.service, port: frontend.servicePort };
  if (route.outcome !== 'forward' || !dnat) {
    // reject: the client sees "connection refused" at once; drop: it times out.
    return {
      hops: [hop],
      verdict: route.outcome === 'reject' ? 'no-endpoints' : 'no-route',
      service: crossed,
    };
  }
  const to: Destination = {
    endpoint: ctx.model.ipEndpoint(parseIP(dnat.ip) as IP),
    port: dnat.port,
    protocol: frontend.protocol,
  };
  const snat = route.nat.snat;
  if (!snat) return { hops: [hop], to, service: crossed };
  const rewrite: Rewrite = {
    seenFrom: ctx.model.ipEndpoint(parseIP(snat.to) as IP),
    by: snat.why === 'load-balancer-proxy' ? 'load-balancer' : 'kube-proxy',
    why: snat.why,
  };
  return { hops: [hop], to, rewrite, service: crossed };
}

/** Whether a hostPort bound to `hostIP` (none: every address) takes traffic to `ip`. */
function boundTo(hostIP: string | undefined, ip: IP): boolean {
  if (!hostIP || hostIP === '0.0.0.0' || hostIP === '::') return true;
  const bound = parseIP(hostIP);
  return bound !== undefined && ipEqual(bound, ip);
}

/**
 * A node address and port forwarded to a pod by hostPort: portmap DNATs traffic to the node's
 * own addresses (from outside, from pods, from the node itself) and keeps the client's address,
 * except for a pod reaching itself through its own hostPort, which it masquerades.
 */
function crossHostPort(
  ctx: TraceContext,
  from: Endpoint,
  node: string,
  ip: IP,
  port: number,
  protocol: Protocol,
): Crossing | undefined {
  const binding = ctx.hostPorts(node, port, protocol).find((b) => boundTo(b.hostIP, ip));
  if (!binding) return undefined;
  // portmap forwards within one family: a pod without an address of this one gets nothing.
  const endpoint = ctx.model.podEndpoint(binding.pod, ip.family);
  if (endpoint?.kind !== 'pod') return undefined;
  const hairpin = from.kind === 'pod' && from.pod === binding.pod;
  const shown = formatIP(ip);
  const hop: HostPortHop = {
    kind: 'host-port',
    node,
    ip: shown,
    port,
    protocol,
    pod: podName(binding.pod),
    container: binding.container,
    ...(binding.hostIP ? { hostIP: binding.hostIP } : {}),
    nat: {
      dnat: { ip: formatIP(endpoint.ip), port: binding.containerPort },
      ...(hairpin ? { snat: { to: shown, why: 'hairpin' as const } } : {}),
    },
  };
  const to: Destination = { endpoint, port: binding.containerPort, protocol };
  if (!hairpin) return { hops: [hop], to };
  const seenFrom: Endpoint = { kind: 'node', node, ip };
  return { hops: [hop], to, rewrite: { seenFrom, by: 'portmap', why: 'hairpin' } };
}

/**
 * A Service's external or load-balancer address on a port it does not serve. kube-proxy's
 * nftables rules capture only the ports served there (it rejects unknown ports on cluster IPs
 * alone), and no node holds the address, so the packet is routed on and never answered.
 */
function unservedExternal(
  ip: IP,
  port: number,
  protocol: Protocol,
  owner: ServiceRef & { kind: FrontendKind },
): Miss {
  const what = owner.kind === 'LoadBalancer' ? 'a load-balancer address' : 'an external IP';
  return {
    outcome: 'drop',
    reason: `${formatIP(ip)} is ${what} of Service ${owner.namespace}/${owner.name}, which does not serve ${port}/${protocol}: no kube-proxy rule captures it and no node holds the address, so the client times out`,
  };
}

/**
 * From outside the cluster only node addresses, load-balancer addresses, external IPs (and the
 * ingress controller behind them) are reachable: the pod and service networks are not routed
 * outside a kind-like cluster, and an address that belongs to nothing of the cluster is not
 * podnet's to answer for. Undefined when the address is reachable from outside.
 */
export function unrouted(
  ctx: TraceContext,
  from: Endpoint,
  ip: IP,
  port: number,
  protocol: Protocol,
): Crossing | undefined {
  if (from.kind !== 'external') return undefined;
  const shown = formatIP(ip);
  const frontend = ctx.services.match(ip, port, protocol);
  const owner = ctx.services.serviceAt(ip);
  const inServiceCIDR = ctx.config.serviceSubnets.some((c) => cidrContains(c, ip));
  const fix = 'use a node address with a NodePort, a LoadBalancer address, or the Ingress';
  let why: UnroutedHop['why'] | undefined;
  let reason = '';
  if (
    frontend?.kind === 'ClusterIP' ||
    (!frontend && (owner?.kind === 'ClusterIP' || (!owner && inServiceCIDR)))
  ) {
    why = 'service-network';
    reason = `${shown} is in the service network, which is not routed outside the cluster (a cluster IP exists only in kube-proxy's rules on the nodes): the packet never reaches a node, and the client times out; ${fix}`;
  } else if (!frontend && !owner) {
    const end = ctx.model.ipEndpoint(ip);
    if (end.kind === 'pod') {
      why = 'pod-network';
      reason = `${shown} is a pod address, and the pod network is not routed outside the cluster: the packet never reaches a node, and the client times out; ${fix}`;
    } else if (end.kind === 'external') {
      why = 'outside';
      reason = `${shown} is not an address of this cluster (no node, pod, Service or ingress holds it): the connection never enters the cluster, and podnet models only the cluster`;
    }
  }
  if (!why) return undefined;
  const hop: UnroutedHop = { kind: 'unrouted', ip: shown, port, protocol, why, reason };
  return { hops: [hop], verdict: 'no-route' };
}

/**
 * A connection to ip:port/protocol: through a Service frontend, refused or dropped at a Service
 * address nothing serves, forwarded by a hostPort, or straight to whatever holds the address.
 */
export function cross(ctx: TraceContext, from: Endpoint, ip: IP, port: number, protocol: Protocol): Crossing {
  const outside = unrouted(ctx, from, ip, port, protocol);
  if (outside) return outside;
  const frontend = ctx.services.match(ip, port, protocol);
  if (frontend) return crossFrontend(ctx, from, frontend);
  const owner = ctx.services.serviceAt(ip);
  const miss =
    ctx.services.miss(ip, port, protocol) ??
    (owner ? unservedExternal(ip, port, protocol, owner) : undefined);
  if (miss) {
    return {
      hops: [
        {
          kind: 'service-miss',
          ip: formatIP(ip),
          port,
          protocol,
          ...(owner ? { service: `${owner.namespace}/${owner.name}` } : {}),
          outcome: miss.outcome,
          reason: miss.reason,
        },
      ],
      verdict: 'no-route',
    };
  }
  const end = ctx.model.ipEndpoint(ip);
  if (end.kind === 'node') {
    const forwarded = crossHostPort(ctx, from, end.node, ip, port, protocol);
    if (forwarded) return forwarded;
  }
  return { hops: [], to: { endpoint: end, port, protocol } };
}
