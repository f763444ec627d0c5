// The kubelets: each node admits the pods bound to it (pkg/kubelet/lifecycle predicate admission:
// pod count, node affinity, host ports, NoExecute taints), gives every admitted pod an address
// from the node's pod CIDRs (kubelet-ipam.ts) or, with hostNetwork, the node's own, and reports
// the pod Running and Ready. What a pod already reports (a snapshot) is kept: only missing
// addresses are filled.

import type { Node, Pod, PodStatus } from '../../api/types.js';
import { formatIP, type IP, type IPFamily, ipKey, parseIP } from '../../ip/index.js';
import { ChangeTracker } from '../change-tracker.js';
import { internalIPs, podCIDRsOf } from '../cluster/nodes.js';
import type { Controller, ControllerContext } from '../context.js';
import { deepEqual } from '../equal.js';
import { type HostPort, hostPortsOf, NodeHostPorts } from '../scheduling/host-ports.js';
import { fitsNodeAffinity } from '../scheduling/node-affinity.js';
import { podCapacity, REASON_NODE_AFFINITY, REASON_NODE_PORTS } from '../scheduling/scheduler-predicates.js';
import { evicts, findUntoleratedTaint } from '../scheduling/taints.js';
import { byNamespacedName, isPodTerminal } from '../workloads/pod-state.js';
import { NodeIPAM } from './kubelet-ipam.js';

// Address families told apart without parsing: only IPv6 text has colons.
const familyOf = (ip: string): IPFamily => (ip.includes(':') ? 'IPv6' : 'IPv4');

/** Pods the kubelet has not started yet: no status, or Pending without a host IP. */
function awaitsStart(pod: Pod): boolean {
  const s = pod.status;
  return !s || (!s.hostIP && (s.phase ?? 'Pending') === 'Pending');
}

/** The pod's reported addresses. */
function reportedIPs(pod: Pod): string[] {
  const s = pod.status;
  if (!s) return [];
  if (s.podIPs && s.podIPs.length > 0) return s.podIPs.map((p) => p.ip);
  return s.podIP ? [s.podIP] : [];
}

/** Addresses in the cluster's family order (primary first). */
function byFamily(ips: readonly string[], families: readonly IPFamily[]): string[] {
  const rank = (ip: string) => {
    const i = families.indexOf(familyOf(ip));
    return i < 0 ? families.length : i;
  };
  return ips.length < 2 ? [...ips] : [...ips].sort((a, b) => rank(a) - rank(b));
}

/**
 * The node's addresses as the kubelet reports them in a pod's hostIPs (and a hostNetwork pod's
 * podIPs): the first InternalIP of each family, at most one per family as GetNodeHostIPs picks
 * them, in the cluster's family order.
 */
function nodeHostIPs(node: Node, families: readonly IPFamily[]): string[] {
  const first = new Map<IPFamily, string>();
  for (const ip of internalIPs(node)) if (!first.has(familyOf(ip))) first.set(familyOf(ip), ip);
  return byFamily([...first.values()], families);
}

interface Rejection {
  reason: string;
  message: string;
}

/**
 * The kubelet's admission of a pod bound to it, first failure wins, in the order of its general
 * filter: resources (only the pod count is modelled), node affinity, host ports, then NoExecute
 * taints. A scheduler-placed pod always passes; a pod whose nodeName was set by hand may not.
 */
function admit(
  pod: Pod,
  node: Node,
  admitted: number,
  ports: NodeHostPorts,
  wanted: readonly HostPort[],
): Rejection | undefined {
  const capacity = podCapacity(node);
  if (admitted + 1 > capacity) {
    return {
      reason: 'OutOfpods',
      message: `Node didn't have enough resource: pods, requested: 1, used: ${admitted}, capacity: ${capacity}`,
    };
  }
  if (!fitsNodeAffinity(pod.spec, node))
    return { reason: 'NodeAffinity', message: `Predicate NodeAffinity failed: ${REASON_NODE_AFFINITY}` };
  if (ports.conflicts(wanted))
    return { reason: 'NodePorts', message: `Predicate NodePorts failed: ${REASON_NODE_PORTS}` };
  if (findUntoleratedTaint(node.spec?.taints, pod.spec.tolerations, evicts)) {
    return {
      reason: 'TaintToleration',
      message: "Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
    };
  }
  return undefined;
}

function containerStatuses(pod: Pod, running: boolean): Record<string, unknown>[] {
  return pod.spec.containers.map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: running,
    restartCount: 0,
    started: running,
    state: running ? { running: {} } : { waiting: { reason: 'ContainerCreating' } },
  }));
}

/** The status of a started pod: Running and Ready, or waiting for an address it could not get. */
function startedStatus(pod: Pod, hostIPs: string[], podIPs: string[]): PodStatus {
  const running = podIPs.length > 0;
  const notReady = `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]`;
  return {
    phase: running ? 'Running' : 'Pending',
    conditions: [
      { type: 'PodReadyToStartContainers', status: running ? 'True' : 'False' },
      { type: 'Initialized', status: 'True' },
      running
        ? { type: 'Ready', status: 'True' }
        : { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: notReady },
      running
        ? { type: 'ContainersReady', status: 'True' }
        : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: notReady },
      { type: 'PodScheduled', status: 'True' },
    ],
    ...addressFields(hostIPs, podIPs),
    containerStatuses: containerStatuses(pod, running),
  };
}

function addressFields(hostIPs: string[], podIPs: string[]): Partial<PodStatus> {
  const out: Partial<PodStatus> = {};
  if (hostIPs.length > 0) {
    out.hostIP = hostIPs[0];
    out.hostIPs = hostIPs.map((ip) => ({ ip }));
  }
  if (podIPs.length > 0) {
    out.podIP = podIPs[0];
    out.podIPs = podIPs.map((ip) => ({ ip }));
  }
  return out;
}

class NodeAgent {
  readonly ipam: NodeIPAM;
  readonly hostIPs: string[];
  readonly ports = new NodeHostPorts();
  readonly pods: Pod[] = [];
  admitted = 0;

  constructor(
    private readonly ctx: ControllerContext,
    readonly node: Node,
  ) {
    this.ipam = new NodeIPAM(podCIDRsOf(node));
    this.hostIPs = nodeHostIPs(node, ctx.config.ipFamilies);
  }

  /**
   * A hostNetwork pod's addresses: the node's. A pod reporting one address gets the node's
   * second-family address added, as the kubelet fills a missing secondary (kubernetes#105320).
   */
  private hostNetworkIPs(have: readonly string[]): string[] {
    if (have.length === 0) return [...this.hostIPs];
    const second = this.hostIPs[1];
    if (have.length === 1 && second !== undefined && familyOf(second) !== familyOf(have[0]))
      return [have[0], second];
    return [...have];
  }

  /** Pod addresses of the families the pod lacks; the host's for hostNetwork pods. */
  addressesFor(pod: Pod, have: readonly string[]): string[] {
    if (pod.spec.hostNetwork) return this.hostNetworkIPs(have);
    if (this.ipam.families.length === 0) {
      if (have.length === 0)
        this.ctx.warn(
          pod,
          'status.podIPs',
          `FailedCreatePodSandBox: node ${this.node.metadata.name} has no podCIDR to give the pod an address from`,
        );
      return [...have];
    }
    const missing = this.ipam.families.filter((f) => !have.some((ip) => familyOf(ip) === f));
    if (missing.length === 0) return [...have];
    const got = this.ipam.allocate(missing);
    if ('error' in got) {
      this.ctx.warn(pod, 'status.podIPs', `FailedCreatePodSandBox: ${got.error}`);
      return [...have];
    }
    return byFamily([...have, ...got.map((ip: IP) => formatIP(ip))], this.ctx.config.ipFamilies);
  }

  /** Starts a pod the node admitted, or fails it as the kubelet rejects pods. */
  start(pod: Pod): void {
    const wanted = hostPortsOf(pod);
    const rejection = admit(pod, this.node, this.admitted, this.ports, wanted);
    if (rejection) {
      const message = `Pod was rejected: ${rejection.message}`;
      this.ctx.warn(pod, 'spec.nodeName', `${rejection.reason}: ${message}`);
      const conditions = pod.status?.conditions;
      this.write(pod, {
        phase: 'Failed',
        ...(conditions ? { conditions } : {}),
        message,
        reason: rejection.reason,
      });
      return;
    }
    this.admitted++;
    this.ports.add(wanted);
    this.write(pod, startedStatus(pod, this.hostIPs, this.addressesFor(pod, [])));
  }

  /** Does the pod report its host addresses and a pod address of every family it needs? */
  private addressed(pod: Pod, status: PodStatus): boolean {
    if (!status.hostIP || !status.hostIPs || !status.podIP || !status.podIPs) return false;
    const podIPs = status.podIPs;
    if (pod.spec.hostNetwork) return this.hostNetworkIPs(podIPs.map((p) => p.ip)).length === podIPs.length;
    return this.ipam.families.every((f) => podIPs.some((p) => familyOf(p.ip) === f));
  }

  /** A pod already running (a snapshot): only missing addresses are filled. */
  complete(pod: Pod): void {
    const status = pod.status as PodStatus;
    if (this.addressed(pod, status)) return;
    const have = reportedIPs(pod);
    const podIPs = this.addressesFor(pod, have);
    const hostIPs = status.hostIPs?.map((h) => h.ip) ?? (status.hostIP ? [status.hostIP] : this.hostIPs);
    const filled = { ...status, ...addressFields(hostIPs, podIPs) };
    this.write(pod, filled);
  }

  private write(pod: Pod, status: PodStatus): void {
    if (deepEqual(pod.status, status)) return;
    pod.status = status;
    this.ctx.store.put(pod);
  }
}

function reconcile(ctx: ControllerContext): void {
  const agents = new Map<string, NodeAgent>();
  for (const node of ctx.store.list('Node')) agents.set(node.metadata.name, new NodeAgent(ctx, node));
  for (const pod of ctx.store.list('Pod')) {
    const nodeName = pod.spec.nodeName;
    if (!nodeName || isPodTerminal(pod)) continue;
    const agent = agents.get(nodeName);
    if (agent) agent.pods.push(pod);
    else ctx.warn(pod, 'spec.nodeName', `node "${nodeName}" does not exist; the pod is left as it is`);
  }

  for (const agent of agents.values()) agent.pods.sort(byNamespacedName);
  takeReportedIPs(ctx, agents.values());

  for (const agent of agents.values()) {
    // Pods already running hold their ports and places before new ones are admitted.
    const fresh: Pod[] = [];
    for (const pod of agent.pods) {
      if (awaitsStart(pod)) {
        if (!pod.metadata.deletionTimestamp) fresh.push(pod);
        continue;
      }
      agent.admitted++;
      agent.ports.add(hostPortsOf(pod));
      agent.complete(pod);
    }
    for (const pod of fresh) agent.start(pod);
  }
}

/**
 * Marks the addresses pods report, on every node, before any is allocated, so nothing allocated
 * collides with them; two pods reporting one address, or an address outside the node's
 * podCIDRs, are what a live cluster can hold: warnings.
 */
function takeReportedIPs(ctx: ControllerContext, agents: Iterable<NodeAgent>): void {
  const owners = new Map<string, Pod>();
  for (const agent of agents) {
    for (const pod of agent.pods) {
      if (pod.spec.hostNetwork) continue;
      for (const s of reportedIPs(pod)) {
        const ip = parseIP(s);
        if (!ip) continue;
        const key = ipKey(ip);
        const other = owners.get(key);
        if (other !== undefined)
          ctx.warn(
            pod,
            'status.podIPs',
            `pod IP ${s} is also reported by pod ${other.metadata.namespace}/${other.metadata.name}`,
          );
        else owners.set(key, pod);
        if (!agent.ipam.mark(ip))
          ctx.warn(
            pod,
            'status.podIPs',
            `pod IP ${s} is outside the podCIDRs of node ${agent.node.metadata.name}; kept as reported`,
          );
      }
    }
  }
}

export const kubeletController: Controller = {
  name: 'kubelet',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'kubelet', ['Pod', 'Node']).run(ctx, () => reconcile(ctx));
  },
};
