// Pod predicates every subsystem asks (k8s.io/kubernetes/pkg/api/v1/pod): one definition, so the
// workload controllers, the endpoint controllers and the kubelet's files agree.

import type { Pod, Protocol } from './types.js';

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

/**
 * The number a named container port means for a protocol (podutil.FindPort): the app
 * containers' ports first, then those of sidecars (init containers with restartPolicy Always,
 * which run beside them); undefined when the pod declares no such port.
 */
export function namedContainerPort(pod: Pod, name: string, protocol: Protocol): number | undefined {
  for (const c of pod.spec.containers) {
    for (const p of c.ports ?? [])
      if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? [])
      if (p.name === name && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}
