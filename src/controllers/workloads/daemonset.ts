// The DaemonSet controller (pkg/controller/daemon): one pod on every node the pod may run on
// (NodeShouldRunDaemonPod: nodeName, nodeSelector and required node affinity, taints against the
// tolerations a daemon pod gets), pinned to its node with a required node affinity on
// `metadata.name` for the scheduler to honour. Pods on nodes they must leave are deleted.

import { fromLabelSelector } from '../../api/labels.js';
import { isPodReady } from '../../api/pod.js';
import type { DaemonSet, Node, Pod, PodSpec, Toleration } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { claim } from '../owner.js';
import { fitsNodeAffinity, pinnedNodeNames } from '../scheduling/node-affinity.js';
import { blocksScheduling, evicts, findUntoleratedTaint, withToleration } from '../scheduling/taints.js';
import { isPodTerminal } from './pod-state.js';
import { PodFactory, podNameSource, templateHash } from './pod-template.js';
import { REVISION_LABEL } from './statefulset.js';
import { observedGeneration, serialisedStatus, writeStatus } from './workload.js';

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

// Every daemon pod tolerates the node-condition taints (daemon util AddOrUpdateDaemonPodTolerations),
// in this order; host-network pods also tolerate an unavailable network.
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const NETWORK_UNAVAILABLE: Toleration = {
  key: 'node.kubernetes.io/network-unavailable',
  operator: 'Exists',
  effect: 'NoSchedule',
};

export function daemonTolerations(spec: PodSpec): Toleration[] {
  let out = spec.tolerations ?? [];
  for (const t of DAEMON_TOLERATIONS) out = withToleration(out, t);
  if (spec.hostNetwork) out = withToleration(out, NETWORK_UNAVAILABLE);
  return out;
}

/**
 * Replaces the required node affinity with one term pinning the pod to `nodeName`
 * (ReplaceDaemonSetPodNodeNameNodeAffinity); the node was already checked against the original.
 */
function pinToNode(spec: PodSpec, nodeName: string): void {
  const affinity = spec.affinity ?? {};
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...affinity.nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
      },
    },
  };
}

/** [should run a daemon pod here, should a daemon pod already here keep running]. */
export function shouldRunOn(spec: PodSpec, node: Node): [boolean, boolean] {
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return [false, false];
  if (!fitsNodeAffinity(spec, node)) return [false, false];
  const taints = node.spec?.taints;
  if (findUntoleratedTaint(taints, spec.tolerations, blocksScheduling))
    return [false, !findUntoleratedTaint(taints, spec.tolerations, evicts)];
  return [true, true];
}

/** The node a daemon pod is on or pinned to. */
function targetNode(pod: Pod): string | undefined {
  return pod.spec.nodeName || pinnedNodeNames(pod.spec)?.[0];
}

function sync(ctx: ControllerContext, ds: DaemonSet): void {
  const { store } = ctx;
  const ns = ds.metadata.namespace as string;
  const template = ds.spec.template;
  const spec: PodSpec = { ...template.spec, tolerations: daemonTolerations(template.spec) };
  const revision = templateHash(template);
  const generation = String(observedGeneration(ds) ?? 1);

  // Failed daemon pods are kept rather than replaced: upstream deletes and recreates them with
  // a back-off, and the one that stays visible is a failed pod.
  const byNode = new Map<string, Pod[]>();
  for (const pod of claim(store, 'Pod', ds, fromLabelSelector(ds.spec.selector))) {
    const node = targetNode(pod);
    // A pod with no node to run on is left alone, as the controller skips it.
    if (pod.metadata.deletionTimestamp || !node) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }

  const factory = new PodFactory(ds, { ...template, spec });
  const prefix = `${ds.metadata.name}-`;
  let desired = 0;
  let scheduled = 0;
  let misscheduled = 0;
  let ready = 0;
  const nodes = new Set<string>();
  for (const node of store.list('Node')) {
    const nodeName = node.metadata.name;
    nodes.add(nodeName);
    const [run, keep] = shouldRunOn(spec, node);
    const pods = (byNode.get(nodeName) ?? []).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    if (run) desired++;
    if (pods.length === 0) {
      if (!run) continue;
      const name = podNameSource(store, ns, prefix, `${ds.metadata.name}/${nodeName}`)();
      const labels = { [REVISION_LABEL]: revision, [TEMPLATE_GENERATION_LABEL]: generation };
      pods.push(
        store.put(factory.make({ name, generateName: prefix, labels }, (s) => pinToNode(s, nodeName))),
      );
    } else if (!keep) {
      for (const pod of pods.splice(0)) store.delete('Pod', ns, pod.metadata.name);
      continue;
    }
    // One daemon pod per node: extra ones go (upstream keeps the oldest; here the first by name).
    for (const extra of pods.splice(1)) store.delete('Pod', ns, extra.metadata.name);
    if (run) {
      scheduled++;
      if (!isPodTerminal(pods[0]) && isPodReady(pods[0])) ready++;
    } else {
      misscheduled++;
    }
  }
  // Daemon pods of nodes that do not exist are deleted, as the controller deletes them.
  for (const [nodeName, pods] of byNode) {
    if (nodes.has(nodeName)) continue;
    for (const pod of pods) store.delete('Pod', ns, pod.metadata.name);
  }

  writeStatus(
    store,
    ds,
    serialisedStatus(
      {
        currentNumberScheduled: scheduled,
        numberMisscheduled: misscheduled,
        desiredNumberScheduled: desired,
        numberReady: ready,
        observedGeneration: observedGeneration(ds),
        updatedNumberScheduled: scheduled,
        numberAvailable: ready,
        numberUnavailable: desired - ready,
      },
      ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'],
    ),
  );
}

export const daemonSetController: Controller = {
  name: 'daemonset',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'daemonset', ['DaemonSet', 'Node', 'Pod']).run(ctx, () => {
      for (const ds of ctx.store.list('DaemonSet')) sync(ctx, ds);
    });
  },
};
