// The workload a pod belongs to, as people name it: the object that controls it, following a
// ReplicaSet up to its Deployment (kubectl's and the dashboards' grouping of pods).

import type { Pod, ReplicaSet } from '../api/types.js';
import { controllerOf } from '../controllers/owner.js';
import type { Store } from '../store/store.js';

/**
 * `Deployment/ns/name`, `StatefulSet/ns/name`, `DaemonSet/ns/name`, `ReplicaSet/ns/name` (a
 * ReplicaSet without a controller, or one the snapshot does not hold), the controller of any other
 * kind (`Job/ns/name`), or `Pod/ns/name` for a pod without a controller. Only controller owner
 * references count (`controller: true`), as the garbage collector and kubectl read them.
 */
export function workloadOf(store: Store, pod: Pod): string {
  const ns = pod.metadata.namespace ?? 'default';
  const ref = controllerOf(pod);
  if (!ref) return `Pod/${ns}/${pod.metadata.name}`;
  if (ref.kind === 'ReplicaSet') {
    const rs: ReplicaSet | undefined = store.get('ReplicaSet', ns, ref.name);
    const owner = rs && controllerOf(rs);
    if (owner) return `${owner.kind}/${ns}/${owner.name}`;
  }
  return `${ref.kind}/${ns}/${ref.name}`;
}
