// The sentences a route carries: what kube-proxy decided, in the words of the fields a user set,
// including the one that surprises most (a NodePort or LoadBalancer with
// externalTrafficPolicy Cluster hides the client's address from the endpoint and its policies).

import type { Service } from '../api/types.js';
import { formatIP, type IP } from '../ip/index.js';
import type { ServiceEndpoint } from './endpoints.js';
import type { Decision, Situation } from './route.js';
import type { Categorized } from './topology.js';
import type { Frontend, NAT, ServiceClient } from './types.js';

const REJECTED =
  'kube-proxy rejects the connection (ICMP port unreachable: the client sees "connection refused")';

const serviceName = (f: Frontend) => `Service ${f.service.namespace}/${f.service.name}`;
const portName = (f: Frontend) => `port ${f.servicePort}/${f.protocol}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const onNode = (node: string | undefined) => (node !== undefined ? `node ${node}` : 'the receiving node');

export function missingPort(f: Frontend): string {
  return `${serviceName(f)} has no ${portName(f)}: there is nothing to forward to`;
}

export function outsideSourceRanges(f: Frontend, source: IP, ranges: readonly string[]): string {
  return (
    `the source ${formatIP(source)} is outside the loadBalancerSourceRanges of ${serviceName(f)} ` +
    `(${ranges.map((r) => r.trim()).join(', ')}): kube-proxy drops the packet`
  );
}

export function noEndpoints(f: Frontend, endpoints: readonly ServiceEndpoint[]): string {
  if (endpoints.length === 0)
    return `${serviceName(f)} has no ${f.family} endpoint for ${portName(f)}: ${REJECTED}`;
  return `none of the ${plural(endpoints.length, 'endpoint')} of ${serviceName(f)} for ${portName(f)} is ready or serving: ${REJECTED}`;
}

export function noLocalEndpoint(s: Situation, picked: Categorized): string {
  const elsewhere = picked.excluded.filter((e) => e.why === 'not-local').length;
  const others = elsewhere > 0 ? ` (${elsewhere} on other nodes)` : '';
  const where = onNode(s.node);
  if (!s.external) {
    return (
      `internalTrafficPolicy is Local and ${serviceName(s.frontend)} has no usable endpoint on ${where}${others}: ` +
      'kube-proxy drops the packet, and the client times out'
    );
  }
  const hc = s.frontend.kind === 'LoadBalancer' ? healthCheckNote(s.service) : '';
  return (
    `${arrival(s)}externalTrafficPolicy is Local and ${where} has no usable endpoint of ${serviceName(s.frontend)}${others}: ` +
    `kube-proxy drops the packet${hc}`
  );
}

function healthCheckNote(service: Service): string {
  const hc = service.spec.healthCheckNodePort;
  return hc ? `; load balancers probe healthCheckNodePort ${hc} and send nothing to such a node` : '';
}

/** Where the packet met kube-proxy, when that is not simply the client's own node. */
function arrival(s: Situation): string {
  const via =
    s.proxiedBy !== undefined
      ? `the load balancer ${s.proxiedBy} (ipMode Proxy) relays the connection from its own address, kube-proxy does not capture that address; `
      : '';
  if (!s.assumedNode) return via;
  // Whatever delivers an outside packet (a load balancer, a router) picks the node; for a Local
  // policy its health checks steer to nodes with a local endpoint, which is what routeService took.
  return `${via}the packet is taken to arrive at node ${s.node ?? '(none)'} (not given: podnet takes a node with a local endpoint, as the load balancer's health checks steer externalTrafficPolicy Local traffic there, else the first node); `;
}

function hintSource(service: Service): string {
  const td = service.spec.trafficDistribution;
  if (td) return `trafficDistribution ${td}`;
  const mode = service.metadata.annotations?.['service.kubernetes.io/topology-mode'];
  return mode ? `topology-mode ${mode}` : 'EndpointSlice hints';
}

function selection(s: Situation, picked: Categorized): string {
  const n = picked.chosen.length;
  const where = onNode(s.node);
  const field = s.external ? 'externalTrafficPolicy' : 'internalTrafficPolicy';
  const zone = s.node !== undefined ? s.table.node(s.node)?.zone : undefined;
  switch (picked.selection) {
    case 'same-zone':
      return `${plural(n, 'ready endpoint')} hinted for zone ${zone} (${hintSource(s.service)})`;
    case 'same-node':
      return `${plural(n, 'ready endpoint')} hinted for ${where} (${hintSource(s.service)})`;
    case 'serving-terminating':
      return `no endpoint is ready, so kube-proxy falls back to ${plural(n, 'serving, terminating endpoint')}`;
    case 'local':
      return `${plural(n, 'ready endpoint')} on ${where} (${field} Local)`;
    case 'local-serving-terminating':
      return `no endpoint on ${where} is ready (${field} Local), so kube-proxy falls back to ${plural(n, 'serving, terminating endpoint')} there`;
    default:
      return plural(n, 'ready endpoint');
  }
}

function natSentence(s: Situation, d: Decision, nat: NAT, client: ServiceClient): string {
  const from = formatIP(client.ip);
  const snat = nat.snat;
  if (!snat) {
    if (s.external && s.local && !d.shortCircuit)
      return `the client address ${from} is preserved (externalTrafficPolicy Local), so NetworkPolicies at the endpoint see ${from}`;
    return '';
  }
  const node = onNode(s.node);
  switch (snat.why) {
    case 'masquerade-external-cluster':
      return (
        `source NAT to ${node}'s address ${snat.to} (externalTrafficPolicy Cluster): the endpoint, and ` +
        `NetworkPolicies there, see ${snat.to}, not the client's ${s.proxiedBy ?? from}`
      );
    case 'masquerade-node-local':
      return `source NAT to ${node}'s address ${snat.to}: kube-proxy masquerades the node's own traffic to an external address of a Local Service`;
    case 'off-cluster-source':
      return `source NAT to ${node}'s address ${snat.to}: ${from} is outside the pod network, and kube-proxy masquerades such traffic to a cluster IP`;
    case 'hairpin':
      return `the chosen endpoint is the client itself: kube-proxy masquerades this hairpin connection to ${node}'s address ${snat.to}`;
    case 'load-balancer-proxy':
      return `the endpoint, and NetworkPolicies there, see the load balancer's address ${snat.to}, not the client's ${from}`;
  }
}

export function forwarded(
  s: Situation,
  d: Decision,
  picked: Categorized,
  nat: NAT,
  client: ServiceClient,
): string {
  const n = picked.chosen.length;
  let text = arrival(s);
  if (d.shortCircuit === 'pod')
    text +=
      'externalTrafficPolicy Local does not apply to traffic from pods: kube-proxy short-circuits it to the cluster-wide endpoints; ';
  if (d.shortCircuit === 'node')
    text +=
      "externalTrafficPolicy Local does not apply to the node's own traffic: kube-proxy sends it to the cluster-wide endpoints; ";
  text += `${serviceName(s.frontend)} ${portName(s.frontend)}: ${selection(s, picked)}`;
  if (n > 1) text += `, each picked with probability 1/${n}`;
  if (picked.topology?.ignored) text += `; topology hints ignored: ${picked.topology.ignored}`;
  const affinity = s.service.spec.sessionAffinity === 'ClientIP';
  if (affinity && n > 1) text += '; sessionAffinity ClientIP keeps a client on the endpoint it first got';
  const natText = natSentence(s, d, nat, client);
  return natText ? `${text}; ${natText}` : text;
}
