// The Deployment controller (pkg/controller/deployment), in its settled state: the ReplicaSet
// whose template equals the Deployment's carries all replicas, named
// `<deployment>-<pod-template-hash>`; older ReplicaSets are scaled to zero as a finished rolling
// update leaves them; the status sums theirs.

import { fromLabelSelector } from '../../api/labels.js';
import type { Deployment, IntOrString, PodTemplateSpec, ReplicaSet } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { deepEqual } from '../equal.js';
import { claim, controllerRef, uidOf } from '../owner.js';
import { templateHash } from './pod-template.js';
import { observedGeneration, serialisedStatus, writeStatus } from './workload.js';

export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

// Annotations the controller never copies from a Deployment to its ReplicaSets
// (deployment util skipCopyAnnotation).
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  DESIRED_REPLICAS,
  MAX_REPLICAS,
]);

/** Templates equal once the pod-template-hash label is ignored (deployment util EqualIgnoreHash). */
function sameTemplate(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  if (!deepEqual(a.spec, b.spec)) return false;
  const { labels: la, ...ma } = a.metadata ?? {};
  const { labels: lb, ...mb } = b.metadata ?? {};
  if (!deepEqual(ma, mb)) return false;
  const x = la ?? {};
  const y = lb ?? {};
  const keys = (l: Record<string, string>) => Object.keys(l).filter((k) => k !== POD_TEMPLATE_HASH);
  const kx = keys(x);
  return kx.length === keys(y).length && kx.every((k) => Object.hasOwn(y, k) && x[k] === y[k]);
}

/** maxSurge resolved against replicas, rounding up (intstr.GetScaledValueFromIntOrPercent). */
function maxSurge(d: Deployment, replicas: number): number {
  const strategy = d.spec.strategy as
    | { type?: string; rollingUpdate?: { maxSurge?: IntOrString } }
    | undefined;
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(surge);
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : Number(surge) || 0;
}

function replicaCount(rs: ReplicaSet, field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  const n = rs.status?.[field];
  return typeof n === 'number' ? n : 0;
}

function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

/** Annotations of the current ReplicaSet: the Deployment's own, plus revision and sizes. */
function replicaSetAnnotations(d: Deployment, replicas: number, revision: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  out[DESIRED_REPLICAS] = String(replicas);
  out[MAX_REPLICAS] = String(replicas + maxSurge(d, replicas));
  out[REVISION] = revision;
  return out;
}

function newReplicaSet(
  d: Deployment,
  name: string,
  hash: string,
  replicas: number,
  revision: string,
): ReplicaSet {
  // Copies, never shared: the Deployment's template may change later and the ReplicaSet must not.
  const { template, selector } = structuredClone({ template: d.spec.template, selector: d.spec.selector });
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels,
      annotations: replicaSetAnnotations(d, replicas, revision),
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas,
      ...(d.spec.minReadySeconds !== undefined ? { minReadySeconds: d.spec.minReadySeconds } : {}),
      selector: { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
      template: { ...template, metadata: { ...template.metadata, labels: { ...labels } } },
    },
  };
  rs.metadata.uid = uidOf(rs);
  return rs;
}

/**
 * Creates the current ReplicaSet: `<deployment>-<hash>`, rehashing with a collision count when
 * a ReplicaSet the Deployment does not own already has that name.
 */
function createReplicaSet(
  ctx: ControllerContext,
  d: Deployment,
  replicas: number,
  revision: string,
): ReplicaSet {
  const ns = d.metadata.namespace as string;
  let collisions = 0;
  for (;;) {
    const hash = templateHash(d.spec.template, collisions);
    const name = `${d.metadata.name}-${hash}`;
    if (!ctx.store.has('ReplicaSet', ns, name))
      return ctx.store.put(newReplicaSet(d, name, hash, replicas, revision));
    collisions++;
  }
}

function sync(ctx: ControllerContext, d: Deployment): void {
  const { store } = ctx;
  const replicas = d.spec.replicas ?? 1;
  const sets = claim(store, 'ReplicaSet', d, fromLabelSelector(d.spec.selector));
  let current = sets.find((rs) => sameTemplate(rs.spec.template, d.spec.template));
  const revision =
    current?.metadata.annotations?.[REVISION] ?? String(Math.max(0, ...sets.map(revisionOf)) + 1);

  if (!current) {
    current = createReplicaSet(ctx, d, replicas, revision);
  } else {
    const annotations = { ...current.metadata.annotations, ...replicaSetAnnotations(d, replicas, revision) };
    if (current.spec.replicas !== replicas || !deepEqual(current.metadata.annotations, annotations)) {
      current.spec.replicas = replicas;
      current.metadata.annotations = annotations;
      store.put(current);
    }
  }
  for (const old of sets) {
    if (old === current || old.spec.replicas === 0) continue;
    old.spec.replicas = 0;
    store.put(old);
  }

  if (d.metadata.annotations?.[REVISION] !== revision) {
    d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: revision };
    store.put(d);
  }

  // The status sums its ReplicaSets' statuses (deployment sync calculateStatus), so it follows
  // theirs by one pass.
  const total = { replicas: 0, ready: 0, available: 0 };
  for (const rs of sets.includes(current) ? sets : [...sets, current]) {
    total.replicas += replicaCount(rs, 'replicas');
    total.ready += replicaCount(rs, 'readyReplicas');
    total.available += replicaCount(rs, 'availableReplicas');
  }
  const updated = replicaCount(current, 'replicas');
  writeStatus(
    store,
    d,
    serialisedStatus({
      observedGeneration: observedGeneration(d),
      replicas: total.replicas,
      updatedReplicas: updated,
      readyReplicas: total.ready,
      availableReplicas: total.available,
      unavailableReplicas: Math.max(0, replicas - total.available),
    }),
  );
}

export const deploymentController: Controller = {
  name: 'deployment',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'deployment', ['Deployment', 'ReplicaSet', 'Pod']).run(ctx, () => {
      for (const d of ctx.store.list('Deployment')) sync(ctx, d);
    });
  },
};
