// The Kubernetes scale envelope as manifests: 5,000 nodes, 1,000 namespaces, 10,000 Services and
// Deployments/StatefulSets whose replicas add up to exactly 150,000 pods. Deterministic: a seeded
// PRNG of its own (a benchmark input, not a compute path), so every run measures the same cluster.

import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import type {
  Container,
  Deployment,
  KubeObject,
  Namespace,
  Node,
  Service,
  ServicePort,
  StatefulSet,
} from '../../src/api/types.js';
import type { LoadedObject } from '../../src/cluster/build.js';
import { parseCIDR } from '../../src/ip/index.js';

/** The envelope at scale 1 (Kubernetes "Considerations for large clusters"). */
export const ENVELOPE = { nodes: 5000, namespaces: 1000, services: 10000, pods: 150000 } as const;

// Shares of the generated objects. One Service per workload, so workloads = services.
const STATEFULSET_SHARE = 0.1;
const HEADLESS_SHARE = 0.05;
const NODEPORT_SHARE = 0.03;
const LOADBALANCERS = 40;
const MIN_REPLICAS = 5;
const MAX_REPLICAS = 40;
const ZONES = ['zone-a', 'zone-b', 'zone-c'];
const TIERS = ['frontend', 'backend', 'cache', 'db', 'worker', 'api'];
const WORDS = [
  'cart',
  'checkout',
  'search',
  'auth',
  'billing',
  'catalog',
  'ledger',
  'mailer',
  'render',
  'quotes',
];
const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

export interface ScaleCounts {
  nodes: number;
  namespaces: number;
  services: number;
  pods: number;
  deployments: number;
  statefulSets: number;
  headless: number;
  nodePorts: number;
  loadBalancers: number;
}

export interface GeneratedEnvelope {
  objects: LoadedObject[];
  config: ClusterConfig;
  counts: ScaleCounts;
}

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for shaping benchmark inputs. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The cluster config the envelope needs: the default /16 pod CIDR holds only 256 node /24s, so
 * pods come from 10.128.0.0/11 (8,192 node CIDRs, clear of the 10.96.0.0/16 Service CIDR), and
 * the nodes are the generated Node objects.
 */
export function scaleClusterConfig(): ClusterConfig {
  const config = defaultClusterConfig('scale');
  const pods = parseCIDR('10.128.0.0/11');
  if (!pods) throw new RangeError('bad built-in pod CIDR');
  config.podSubnets = [pods];
  config.nodes = [];
  return config;
}

export function countsFor(scale: number): ScaleCounts {
  const services = Math.max(1, Math.round(ENVELOPE.services * scale));
  const statefulSets = Math.round(services * STATEFULSET_SHARE);
  return {
    nodes: Math.max(1, Math.round(ENVELOPE.nodes * scale)),
    namespaces: Math.max(1, Math.round(ENVELOPE.namespaces * scale)),
    services,
    pods: Math.round(ENVELOPE.pods * scale),
    deployments: services - statefulSets,
    statefulSets,
    headless: Math.min(statefulSets, Math.round(services * HEADLESS_SHARE)),
    nodePorts: Math.round(services * NODEPORT_SHARE),
    loadBalancers: Math.round(LOADBALANCERS * scale),
  };
}

/**
 * Replicas per workload between 5 and 40, skewed towards small (most workloads are small, a few
 * are large), then nudged one at a time until they add up to exactly `total`.
 */
function replicaCounts(workloads: number, total: number, rand: () => number): number[] {
  const replicas = Array.from({ length: workloads }, () =>
    Math.round(MIN_REPLICAS + (MAX_REPLICAS - MIN_REPLICAS) * rand() ** 2.2),
  );
  let diff = total - replicas.reduce((a, b) => a + b, 0);
  // With a mean near total/workloads the nudging ends quickly; the bounds keep it feasible.
  const lo = Math.min(MIN_REPLICAS, Math.floor(total / workloads));
  const hi = Math.max(MAX_REPLICAS, Math.ceil(total / workloads));
  while (diff !== 0) {
    const i = Math.floor(rand() * workloads);
    if (diff > 0 && replicas[i] < hi) {
      replicas[i]++;
      diff--;
    } else if (diff < 0 && replicas[i] > lo) {
      replicas[i]--;
      diff++;
    }
  }
  return replicas;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function node(name: string, zone: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': zone,
      },
    },
  };
}

function container(named: boolean, metrics: boolean): Container {
  const ports: Container['ports'] = [
    { containerPort: 8080, protocol: 'TCP', ...(named ? { name: 'http' } : {}) },
  ];
  if (metrics) ports.push({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
  return { name: 'main', image: IMAGE, args: ['netexec', '--http-port=8080'], ports };
}

interface Workload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  labels: Record<string, string>;
  replicas: number;
  namedPort: boolean;
  metrics: boolean;
  headless: boolean;
}

function workloadObject(w: Workload): Deployment | StatefulSet {
  const selector = { matchLabels: { app: w.labels.app } };
  const template = {
    metadata: { labels: w.labels },
    spec: { containers: [container(w.namedPort, w.metrics)] },
  };
  const metadata = { name: w.name, namespace: w.namespace, labels: w.labels };
  if (w.kind === 'Deployment') {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: { replicas: w.replicas, selector, template },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata,
    spec: { replicas: w.replicas, serviceName: w.name, podManagementPolicy: 'Parallel', selector, template },
  };
}

function serviceObject(w: Workload, type: Service['spec']['type'], broad: boolean): Service {
  const ports: ServicePort[] = [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: w.namedPort ? 'http' : 8080 },
  ];
  if (w.metrics) ports.push({ name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' });
  // A few Services select by shared labels (team and tier), so they span several workloads.
  const selector: Record<string, string> =
    broad && w.labels.team && w.labels.tier
      ? { team: w.labels.team, tier: w.labels.tier }
      : { app: w.labels.app };
  const spec: Service['spec'] = { selector, ports };
  if (w.headless) spec.clusterIP = 'None';
  else if (type !== 'ClusterIP') spec.type = type;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: w.name, namespace: w.namespace }, spec };
}

/** The envelope scaled by `scale` (1 = the full envelope), from `seed`. */
export function generateEnvelope(scale = 1, seed = 1): GeneratedEnvelope {
  const rand = mulberry32(seed);
  const counts = countsFor(scale);
  const origin = { file: 'generated' };
  const out: LoadedObject[] = [];
  const push = (object: KubeObject) => out.push({ object, origin });

  const nodeWidth = Math.max(4, String(counts.nodes).length);
  for (let i = 1; i <= counts.nodes; i++) push(node(`node-${pad(i, nodeWidth)}`, ZONES[i % ZONES.length]));

  const nsWidth = Math.max(4, String(counts.namespaces).length);
  const namespaces = Array.from({ length: counts.namespaces }, (_, i) => `ns-${pad(i + 1, nsWidth)}`);
  for (const name of namespaces) {
    const ns: Namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { team: `team-${name.slice(3)}` } },
    };
    push(ns);
  }

  const replicas = replicaCounts(counts.services, counts.pods, rand);
  const workloads: Workload[] = [];
  for (let i = 0; i < counts.services; i++) {
    // Namespaces are skewed too: low-numbered ones hold many workloads, the tail a few.
    const namespace = namespaces[Math.floor(counts.namespaces * rand() ** 1.5)];
    const name = `${WORDS[i % WORDS.length]}-${pad(i + 1, 5)}`;
    // 2-4 labels: app and tier always, then team, then version.
    const labels: Record<string, string> = { app: name, tier: TIERS[Math.floor(rand() * TIERS.length)] };
    const extra = Math.floor(rand() * 3);
    if (extra >= 1) labels.team = `team-${Math.floor(rand() * 50)}`;
    if (extra >= 2) labels.version = rand() < 0.8 ? 'v1' : 'v2';
    const isSts = i < counts.statefulSets;
    workloads.push({
      kind: isSts ? 'StatefulSet' : 'Deployment',
      name,
      namespace,
      labels,
      replicas: replicas[i],
      namedPort: rand() < 0.6,
      metrics: rand() < 0.3,
      headless: isSts && i < counts.headless,
    });
  }
  for (const w of workloads) push(workloadObject(w));

  // NodePort and LoadBalancer Services, spread evenly over the Deployments' Services.
  const types = new Map<number, Service['spec']['type']>();
  const exposed = counts.nodePorts + counts.loadBalancers;
  const step = counts.deployments / Math.max(1, exposed);
  for (let k = 0; k < Math.min(exposed, counts.deployments); k++) {
    types.set(
      counts.statefulSets + Math.floor(k * step),
      k < counts.loadBalancers ? 'LoadBalancer' : 'NodePort',
    );
  }
  for (let i = 0; i < workloads.length; i++) {
    push(serviceObject(workloads[i], types.get(i) ?? 'ClusterIP', rand() < 0.02));
  }
  return { objects: out, config: scaleClusterConfig(), counts };
}
