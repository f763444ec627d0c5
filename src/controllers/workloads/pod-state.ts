// What a pod's status says about it, as the workload controllers read it
// (k8s.io/kubernetes/pkg/controller: IsPodActive, podutil.IsPodReady).

import type { KubeObject, Pod, PodCondition } from '../../api/types.js';

/** Succeeded or Failed: the pod will not run again and holds no address. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counts towards a workload's replicas: not terminal and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** Orders objects by namespace, then name: the deterministic order controllers act in. */
export function byNamespacedName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  const x = a.metadata.name;
  const y = b.metadata.name;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The conditions with `c` set: replacing the condition of its type, or appended. */
export function withCondition(
  conditions: readonly PodCondition[] | undefined,
  c: PodCondition,
): PodCondition[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((o) => o.type === c.type);
  if (i < 0) out.push(c);
  else out[i] = c;
  return out;
}
