// The ReplicaSet controller (pkg/controller/replicaset): keeps `replicas` active pods matching the
// selector, creating `<rs>-<5 chars>` pods from the template, adopting matching orphans, deleting
// the least valuable pods on scale-down, and reporting the counts in status.

import { fromLabelSelector } from '../../api/labels.js';
import { isPodReady } from '../../api/pod.js';
import type { Pod, ReplicaSet } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { claim } from '../owner.js';
import { isPodActive } from './pod-state.js';
import { PodFactory, podNameSource } from './pod-template.js';
import { countPods, observedGeneration, serialisedStatus, writeStatus } from './workload.js';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Scale-down order (controller.ActivePodsWithRanks, first criteria): pods not yet on a node, then
 * Pending before Unknown before Running, then not ready before ready; ties by name, last first.
 */
export function deletionOrder(a: Pod, b: Pod): number {
  const assigned = Number(Boolean(a.spec.nodeName)) - Number(Boolean(b.spec.nodeName));
  if (assigned !== 0) return assigned;
  const phase =
    (PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0);
  if (phase !== 0) return phase;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  return a.metadata.name < b.metadata.name ? 1 : a.metadata.name > b.metadata.name ? -1 : 0;
}

function sync(ctx: ControllerContext, rs: ReplicaSet): void {
  const { store } = ctx;
  const ns = rs.metadata.namespace as string;
  const pods = claim(store, 'Pod', rs, fromLabelSelector(rs.spec.selector));
  const active = pods.filter(isPodActive);
  const want = rs.spec.replicas ?? 1;

  if (active.length < want) {
    const prefix = `${rs.metadata.name}-`;
    const factory = new PodFactory(rs, rs.spec.template);
    const nextName = podNameSource(store, ns, prefix, rs.metadata.name);
    while (active.length < want)
      active.push(store.put(factory.make({ name: nextName(), generateName: prefix })));
  } else if (active.length > want) {
    const doomed = new Set([...active].sort(deletionOrder).slice(0, active.length - want));
    for (const pod of doomed) store.delete('Pod', ns, pod.metadata.name);
    active.splice(0, active.length, ...active.filter((p) => !doomed.has(p)));
  }

  const counts = countPods(active, rs.spec.template.metadata?.labels);
  writeStatus(
    store,
    rs,
    serialisedStatus(
      {
        replicas: counts.replicas,
        fullyLabeledReplicas: counts.fullyLabeled,
        readyReplicas: counts.ready,
        availableReplicas: counts.available,
        observedGeneration: observedGeneration(rs),
      },
      ['replicas'],
    ),
  );
}

export const replicaSetController: Controller = {
  name: 'replicaset',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'replicaset', ['ReplicaSet', 'Pod']).run(ctx, () => {
      for (const rs of ctx.store.list('ReplicaSet')) sync(ctx, rs);
    });
  },
};
