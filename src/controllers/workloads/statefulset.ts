// The StatefulSet controller (pkg/controller/statefulset): one pod per ordinal, named
// `<sts>-<ordinal>` from `spec.ordinals.start`, with its stable identity (pod-name and pod-index
// labels, hostname = pod name, subdomain = serviceName) and the revision label; pods of ordinals
// beyond the range are deleted.

import { fromLabelSelector } from '../../api/labels.js';
import type { Pod, StatefulSet } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { claim, owned } from '../owner.js';
import { isPodActive } from './pod-state.js';
import { PodFactory, templateHash } from './pod-template.js';
import { countPods, observedGeneration, serialisedStatus, writeStatus } from './workload.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const REVISION_LABEL = 'controller-revision-hash';

/** The ordinal in a pod name `<sts>-<ordinal>`, or -1 when the name is not of that shape. */
export function ordinalOf(sts: StatefulSet, pod: Pod): number {
  const prefix = `${sts.metadata.name}-`;
  const name = pod.metadata.name;
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

function sync(ctx: ControllerContext, sts: StatefulSet): void {
  const { store } = ctx;
  const ns = sts.metadata.namespace as string;
  const name = sts.metadata.name;
  const start = sts.spec.ordinals?.start ?? 0;
  const replicas = sts.spec.replicas ?? 1;
  const end = start + replicas;
  // A snapshot's revision stands: its pods carry the live cluster's hash, which podnet cannot
  // recompute, and they are current.
  const revision =
    (sts.status?.updateRevision as string | undefined) ?? `${name}-${templateHash(sts.spec.template)}`;

  const selector = fromLabelSelector(sts.spec.selector);
  // Only pods named `<sts>-<ordinal>` are members (isMemberOf): others stay orphans.
  const member = (pod: Pod) => ordinalOf(sts, pod) >= 0;
  const pods = new Set(claim(store, 'Pod', sts, selector, member));
  for (const pod of pods) {
    const ordinal = ordinalOf(sts, pod);
    if (isPodActive(pod) && ordinal >= 0 && (ordinal < start || ordinal >= end))
      store.delete('Pod', ns, pod.metadata.name);
  }

  // OrderedReady creates one ordinal at a time, each once its predecessor is Running and Ready;
  // the settled state is the same set of pods, so they are made together.
  const factory = new PodFactory(sts, sts.spec.template);
  for (let ordinal = start; ordinal < end; ordinal++) {
    const podName = `${name}-${ordinal}`;
    const existing = store.get('Pod', ns, podName);
    if (existing) {
      if (!pods.has(existing))
        ctx.warn(
          sts,
          undefined,
          `pod "${podName}" already exists and is not controlled by this StatefulSet; ordinal ${ordinal} is not created`,
        );
      continue;
    }
    const labels = {
      [POD_NAME_LABEL]: podName,
      [POD_INDEX_LABEL]: String(ordinal),
      [REVISION_LABEL]: revision,
    };
    store.put(
      factory.make({ name: podName, labels }, (spec) => {
        spec.hostname = podName;
        if (sts.spec.serviceName) spec.subdomain = sts.spec.serviceName;
      }),
    );
  }

  const counts = countPods(owned(store, 'Pod', sts, selector, member));
  writeStatus(
    store,
    sts,
    serialisedStatus(
      {
        observedGeneration: observedGeneration(sts),
        replicas: counts.replicas,
        readyReplicas: counts.ready,
        currentReplicas: counts.replicas,
        updatedReplicas: counts.replicas,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
        availableReplicas: counts.available,
      },
      ['replicas', 'availableReplicas', 'collisionCount'],
    ),
  );
}

export const statefulSetController: Controller = {
  name: 'statefulset',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'statefulset', ['StatefulSet', 'Pod']).run(ctx, () => {
      for (const sts of ctx.store.list('StatefulSet')) sync(ctx, sts);
    });
  },
};
