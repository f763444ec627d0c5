// Nodes: the cluster config's nodes when the manifests declare none, labelled and tainted as
// kind's kubelets register them, with an InternalIP per cluster family from the node network and
// pod CIDRs from the cluster CIDR (kube-controller-manager's node IPAM range allocator). Declared
// nodes get the same missing fields filled; what they carry is kept.

import type { ClusterConfig, NodeConfig } from '../../api/cluster-config.js';
import type { Node, NodeAddress, NodeCondition, Taint } from '../../api/types.js';
import {
  bits,
  type CIDR,
  cidrContains,
  cidrOverlaps,
  cidrSize,
  formatCIDR,
  formatIP,
  type IPFamily,
  ipKey,
  nthAddress,
  parseCIDRLoose,
  parseIP,
  RangeAllocator,
  subnet,
  subnetCount,
} from '../../ip/index.js';
import { ChangeTracker } from '../change-tracker.js';
import type { Controller, ControllerContext } from '../context.js';
import { uidOf } from '../owner.js';

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';
export const EXCLUDE_FROM_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
export const CONTROL_PLANE_TAINT: Taint = { key: CONTROL_PLANE_LABEL, effect: 'NoSchedule' };

/** The kubelet's default --max-pods, reported as the node's pod capacity. */
export const DEFAULT_MAX_PODS = 110;

const ZONES = 'abc';

/** Zones round-robin by node position: `<cluster>-zone-a`, `-b`, `-c`, `-a`, ... */
export function zoneFor(config: ClusterConfig, index: number): string {
  return `${config.name}-zone-${ZONES[index % ZONES.length]}`;
}

export function internalIPs(node: Node): string[] {
  const out: string[] = [];
  for (const a of node.status?.addresses ?? []) if (a.type === 'InternalIP') out.push(a.address);
  return out;
}

/** The node's pod CIDRs (podCIDRs, or the older single podCIDR), parsed. */
export function podCIDRsOf(node: Node): CIDR[] {
  const given = node.spec?.podCIDRs ?? (node.spec?.podCIDR ? [node.spec.podCIDR] : []);
  const out: CIDR[] = [];
  for (const s of given) {
    const c = parseCIDRLoose(s);
    if (c) out.push(c);
  }
  return out;
}

/** The Kubernetes release whose behaviour podnet models (CoreDNS and kubectl columns match it). */
export const KUBERNETES_VERSION = 'v1.32.0';

export function isControlPlane(node: Node): boolean {
  return node.metadata.labels !== undefined && Object.hasOwn(node.metadata.labels, CONTROL_PLANE_LABEL);
}

function readyConditions(): NodeCondition[] {
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
    },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

/**
 * What the kubelet reports about itself. podnet models Kubernetes 1.32; its nodes run no
 * container runtime of their own (the lab runs workloads as processes in network namespaces),
 * and the kernel is not known offline, so kubectl shows it as <unknown>.
 */
function nodeInfo(): Record<string, string> {
  return {
    architecture: 'amd64',
    containerRuntimeVersion: 'podnet://0.1.0',
    kubeletVersion: KUBERNETES_VERSION,
    operatingSystem: 'linux',
    osImage: 'podnet',
  };
}

function newNode(nc: NodeConfig): Node {
  const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nc.name } };
  node.metadata.uid = uidOf(node);
  return node;
}

/** Labels, taints, conditions and capacity: what the kubelet registers with (kind's settings). */
function fillRegistration(
  node: Node,
  nc: NodeConfig | undefined,
  /** Only nodes podnet makes from the cluster config get a zone: a snapshot's nodes say theirs. */
  zone: string | undefined,
  taintControlPlane: boolean,
): void {
  const name = node.metadata.name;
  const controlPlane = nc?.role === 'control-plane';
  const wanted: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...(controlPlane ? { [CONTROL_PLANE_LABEL]: '', [EXCLUDE_FROM_LB_LABEL]: '' } : {}),
    ...(zone ? { [ZONE_LABEL]: zone } : {}),
    ...(nc?.labels ?? {}),
  };
  const labels = { ...(node.metadata.labels ?? {}) };
  for (const [k, v] of Object.entries(wanted)) if (!Object.hasOwn(labels, k)) labels[k] = v;
  node.metadata.labels = labels;

  // kubeadm taints control-plane nodes; a node that lists its taints (even none) keeps them.
  if (controlPlane && taintControlPlane && node.spec?.taints === undefined)
    node.spec = { ...node.spec, taints: [{ ...CONTROL_PLANE_TAINT }] };
  node.status ??= {};
  const status = node.status;
  status.capacity ??= { pods: String(DEFAULT_MAX_PODS) };
  status.allocatable ??= { pods: String(DEFAULT_MAX_PODS) };
  status.conditions ??= readyConditions();
  status.nodeInfo ??= nodeInfo();
}

/**
 * InternalIPs from the node network, one per cluster family in family order (a kind node's
 * kubelet runs with --node-ip set to its docker addresses: IPv4, IPv6 or both), each from `.2`
 * (after kind's gateway) in node order; then a Hostname address. A node keeps the InternalIP it
 * carries for a family; only missing families are filled.
 */
function fillAddresses(ctx: ControllerContext, nodes: Node[]): void {
  const nets = ctx.config.nodeSubnets.map((net) => {
    const pool = new RangeAllocator(cidrSize(net));
    pool.mark(0);
    pool.mark(1);
    if (net.family === 'IPv4' && pool.size > 2n) pool.mark(pool.size - 1n);
    return { net, pool };
  });
  const rank = (family: IPFamily | undefined) => {
    const i = nets.findIndex((n) => n.net.family === family);
    return i < 0 ? nets.length : i;
  };
  const owners = new Map<string, string>();
  const given = nodes.map(() => new Set<IPFamily>());
  for (const [i, node] of nodes.entries()) {
    for (const s of internalIPs(node)) {
      const ip = parseIP(s);
      if (!ip) continue;
      given[i].add(ip.family);
      const key = ipKey(ip);
      const other = owners.get(key);
      if (other !== undefined)
        ctx.warn(node, 'status.addresses', `InternalIP ${s} is also the address of node ${other}`);
      else owners.set(key, node.metadata.name);
      const within = nets.find((n) => cidrContains(n.net, ip));
      if (within) {
        const offset = ip.value - within.net.base;
        if (!within.pool.has(offset)) within.pool.mark(offset);
      }
    }
  }
  for (const [i, node] of nodes.entries()) {
    node.status ??= {};
    const status = node.status;
    const addresses: NodeAddress[] = [...(status.addresses ?? [])];
    for (const { net, pool } of nets) {
      if (given[i].has(net.family)) continue;
      const offset = pool.firstFree();
      if (offset === undefined) {
        ctx.error(node, 'status.addresses', `no free address left in the node network ${formatCIDR(net)}`);
        continue;
      }
      pool.mark(offset);
      // Before the first InternalIP of a later family, so a node's InternalIPs stay in family order.
      let at = 0;
      for (const [k, a] of addresses.entries()) {
        if (a.type !== 'InternalIP') continue;
        if (rank(parseIP(a.address)?.family) > rank(net.family)) break;
        at = k + 1;
      }
      addresses.splice(at, 0, { type: 'InternalIP', address: formatIP(nthAddress(net, offset)) });
    }
    if (!addresses.some((a) => a.type === 'Hostname'))
      addresses.push({ type: 'Hostname', address: node.metadata.name });
    status.addresses = addresses;
  }
}

/**
 * Pod CIDRs as the range allocator hands them out: one subnet of the per-node mask size from each
 * cluster CIDR, lowest free first, in node order. Given podCIDRs are kept and occupy their
 * subnets; a node that has any keeps exactly those.
 */
function fillPodCIDRs(ctx: ControllerContext, nodes: Node[]): void {
  const { config } = ctx;
  const sets = config.podSubnets.map((cluster) => {
    const mask = config.nodeMaskSize[cluster.family];
    return {
      cluster,
      mask,
      used: new RangeAllocator(subnetCount(cluster, mask)),
      owners: new Map<bigint, string>(),
    };
  });
  for (const node of nodes) {
    for (const c of podCIDRsOf(node)) {
      const set = sets.find(
        (s) => s.cluster.family === c.family && cidrOverlaps(s.cluster, c) && c.prefix >= s.cluster.prefix,
      );
      if (!set) {
        ctx.warn(
          node,
          'spec.podCIDRs',
          `podCIDR ${formatCIDR(c)} is outside the cluster's pod CIDRs (${config.podSubnets.map(formatCIDR).join(', ')}); kept as given`,
        );
        continue;
      }
      const shift = BigInt(bits(c.family) - set.mask);
      const first = (c.base - set.cluster.base) >> shift;
      const count = c.prefix >= set.mask ? 1n : 1n << BigInt(set.mask - c.prefix);
      for (let i = first; i < first + count; i++) {
        const other = set.owners.get(i);
        if (other !== undefined) {
          ctx.warn(node, 'spec.podCIDRs', `podCIDR ${formatCIDR(c)} overlaps the podCIDR of node ${other}`);
          break;
        }
        set.owners.set(i, node.metadata.name);
        set.used.mark(i);
      }
    }
  }
  for (const node of nodes) {
    node.spec ??= {};
    const spec = node.spec;
    if (!spec.podCIDRs && !spec.podCIDR) {
      // All families or none, as the allocator does (a node is never half dual-stack).
      const picked: bigint[] = [];
      for (const set of sets) {
        const i = set.used.firstFree();
        if (i === undefined) break;
        picked.push(i);
      }
      if (picked.length < sets.length) {
        const full = sets[picked.length];
        ctx.error(
          node,
          'spec.podCIDRs',
          `CIDRNotAvailable: no remaining /${full.mask} CIDRs left to allocate in the cluster CIDR ${formatCIDR(full.cluster)}`,
        );
        continue;
      }
      spec.podCIDRs = picked.map((i, n) => {
        sets[n].used.mark(i);
        return formatCIDR(subnet(sets[n].cluster, sets[n].mask, i));
      });
    }
    // The API server keeps the two fields in step: podCIDR is podCIDRs[0].
    if (spec.podCIDRs && spec.podCIDRs.length > 0 && !spec.podCIDR) spec.podCIDR = spec.podCIDRs[0];
    if (spec.podCIDR && !spec.podCIDRs) spec.podCIDRs = [spec.podCIDR];
    // Key order as the API serialises NodeSpec: podCIDR, podCIDRs, then the rest.
    const { podCIDR, podCIDRs, ...rest } = spec;
    node.spec = { ...(podCIDR ? { podCIDR } : {}), ...(podCIDRs ? { podCIDRs } : {}), ...rest };
  }
}

function reconcile(ctx: ControllerContext): void {
  const { store, config } = ctx;
  const declared = store.list('Node');
  const nodes = declared.length > 0 ? declared : config.nodes.map(newNode);
  const before = declared.map((n) => JSON.stringify(n));
  const byName = new Map(config.nodes.map((nc) => [nc.name, nc]));
  // kind removes the control-plane taint when the cluster has no workers, so pods can run.
  const taintControlPlane = config.nodes.some((nc) => nc.role === 'worker');
  const created = declared.length === 0;
  for (const [i, node] of nodes.entries())
    fillRegistration(
      node,
      byName.get(node.metadata.name),
      created ? zoneFor(config, i) : undefined,
      taintControlPlane,
    );
  fillAddresses(ctx, nodes);
  fillPodCIDRs(ctx, nodes);
  for (const [i, node] of nodes.entries()) {
    if (i >= before.length || JSON.stringify(node) !== before[i]) store.put(node);
  }
}

export const nodeController: Controller = {
  name: 'nodes',
  reconcile(ctx: ControllerContext): void {
    ChangeTracker.of(ctx.store, 'nodes', ['Node']).run(ctx, () => reconcile(ctx));
  },
};
