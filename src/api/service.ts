// Service predicates every subsystem asks (the apimachinery/k8s helper functions of the same
// names): one definition, so the allocator, the endpoint controllers, the kubelet's variables
// and the DNS zone agree on what "headless" means.

import type { Service } from './types.js';

/** A headless Service: `clusterIP: None` (clusterIPs mirrors it after allocation). */
export function isHeadless(service: Service): boolean {
  return service.spec.clusterIP === 'None' || service.spec.clusterIPs?.[0] === 'None';
}

/** helper.IsServiceIPSet: the Service has a cluster IP (neither headless nor ExternalName). */
export function isServiceIPSet(service: Service): boolean {
  const ip = service.spec.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}
