// The `networking` section of a cluster config file (cluster-config-file.ts): address families,
// pod and service subnets, per-node pod CIDR sizes, cluster domain, NodePort range, node network
// and LoadBalancer pool, checked as kind, kube-apiserver and kube-controller-manager check them.

import {
  type CIDR,
  cidrLast,
  cidrOverlaps,
  formatCIDR,
  type IPFamily,
  parseCIDRLoose,
  parseIPRange,
} from '../ip/index.js';
import type { ClusterConfig } from './cluster-config.js';
import { type FieldPath, invalid, notSupported, required } from './errors.js';
import { isDNS1123Subdomain } from './validation/names.js';

export interface Problem {
  path: FieldPath;
  message: string;
}

/** Reads typed fields of a decoded config, collecting every problem with its field path. */
export class ConfigReader {
  constructor(readonly problems: Problem[]) {}

  invalid(path: FieldPath, value: unknown, detail: string): void {
    this.problems.push({ path, message: invalid(path, value, detail).message });
  }

  notSupported(path: FieldPath, value: unknown, supported: readonly string[]): void {
    this.problems.push({ path, message: notSupported(path, value, supported).message });
  }

  required(path: FieldPath, detail = ''): void {
    this.problems.push({ path, message: required(path, detail).message });
  }

  /** The object at path with unknown fields reported (when `known` is given); undefined if absent. */
  object(value: unknown, path: FieldPath, known?: readonly string[]): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.invalid(path, value, 'must be an object');
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      const p = path.child(k);
      // Strict decoding, as `kubectl apply --validate=strict` words it.
      if (known && !known.includes(k)) this.problems.push({ path: p, message: `unknown field "${p}"` });
    }
    return obj;
  }

  private typed<T>(
    obj: Record<string, unknown> | undefined,
    key: string,
    path: FieldPath,
    ok: (v: unknown) => v is T,
    what: string,
  ): T | undefined {
    const v = obj?.[key];
    if (v === undefined || v === null) return undefined;
    if (ok(v)) return v;
    this.invalid(path.child(key), v, `must be ${what}`);
    return undefined;
  }

  string(obj: Record<string, unknown> | undefined, key: string, path: FieldPath): string | undefined {
    return this.typed(obj, key, path, (v): v is string => typeof v === 'string', 'a string');
  }

  integer(obj: Record<string, unknown> | undefined, key: string, path: FieldPath): number | undefined {
    return this.typed(obj, key, path, (v): v is number => Number.isInteger(v), 'an integer');
  }

  list(obj: Record<string, unknown> | undefined, key: string, path: FieldPath): unknown[] | undefined {
    return this.typed(obj, key, path, (v): v is unknown[] => Array.isArray(v), 'a list');
  }
}

/** Fields of kind's `networking` that do not change the network model: accepted and ignored. */
export const KIND_IGNORED_NETWORKING = [
  'apiServerAddress',
  'apiServerPort',
  'disableDefaultCNI',
  'kubeProxyMode',
  'dnsSearch',
];
/** Fields only podnet's own format has. */
export const PODNET_NETWORKING = [
  'clusterDomain',
  'nodePortRange',
  'nodeSubnet',
  'loadBalancerPool',
  'nodeCIDRMaskSize',
];

// Defaults by family: pod and service subnets as kind sets them; the node network as kind's
// docker network is laid out; the LoadBalancer pool at the top of it, where MetalLB guides put it.
const DEFAULTS: Record<IPFamily, { pod: string; service: string; node: string; pool: string }> = {
  IPv4: {
    pod: '10.244.0.0/16',
    service: '10.96.0.0/16',
    node: '172.18.0.0/16',
    pool: '172.18.255.200-172.18.255.250',
  },
  IPv6: {
    pod: 'fd00:10:244::/56',
    service: 'fd00:10:96::/112',
    node: 'fc00:f853:ccd:e793::/64',
    pool: 'fc00:f853:ccd:e793:ffff::c8-fc00:f853:ccd:e793:ffff::fa',
  },
};
// kube-controller-manager --node-cidr-mask-size-ipv4 / -ipv6 defaults.
const MASK_DEFAULTS: Record<IPFamily, number> = { IPv4: 24, IPv6: 64 };
const BITS: Record<IPFamily, number> = { IPv4: 32, IPv6: 128 };
// kube-apiserver refuses service ranges of more than 2^20 addresses.
const MAX_SERVICE_BITS = 20;
// kube-controller-manager's CIDR set: at most 2^16 node subnets in an IPv6 cluster CIDR.
const MAX_IPV6_NODE_MASK_DIFF = 16;

type Family = 'ipv4' | 'ipv6' | 'dual';

export type Networking = Omit<ClusterConfig, 'name' | 'nodes'>;

/** The networking section; `nodeCount` sizes the node network. */
export function readNetworking(
  r: ConfigReader,
  net: Record<string, unknown> | undefined,
  path: FieldPath,
  nodeCount: number,
): Networking {
  const familyValue = r.string(net, 'ipFamily', path) ?? 'ipv4';
  let family: Family = 'ipv4';
  if (familyValue === 'ipv4' || familyValue === 'ipv6' || familyValue === 'dual') family = familyValue;
  else r.notSupported(path.child('ipFamily'), familyValue, ['ipv4', 'ipv6', 'dual']);

  const podSubnets = subnets(r, net, path, 'podSubnet', family);
  const serviceSubnets = subnets(r, net, path, 'serviceSubnet', family);
  checkServiceSubnets(r, serviceSubnets, podSubnets, path.child('serviceSubnet'));
  const ipFamilies = podSubnets.map((c) => c.family);
  const primary: IPFamily = ipFamilies[0] ?? (family === 'ipv6' ? 'IPv6' : 'IPv4');
  const taken = [...podSubnets, ...serviceSubnets];

  const clusterDomain = r.string(net, 'clusterDomain', path) ?? 'cluster.local';
  for (const m of isDNS1123Subdomain(clusterDomain)) r.invalid(path.child('clusterDomain'), clusterDomain, m);

  return {
    clusterDomain,
    podSubnets,
    nodeMaskSize: maskSizes(r, net, path, podSubnets),
    serviceSubnets,
    nodePortRange: portRange(
      r,
      r.string(net, 'nodePortRange', path) ?? '30000-32767',
      path.child('nodePortRange'),
    ),
    nodeSubnets: nodeSubnets(
      r,
      subnets(r, net, path, 'nodeSubnet', family),
      path.child('nodeSubnet'),
      ipFamilies,
      taken,
      nodeCount,
    ),
    loadBalancerPool: pool(
      r,
      r.list(net, 'loadBalancerPool', path) ?? [DEFAULTS[primary].pool],
      path.child('loadBalancerPool'),
      ipFamilies,
      taken,
    ),
    ipFamilies,
  };
}

const SUBNET_DEFAULT = { podSubnet: 'pod', serviceSubnet: 'service', nodeSubnet: 'node' } as const;

/**
 * podSubnet / serviceSubnet (and podnet's nodeSubnet, read the same way): comma-separated CIDRs,
 * checked against ipFamily as kind checks its own.
 */
function subnets(
  r: ConfigReader,
  net: Record<string, unknown> | undefined,
  netPath: FieldPath,
  key: keyof typeof SUBNET_DEFAULT,
  family: Family,
): CIDR[] {
  const path = netPath.child(key);
  const what = SUBNET_DEFAULT[key];
  const text =
    r.string(net, key, netPath) ??
    (family === 'dual'
      ? `${DEFAULTS.IPv4[what]},${DEFAULTS.IPv6[what]}`
      : DEFAULTS[family === 'ipv6' ? 'IPv6' : 'IPv4'][what]);
  const out: CIDR[] = [];
  for (const part of text.split(',')) {
    // Host bits are cleared, as kind and Kubernetes (net.ParseCIDR) do.
    const c = parseCIDRLoose(part.trim());
    if (!c) {
      r.invalid(path, text, `${JSON.stringify(part.trim())} is not a CIDR`);
      return [];
    }
    out.push(c);
  }
  if (family === 'dual') {
    if (out.length !== 2 || out[0].family === out[1].family)
      r.invalid(path, text, 'dual-stack needs two CIDRs, one IPv4 and one IPv6');
  } else if (out.length !== 1) {
    r.invalid(path, text, 'only one CIDR allowed for single-stack networking');
  } else if (out[0].family !== (family === 'ipv4' ? 'IPv4' : 'IPv6')) {
    r.invalid(path, text, `expected an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR for ipFamily ${family}`);
  }
  return out;
}

function checkServiceSubnets(r: ConfigReader, services: CIDR[], pods: CIDR[], path: FieldPath): void {
  for (const s of services) {
    const text = formatCIDR(s);
    const hostBits = BITS[s.family] - s.prefix;
    if (hostBits > MAX_SERVICE_BITS) {
      r.invalid(
        path,
        text,
        `too large; for ${BITS[s.family]}-bit addresses, the mask must be >= ${BITS[s.family] - MAX_SERVICE_BITS}`,
      );
    }
    // The kubernetes Service takes the 1st address and kube-dns the 10th.
    if (hostBits < 4)
      r.invalid(path, text, 'too small; it must hold at least 16 addresses (kube-dns is the 10th)');
    for (const p of pods)
      if (cidrOverlaps(s, p)) r.invalid(path, text, `overlaps the pod subnet ${formatCIDR(p)}`);
  }
}

/** nodeCIDRMaskSize: {ipv4, ipv6}, as kube-controller-manager's --node-cidr-mask-size-ipv4/-ipv6. */
function maskSizes(
  r: ConfigReader,
  net: Record<string, unknown> | undefined,
  netPath: FieldPath,
  pods: CIDR[],
): Record<IPFamily, number> {
  const path = netPath.child('nodeCIDRMaskSize');
  const obj = r.object(net?.nodeCIDRMaskSize, path, ['ipv4', 'ipv6']);
  const sizes = { ...MASK_DEFAULTS };
  for (const family of ['IPv4', 'IPv6'] as const) {
    const key = family === 'IPv4' ? 'ipv4' : 'ipv6';
    const size = r.integer(obj, key, path) ?? MASK_DEFAULTS[family];
    sizes[family] = size;
    const pod = pods.find((c) => c.family === family);
    if (!pod) continue;
    if (size < pod.prefix || size > BITS[family]) {
      r.invalid(
        path.child(key),
        size,
        `must be between the pod subnet's prefix length (${pod.prefix}) and ${BITS[family]}, inclusive`,
      );
    } else if (family === 'IPv6' && size - pod.prefix > MAX_IPV6_NODE_MASK_DIFF) {
      r.invalid(
        path.child(key),
        size,
        `must be at most ${MAX_IPV6_NODE_MASK_DIFF} more than the pod subnet's prefix length (${pod.prefix})`,
      );
    }
  }
  return sizes;
}

/** "30000-32767" or "30000+2767", as kube-apiserver's --service-node-port-range takes it. */
function portRange(r: ConfigReader, text: string, path: FieldPath): { min: number; max: number } {
  const m = /^\s*(\d+)\s*([-+])\s*(\d+)\s*$/.exec(text);
  const min = m ? Number(m[1]) : Number.NaN;
  const max = m ? (m[2] === '+' ? min + Number(m[3]) : Number(m[3])) : Number.NaN;
  if (min >= 1 && max <= 65535 && min <= max) return { min, max };
  r.invalid(path, text, 'must be a port range "min-max" within 1-65535, with min <= max');
  return { min: 30000, max: 32767 };
}

/**
 * The node network, one CIDR per family (ordered primary first, whatever order they were written
 * in): clear of pod and service subnets, with room for the nodes.
 */
function nodeSubnets(
  r: ConfigReader,
  cidrs: CIDR[],
  path: FieldPath,
  families: IPFamily[],
  taken: CIDR[],
  nodeCount: number,
): CIDR[] {
  for (const c of cidrs) {
    const text = formatCIDR(c);
    for (const o of taken) if (cidrOverlaps(c, o)) r.invalid(path, text, `overlaps ${formatCIDR(o)}`);
    // As in kind's docker network: the first address is the network, the next the gateway.
    if (BigInt(nodeCount + 2) >= 2n ** BigInt(BITS[c.family] - c.prefix))
      r.invalid(path, text, `too small for ${nodeCount} nodes (node addresses start at the second host)`);
  }
  const rank = (c: CIDR) => {
    const i = families.indexOf(c.family);
    return i < 0 ? families.length : i;
  };
  return [...cidrs].sort((a, b) => rank(a) - rank(b));
}

/** LoadBalancer pool: ranges `first-last` or CIDRs, of a cluster family, clear of pod and service subnets. */
function pool(
  r: ConfigReader,
  entries: unknown[],
  path: FieldPath,
  families: IPFamily[],
  taken: CIDR[],
): ClusterConfig['loadBalancerPool'] {
  const out: ClusterConfig['loadBalancerPool'] = [];
  entries.forEach((entry, i) => {
    const p = path.index(i);
    const range = typeof entry === 'string' ? parseIPRange(entry) : undefined;
    if (!range) {
      r.invalid(p, entry, 'must be an address range (first-last) or a CIDR');
      return;
    }
    if (!families.includes(range.first.family))
      r.invalid(p, entry, `is ${range.first.family}, but the cluster is ${families.join(' and ')}`);
    for (const c of taken) {
      const overlaps =
        c.family === range.first.family &&
        range.first.value <= cidrLast(c).value &&
        c.base <= range.last.value;
      if (overlaps) r.invalid(p, entry, `overlaps ${formatCIDR(c)}`);
    }
    out.push(range);
  });
  return out;
}
