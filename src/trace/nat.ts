// Addresses a connection reaches only through NAT: a Service's cluster IPs (kube-proxy answers for
// the whole service CIDR), its external IPs and load-balancer addresses on the ports it serves, a
// NodePort on any node address, and a node port forwarded to a pod by `hostPort` (the CNI portmap
// plugin). Policies see the pod chosen after DNAT, which the Service layer of the next issue
// models; until then a trace to these addresses is refused, never answered as if they were ends.

import type { ClusterConfig } from '../api/cluster-config.js';
import type { Protocol } from '../api/types.js';
import { cidrContains, formatCIDR, formatIP, type IP, ipEqual, parseIP } from '../ip/index.js';
import { holdsIP } from '../netpol/endpoints.js';
import type { Store } from '../store/store.js';
import { podName } from './refs.js';
import { NOT_YET } from './target.js';

/**
 * Whether an address as an object writes it is `ip`. Admission keeps IPv4 addresses canonical,
 * so comparing text settles them without parsing 10,000 Services' addresses per query; IPv6 has
 * several spellings and is parsed.
 */
function sameAs(ip: IP): (text: string | undefined) => boolean {
  if (ip.family === 'IPv4') {
    const shown = formatIP(ip);
    return (text) => text === shown;
  }
  return (text) => {
    const other = text?.includes(':') ? parseIP(text) : undefined;
    return other !== undefined && ipEqual(other, ip);
  };
}

const serviceName = (svc: { metadata: { namespace?: string; name: string } }) =>
  `Service ${svc.metadata.namespace}/${svc.metadata.name}`;

/** A Service's cluster IP, or an address of the service CIDR: kube-proxy's, on any port. */
export function serviceIP(store: Store, config: ClusterConfig, ip: IP): string | undefined {
  const same = sameAs(ip);
  for (const svc of store.list('Service')) {
    const spec = svc.spec;
    if ((spec.clusterIPs ?? [spec.clusterIP]).some(same)) return `the cluster IP of ${serviceName(svc)}`;
  }
  const cidr = config.serviceSubnets.find((c) => cidrContains(c, ip));
  return cidr ? `in the service CIDR ${formatCIDR(cidr)}` : undefined;
}

/** A Service's external IP or load-balancer address, on a port and protocol it serves. */
export function serviceFrontend(store: Store, ip: IP, port: number, protocol: Protocol): string | undefined {
  const same = sameAs(ip);
  for (const svc of store.list('Service')) {
    const serves = (svc.spec.ports ?? []).some((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
    if (!serves) continue;
    if ((svc.spec.externalIPs ?? []).some(same)) return `an external IP of ${serviceName(svc)}`;
    if ((svc.status?.loadBalancer?.ingress ?? []).some((i) => same(i.ip)))
      return `the load-balancer address of ${serviceName(svc)}`;
  }
  return undefined;
}

/**
 * A NodePort (on every node address), or a hostPort of a pod on the node bound to this address:
 * what forwards it, and which layer would trace it.
 */
export function nodeForward(
  store: Store,
  node: string,
  ip: IP,
  port: number,
  protocol: Protocol,
): string | undefined {
  for (const svc of store.list('Service')) {
    for (const p of svc.spec.ports ?? []) {
      if (p.nodePort === port && (p.protocol ?? 'TCP') === protocol)
        return `NodePort ${port}/${protocol} of ${serviceName(svc)}: ${NOT_YET}`;
    }
  }
  const same = sameAs(ip);
  for (const pod of store.list('Pod')) {
    if (pod.spec.nodeName !== node || pod.spec.hostNetwork || !holdsIP(pod)) continue;
    for (const c of pod.spec.containers) {
      for (const p of c.ports ?? []) {
        const bound = !p.hostIP || p.hostIP === '0.0.0.0' || p.hostIP === '::' || same(p.hostIP);
        if (p.hostPort === port && (p.protocol ?? 'TCP') === protocol && bound)
          return `forwarded by hostPort ${port}/${protocol} to pod ${podName(pod)}: tracing through hostPort forwarding is not supported yet`;
      }
    }
  }
  return undefined;
}
