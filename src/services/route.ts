// One client, one frontend: what kube-proxy (nftables mode) on the node handling the packet does
// with it, following its sync loop (pkg/proxy/nftables/proxier.go syncProxyRules): the
// loadBalancerSourceRanges firewall, reject when the Service port has no usable endpoint at all,
// the internal or external traffic policy with its short-circuits and drops, the endpoint set
// (CategorizeEndpoints), and the masquerade rules.

import type { Service, ServicePort } from '../api/types.js';
import { cidrContains, formatIP, type IP, parseIP } from '../ip/index.js';
import type { Store } from '../store/store.js';
import { chooseEndpoint, sessionAffinity } from './affinity.js';
import { type ServiceEndpoint, serviceEndpoints } from './endpoints.js';
import { externalPolicyLocal, healthCheckNodePort, internalPolicyLocal, sourceRanges } from './policy.js';
import * as say from './reasons.js';
import { type Categorized, clusterEndpoints, hasUsableEndpoints, localEndpoints } from './topology.js';
import type {
  EndpointCandidate,
  Frontend,
  NAT,
  ServiceClient,
  ServiceRoute,
  ServiceTable,
  SNATReason,
} from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function candidate(ep: ServiceEndpoint, weight: number): EndpointCandidate {
  // Assigned, not spread: this runs once per endpoint per route, on large Services too.
  const c: Mutable<EndpointCandidate> = { ip: ep.ip, port: ep.port } as Mutable<EndpointCandidate>;
  if (ep.pod !== undefined) c.pod = ep.pod;
  if (ep.node !== undefined) c.node = ep.node;
  if (ep.zone !== undefined) c.zone = ep.zone;
  c.ready = ep.ready;
  c.serving = ep.serving;
  c.terminating = ep.terminating;
  c.weight = weight;
  return c;
}

function servicePortOf(service: Service, frontend: Frontend): ServicePort | undefined {
  return service.spec.ports?.find(
    (p) => (p.name || String(p.port)) === frontend.servicePort && (p.protocol ?? 'TCP') === frontend.protocol,
  );
}

/**
 * The node that receives an outside client's packet when the caller did not say: under a Local
 * external policy, the first node by name with a usable local endpoint (load balancers send only
 * to nodes passing the healthCheckNodePort probe); otherwise the first node by name.
 */
function defaultReceiver(
  table: ServiceTable,
  endpoints: readonly ServiceEndpoint[],
  local: boolean,
): string | undefined {
  if (local) {
    for (const name of table.nodeNames()) if (localEndpoints(endpoints, name).chosen.length > 0) return name;
  }
  return table.nodeNames()[0];
}

/** Everything the decision depends on, resolved once. */
export interface Situation {
  readonly table: ServiceTable;
  readonly service: Service;
  readonly frontend: Frontend;
  readonly external: boolean;
  readonly local: boolean;
  readonly endpoints: readonly ServiceEndpoint[];
  /** Where kube-proxy handles the packet, and whether that was assumed rather than given. */
  readonly node: string | undefined;
  readonly assumedNode: boolean;
  /** The source kube-proxy sees (the load balancer's, behind an ipMode Proxy one). */
  readonly source: IP;
  readonly proxiedBy?: string;
  /** kube-proxy's local-traffic detector: the source is in the cluster's pod CIDRs. */
  readonly fromPod: boolean;
  /** `fib saddr type local`: the node's own traffic. */
  readonly fromNodeItself: boolean;
}

function situate(
  table: ServiceTable,
  store: Store,
  service: Service,
  port: ServicePort,
  client: ServiceClient,
  frontend: Frontend,
): Situation {
  const external = frontend.kind !== 'ClusterIP';
  const local = external ? externalPolicyLocal(service) : internalPolicyLocal(service);
  const endpoints = serviceEndpoints(store, service, port, frontend.family);
  // An ipMode Proxy load balancer terminates the connection and opens its own to a node: the
  // client's node plays no part, and kube-proxy sees the balancer as an outside client.
  const proxiedBy = frontend.kind === 'LoadBalancer' && frontend.ipMode === 'Proxy' ? frontend.ip : undefined;
  const outside = client.kind === 'external' || proxiedBy !== undefined;
  let node =
    frontend.node ?? (outside ? (client.kind === 'external' ? client.node : undefined) : client.node);
  const assumedNode = node === undefined && outside;
  if (assumedNode) node = defaultReceiver(table, endpoints, external && local);
  const source = proxiedBy !== undefined ? (parseIP(proxiedBy) as IP) : client.ip;
  return {
    table,
    service,
    frontend,
    external,
    local,
    endpoints,
    node,
    assumedNode,
    source,
    ...(proxiedBy !== undefined ? { proxiedBy } : {}),
    fromPod: proxiedBy === undefined && table.config.podSubnets.some((c) => cidrContains(c, client.ip)),
    fromNodeItself: proxiedBy === undefined && client.kind === 'node' && client.node === node,
  };
}

/** Source NAT to the handling node's address of the frontend's family (masquerade picks it). */
function masquerade(s: Situation, why: SNATReason): NAT['snat'] {
  const to = s.node !== undefined ? s.table.node(s.node)?.addresses[s.frontend.family] : undefined;
  return to !== undefined ? { to, why } : undefined;
}

export interface Decision {
  readonly picked: Categorized;
  readonly snat?: NAT['snat'];
  readonly shortCircuit?: 'pod' | 'node';
  /** Set when the packet is dropped for want of a local endpoint. */
  readonly drop?: boolean;
}

/** The traffic policy's endpoint set, with the masquerade that goes with the path taken. */
function decide(s: Situation): Decision {
  const node = s.node ?? '';
  const zone = (s.node !== undefined ? s.table.node(s.node)?.zone : undefined) ?? '';
  const cluster = () => clusterEndpoints(s.endpoints, node, zone);
  if (!s.external) {
    const picked = s.local ? localEndpoints(s.endpoints, node) : cluster();
    // "Masquerade off-cluster traffic to a service VIP": the endpoint may answer through another node.
    const snat = s.fromPod ? undefined : masquerade(s, 'off-cluster-source');
    return { picked, ...(snat ? { snat } : {}), drop: picked.chosen.length === 0 };
  }
  if (!s.local) return { picked: cluster(), snat: masquerade(s, 'masquerade-external-cluster') };
  // Local external policy: pods and the node itself are sent to the cluster-wide endpoints, as if
  // they had gone out to the load balancer and come back in; the node's traffic is masqueraded.
  if (s.fromPod) return { picked: cluster(), shortCircuit: 'pod' };
  if (s.fromNodeItself)
    return { picked: cluster(), shortCircuit: 'node', snat: masquerade(s, 'masquerade-node-local') };
  const picked = localEndpoints(s.endpoints, node);
  const snat =
    s.proxiedBy !== undefined ? { to: s.proxiedBy, why: 'load-balancer-proxy' as const } : undefined;
  return { picked, ...(snat ? { snat } : {}), drop: picked.chosen.length === 0 };
}

/** A route that forwards nothing: the Service or its port is gone, or nothing may serve it. */
function stopped(
  s: Pick<Situation, 'frontend' | 'source'> & Partial<Situation>,
  outcome: 'reject' | 'drop',
  reason: string,
  excluded: readonly ServiceEndpoint[] = [],
): ServiceRoute {
  return base(s, {
    outcome,
    reason,
    candidates: [],
    excluded: excluded.map((ep) => ({ endpoint: candidate(ep, 0), why: 'not-serving' as const })),
    selection: 'none',
    nat: {},
    source: formatIP(s.source),
  });
}

type RouteCore = Pick<
  ServiceRoute,
  'outcome' | 'reason' | 'candidates' | 'excluded' | 'selection' | 'nat' | 'source'
>;

function base(
  s: Pick<Situation, 'frontend'> & Partial<Situation>,
  core: RouteCore,
  decision?: Decision,
): ServiceRoute {
  const affinity = s.service ? sessionAffinity(s.service) : undefined;
  const hc = s.service && s.external ? healthCheckNodePort(s.service) : undefined;
  return {
    frontend: s.frontend,
    ...core,
    policy: {
      field: s.frontend.kind === 'ClusterIP' ? 'internalTrafficPolicy' : 'externalTrafficPolicy',
      value: s.local ? 'Local' : 'Cluster',
      ...(decision?.shortCircuit ? { shortCircuit: decision.shortCircuit } : {}),
    },
    ...(s.node !== undefined ? { node: s.node } : {}),
    ...(s.proxiedBy !== undefined ? { proxiedBy: s.proxiedBy } : {}),
    ...(affinity ? { sessionAffinity: affinity } : {}),
    ...(hc !== undefined ? { healthCheckNodePort: hc } : {}),
  };
}

/**
 * What kube-proxy does with `client`'s connection to `frontend`: forward to one of the
 * candidates (uniformly at random; chooseEndpoint is the one a trace shows, and `nat` is the
 * NAT on the way to it), reject it, or drop it, with the reason in words.
 */
export function routeService(
  table: ServiceTable,
  store: Store,
  client: ServiceClient,
  frontend: Frontend,
): ServiceRoute {
  const service = store.get('Service', frontend.service.namespace, frontend.service.name);
  const port = service ? servicePortOf(service, frontend) : undefined;
  if (!service || !port) return stopped({ frontend, source: client.ip }, 'reject', say.missingPort(frontend));
  const s = situate(table, store, service, port, client, frontend);

  const ranges =
    frontend.kind === 'LoadBalancer' && !s.proxiedBy ? sourceRanges(service, frontend.family) : [];
  if (ranges.length > 0 && !ranges.some((c) => cidrContains(c, s.source)))
    return stopped(
      s,
      'drop',
      say.outsideSourceRanges(s.frontend, s.source, service.spec.loadBalancerSourceRanges ?? []),
    );
  if (!hasUsableEndpoints(s.endpoints))
    return stopped(s, 'reject', say.noEndpoints(s.frontend, s.endpoints), s.endpoints);

  const decision = decide(s);
  const { picked } = decision;
  const excluded = picked.excluded.map(({ endpoint, why }) => ({ endpoint: candidate(endpoint, 0), why }));
  if (decision.drop) {
    const core = { outcome: 'drop' as const, candidates: [], excluded, selection: 'none' as const, nat: {} };
    return base(s, { ...core, reason: say.noLocalEndpoint(s, picked), source: formatIP(s.source) }, decision);
  }
  const weight = 1 / picked.chosen.length;
  const candidates = picked.chosen.map((ep) => candidate(ep, weight));
  const draft = base(
    s,
    {
      outcome: 'forward',
      reason: '',
      candidates,
      excluded,
      selection: picked.selection,
      nat: {},
      source: '',
    },
    decision,
  );
  const chosen = chooseEndpoint(draft, client) as EndpointCandidate;
  // "Handle traffic that loops back to the originator with SNAT": a source that is the endpoint.
  const snat = decision.snat ?? (chosen.ip === formatIP(s.source) ? masquerade(s, 'hairpin') : undefined);
  const nat: NAT = { dnat: { ip: chosen.ip, port: chosen.port }, ...(snat ? { snat } : {}) };
  const source = snat?.to ?? formatIP(s.source);
  return { ...draft, nat, source, reason: say.forwarded(s, decision, picked, nat, client) };
}
