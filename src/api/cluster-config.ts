// The cluster's own settings: CIDRs, ranges, domain and node list. Defaults follow kind and
// kubeadm (DESIGN.md, "Defaults"); a cluster config file may change any of them.

import { type CIDR, type IP, type IPFamily, parseCIDR, parseIPRange } from '../ip/index.js';

export interface NodeConfig {
  name: string;
  role: 'control-plane' | 'worker';
  labels?: Record<string, string>;
}

export interface ClusterConfig {
  /** Lab / cluster name; node names and zones are derived from it as kind derives them. */
  name: string;
  clusterDomain: string;
  /** Pod CIDRs, primary family first (one per family). */
  podSubnets: CIDR[];
  /** Per-node pod CIDR prefix length by family (kube-controller-manager --node-cidr-mask-size-*). */
  nodeMaskSize: Record<IPFamily, number>;
  /** Service CIDRs, primary family first. */
  serviceSubnets: CIDR[];
  nodePortRange: { min: number; max: number };
  /** The node network, one CIDR per family, primary first; nodes get addresses from `.2` on. */
  nodeSubnets: CIDR[];
  /** Addresses handed to LoadBalancer Services, in order. */
  loadBalancerPool: { first: IP; last: IP }[];
  nodes: NodeConfig[];
  /** Family order of the cluster (primary first), from podSubnets. */
  ipFamilies: IPFamily[];
}

function cidr(s: string): CIDR {
  const c = parseCIDR(s);
  if (!c) throw new Error(`bad built-in CIDR ${s}`);
  return c;
}

export function defaultNodes(name: string): NodeConfig[] {
  return [
    { name: `${name}-control-plane`, role: 'control-plane' },
    { name: `${name}-worker`, role: 'worker' },
    { name: `${name}-worker2`, role: 'worker' },
  ];
}

export function defaultClusterConfig(name = 'podnet'): ClusterConfig {
  const range = parseIPRange('172.18.255.200-172.18.255.250');
  if (!range) throw new Error('bad built-in load balancer pool');
  return {
    name,
    clusterDomain: 'cluster.local',
    podSubnets: [cidr('10.244.0.0/16')],
    nodeMaskSize: { IPv4: 24, IPv6: 64 },
    serviceSubnets: [cidr('10.96.0.0/16')],
    nodePortRange: { min: 30000, max: 32767 },
    nodeSubnets: [cidr('172.18.0.0/16')],
    loadBalancerPool: [range],
    nodes: defaultNodes(name),
    ipFamilies: ['IPv4'],
  };
}

/** The dual-stack variant of the defaults (IPv4 primary), as kind's `ipFamily: dual`. */
export function dualStackClusterConfig(name = 'podnet'): ClusterConfig {
  const c = defaultClusterConfig(name);
  c.podSubnets.push(cidr('fd00:10:244::/56'));
  c.serviceSubnets.push(cidr('fd00:10:96::/112'));
  // kind's docker network is dual-stack; its IPv6 subnet is fixed.
  c.nodeSubnets.push(cidr('fc00:f853:ccd:e793::/64'));
  c.ipFamilies = ['IPv4', 'IPv6'];
  return c;
}

/** The Service CIDR of one family, if the cluster has that family. */
export function serviceSubnetFor(config: ClusterConfig, family: IPFamily): CIDR | undefined {
  return config.serviceSubnets.find((c) => c.family === family);
}

export function podSubnetFor(config: ClusterConfig, family: IPFamily): CIDR | undefined {
  return config.podSubnets.find((c) => c.family === family);
}

/** Well-known addresses: the `kubernetes` Service is the first address, `kube-dns` the tenth. */
export function wellKnownServiceIP(config: ClusterConfig, offset: 1 | 10): IP {
  const subnet = config.serviceSubnets[0];
  return { family: subnet.family, value: subnet.base + BigInt(offset) };
}
