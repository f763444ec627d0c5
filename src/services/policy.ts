// The Service-level facts kube-proxy reads with every Service port (pkg/api/v1/service util and
// pkg/proxy/serviceport.go): which traffic policy applies to which frontend, the health-check
// port, loadBalancerSourceRanges of one family.

import type { Service } from '../api/types.js';
import { type CIDR, type IPFamily, parseCIDRLoose } from '../ip/index.js';

/** ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
export function externallyAccessible(service: Service): boolean {
  const { type, externalIPs } = service.spec;
  return (
    type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && (externalIPs?.length ?? 0) > 0)
  );
}

/** ExternalPolicyLocal: externalTrafficPolicy Local on an externally accessible Service. */
export function externalPolicyLocal(service: Service): boolean {
  return externallyAccessible(service) && service.spec.externalTrafficPolicy === 'Local';
}

/** InternalPolicyLocal. */
export function internalPolicyLocal(service: Service): boolean {
  return service.spec.internalTrafficPolicy === 'Local';
}

/** NeedsHealthCheck: a LoadBalancer with the Local external policy publishes healthCheckNodePort. */
export function healthCheckNodePort(service: Service): number | undefined {
  if (service.spec.type !== 'LoadBalancer' || !externalPolicyLocal(service)) return undefined;
  return service.spec.healthCheckNodePort || undefined;
}

/**
 * loadBalancerSourceRanges of one family, trimmed (validation tolerates padding, kube-proxy trims
 * it); empty when the Service sets none of that family, and then no firewall applies.
 */
export function sourceRanges(service: Service, family: IPFamily): CIDR[] {
  const out: CIDR[] = [];
  for (const r of service.spec.loadBalancerSourceRanges ?? []) {
    const cidr = parseCIDRLoose(r.trim());
    if (cidr?.family === family) out.push(cidr);
  }
  return out;
}
