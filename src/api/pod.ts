// Pod predicates every subsystem asks (k8s.io/kubernetes/pkg/api/v1/pod): one definition, so the
// workload controllers, the endpoint controllers and the kubelet's files agree.

import type { Pod } from './types.js';

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  const conditions = pod.status?.conditions;
  if (!conditions) return false;
  for (const c of conditions) if (c.type === 'Ready') return c.status === 'True';
  return false;
}

/** The pod's IPs, primary family first: `status.podIPs`, else the older `status.podIP`. */
export function podIPs(pod: Pod): string[] {
  const status = pod.status;
  if (!status) return [];
  if (status.podIPs && status.podIPs.length > 0) return status.podIPs.map((p) => p.ip);
  return status.podIP ? [status.podIP] : [];
}
