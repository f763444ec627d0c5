// The scheduler's filters that decide whether a pod may go to a node, in the default profile's
// order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit), with
// each plugin's reason, and the FitError message a pod that fits nowhere gets.

import type { Node, PodSpec, Taint } from '../../api/types.js';
import { DEFAULT_MAX_PODS } from '../cluster/nodes.js';
import { fitsNodeAffinity } from './node-affinity.js';
import { blocksScheduling, findUntoleratedTaint, formatTaint, tolerates } from './taints.js';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * The reason of the first filter that rejects `node` for a pod of this spec, among the filters
 * that depend only on the pod and the node; undefined when they all pass.
 */
export function staticFilter(spec: PodSpec, node: Node): string | undefined {
  if (node.spec?.unschedulable && !tolerates(spec.tolerations, UNSCHEDULABLE_TAINT))
    return REASON_UNSCHEDULABLE;
  const taint = findUntoleratedTaint(node.spec?.taints, spec.tolerations, blocksScheduling);
  if (taint) return `node(s) had untolerated taint ${formatTaint(taint)}`;
  if (!fitsNodeAffinity(spec, node)) return REASON_NODE_AFFINITY;
  return undefined;
}

/** How many pods the node takes: `status.allocatable.pods`, else the kubelet's default. */
export function podCapacity(node: Node): number {
  const allocatable = node.status?.allocatable as Record<string, unknown> | undefined;
  const n = Number(allocatable?.pods);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_PODS;
}

// Node ports and pod count are Unschedulable (another pod's eviction could free them); the
// rest are UnschedulableAndUnresolvable, which preemption does not try.
const RESOLVABLE = new Set([REASON_NODE_PORTS, REASON_TOO_MANY_PODS]);

function histogram(reasons: ReadonlyMap<string, number>): string {
  return [...reasons]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

/**
 * The FitError message (`0/3 nodes are available: ...`): per-node reasons counted and sorted as
 * strings, then what preemption concluded. With every pod at the same priority, preemption finds
 * no victims where it could help.
 */
export function fitErrorMessage(nodeCount: number, reasons: ReadonlyMap<string, number>): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const preemption = new Map<string, number>();
  for (const [reason, n] of reasons) {
    const verdict = RESOLVABLE.has(reason)
      ? 'No preemption victims found for incoming pod'
      : 'Preemption is not helpful for scheduling';
    preemption.set(verdict, (preemption.get(verdict) ?? 0) + n);
  }
  return `0/${nodeCount} nodes are available: ${histogram(reasons)}. preemption: 0/${nodeCount} nodes are available: ${histogram(preemption)}.`;
}
