// The scheduler: binds every pending pod of the default scheduler to a node, in namespace/name
// order. A node is feasible when the filters pass (scheduler-predicates.ts); among feasible nodes
// the one with the fewest pods wins, ties going to the earlier node. Pods that fit nowhere stay
// Pending with PodScheduled=False/Unschedulable and the scheduler's message.
//
// Scale: pods are grouped by what the static filters read (nodeSelector, required affinity,
// tolerations); each group's feasible nodes are computed once, and groups with the same feasible
// nodes share one load heap (scheduler-queue.ts). Only pods with host ports are checked node by
// node, against the ports already taken.

import { fnv1a32 } from '../../api/hash.js';
import { fromMap } from '../../api/labels.js';
import type { Node, Pod, PodSpec } from '../../api/types.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { deepEqual } from '../equal.js';
import { byNamespacedName, isPodActive, isPodTerminal, withCondition } from '../workloads/pod-state.js';
import { type HostPort, hostPortsOf, NodeHostPorts } from './host-ports.js';
import { pinnedNodeNames } from './node-affinity.js';
import {
  fitErrorMessage,
  podCapacity,
  REASON_NODE_AFFINITY,
  REASON_NODE_PORTS,
  REASON_TOO_MANY_PODS,
  staticFilter,
} from './scheduler-predicates.js';
import { LoadHeap, MAX_NODES } from './scheduler-queue.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';

/** One set of feasible nodes and the heap that orders them by load. */
interface Pool {
  nodes: Int32Array;
  heap: LoadHeap;
}

/** Pods alike for the static filters. */
interface Group {
  /** The spec of the group's first pod: what the static filters read is the same for all. */
  spec: PodSpec;
  pool: Pool;
  /** Why each infeasible node was rejected (reason -> node count), computed on first failure. */
  rejected?: Map<string, number>;
}

class Placement {
  readonly index = new Map<string, number>();
  readonly counts: Int32Array;
  readonly capacity: Int32Array;
  readonly ports: (NodeHostPorts | undefined)[];
  private readonly groups = new Map<string, Group>();
  private readonly pools = new Map<string, Pool[]>();

  constructor(
    private readonly ctx: ControllerContext,
    readonly nodes: Node[],
  ) {
    for (const [i, n] of nodes.entries()) this.index.set(n.metadata.name, i);
    this.counts = new Int32Array(nodes.length);
    this.capacity = Int32Array.from(nodes, podCapacity);
    this.ports = new Array(nodes.length);
    for (const pod of ctx.store.list('Pod')) {
      const i = pod.spec.nodeName ? this.index.get(pod.spec.nodeName) : undefined;
      if (i === undefined || isPodTerminal(pod)) continue;
      this.counts[i]++;
      this.takePorts(i, hostPortsOf(pod));
    }
  }

  private takePorts(node: number, ports: readonly HostPort[]): void {
    if (ports.length === 0) return;
    const taken = this.ports[node] ?? new NodeHostPorts();
    taken.add(ports);
    this.ports[node] = taken;
  }

  group(spec: PodSpec): Group {
    const key = signature(spec);
    let g = this.groups.get(key);
    if (!g) {
      g = this.buildGroup(spec);
      this.groups.set(key, g);
    }
    return g;
  }

  private buildGroup(spec: PodSpec): Group {
    const feasible: number[] = [];
    for (const i of this.candidates(spec))
      if (staticFilter(spec, this.nodes[i]) === undefined) feasible.push(i);
    return { spec, pool: this.pool(Int32Array.from(feasible)) };
  }

  /** Every infeasible node's first failing filter, as the scheduler records it per node. */
  private rejected(group: Group): Map<string, number> {
    if (group.rejected) return group.rejected;
    const feasible = new Set(group.pool.nodes);
    const rejected = new Map<string, number>();
    this.nodes.forEach((node, i) => {
      if (feasible.has(i)) return;
      const reason = staticFilter(group.spec, node) ?? REASON_NODE_AFFINITY;
      rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
    });
    group.rejected = rejected;
    return rejected;
  }

  /** Node indices worth filtering, ascending: pinned names, a nodeSelector lookup, or all. */
  private candidates(spec: PodSpec): Iterable<number> {
    const pinned = pinnedNodeNames(spec);
    let indices: number[] | undefined;
    if (pinned) indices = pinned.map((n) => this.index.get(n)).filter((i): i is number => i !== undefined);
    else if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) {
      indices = this.ctx.store
        .select('Node', '', fromMap(spec.nodeSelector))
        .map((n) => this.index.get(n.metadata.name) as number);
    }
    if (!indices) return this.nodes.keys();
    return [...new Set(indices)].sort((a, b) => a - b);
  }

  private pool(nodes: Int32Array): Pool {
    const key = nodes.length === this.nodes.length ? 'all' : `${nodes.length}:${fnv1a32(nodes.join(','))}`;
    const same = this.pools.get(key) ?? [];
    this.pools.set(key, same);
    let pool = same.find((p) => p.nodes.length === nodes.length && p.nodes.every((v, i) => v === nodes[i]));
    if (!pool) {
      pool = { nodes, heap: new LoadHeap(nodes, this.counts) };
      same.push(pool);
    }
    return pool;
  }

  /** The chosen node's index, or -1; records the placement. */
  place(group: Group, ports: readonly HostPort[]): number {
    const fits = ports.length > 0 ? (i: number) => !this.ports[i]?.conflicts(ports) : undefined;
    const i = group.pool.heap.pick(this.counts, this.capacity, fits);
    if (i < 0) return -1;
    this.counts[i]++;
    group.pool.heap.push(i, this.counts[i]);
    this.takePorts(i, ports);
    return i;
  }

  /** Why no node took the pod: the static reasons, then ports or pod count on feasible nodes. */
  failure(group: Group, ports: readonly HostPort[]): string {
    const reasons = new Map(this.rejected(group));
    for (const i of group.pool.nodes) {
      const reason =
        ports.length > 0 && this.ports[i]?.conflicts(ports) ? REASON_NODE_PORTS : REASON_TOO_MANY_PODS;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    return fitErrorMessage(this.nodes.length, reasons);
  }
}

/** What the static filters read; pods with equal signatures are feasible on the same nodes. */
function signature(spec: PodSpec): string {
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!spec.nodeSelector && !required && !spec.tolerations) return '';
  return JSON.stringify([spec.nodeSelector ?? null, required ?? null, spec.tolerations ?? null]);
}

function isPending(pod: Pod): boolean {
  return (
    !pod.spec.nodeName &&
    (pod.spec.schedulerName ?? DEFAULT_SCHEDULER) === DEFAULT_SCHEDULER &&
    isPodActive(pod)
  );
}

/** Binding, as the API server's binding subresource records it. */
function bind(pod: Pod, nodeName: string): void {
  pod.spec.nodeName = nodeName;
  const status = pod.status ?? {};
  pod.status = {
    ...status,
    phase: status.phase ?? 'Pending',
    conditions: withCondition(status.conditions, { type: 'PodScheduled', status: 'True' }),
  };
}

function markUnschedulable(ctx: ControllerContext, pod: Pod, message: string): void {
  ctx.warn(pod, undefined, `FailedScheduling: ${message}`);
  const status = pod.status ?? {};
  const conditions = withCondition(status.conditions, {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message,
  });
  if (status.phase === 'Pending' && deepEqual(conditions, status.conditions)) return;
  pod.status = { ...status, phase: 'Pending', conditions };
  ctx.store.put(pod);
}

function schedule(ctx: ControllerContext): void {
  const pending = ctx.store.list('Pod').filter(isPending);
  if (pending.length === 0) return;
  const nodes = ctx.store.list('Node');
  if (nodes.length > MAX_NODES) {
    ctx.error(undefined, undefined, `the scheduler handles at most ${MAX_NODES} nodes`);
    return;
  }
  const placement = new Placement(ctx, nodes);
  pending.sort(byNamespacedName);
  for (const pod of pending) {
    const group = placement.group(pod.spec);
    const ports = hostPortsOf(pod);
    const i = placement.place(group, ports);
    if (i < 0) {
      markUnschedulable(ctx, pod, placement.failure(group, ports));
      continue;
    }
    bind(pod, nodes[i].metadata.name);
    ctx.store.put(pod);
  }
}

export const schedulerController: Controller = {
  name: 'scheduler',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'scheduler', ['Pod', 'Node']).run(ctx, () => schedule(ctx));
  },
};
