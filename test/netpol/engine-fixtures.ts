// Small clusters for the NetworkPolicy engine tests, built the way every source builds one
// (buildCluster: admission with its defaults, then the controllers), and shorthands that name
// connection ends the way `podnet trace` does: `ns/pod`, `node/NAME`, or an IP address.

import assert from 'node:assert/strict';
import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import type {
  ContainerPort,
  KubeObject,
  Namespace,
  NetworkPolicy,
  Pod,
  PodPhase,
  Protocol,
} from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';
import { type IPFamily, parseIP } from '../../src/ip/index.js';
import { evaluate, evaluateDirection } from '../../src/netpol/evaluate.js';
import { compilePolicyModel, type PolicyModel } from '../../src/netpol/model.js';
import type {
  Connection,
  DirectionVerdict,
  Endpoint,
  PolicyDirection,
  Verdict,
} from '../../src/netpol/types.js';
import type { Store } from '../../src/store/store.js';

export function namespace(name: string, labels: Record<string, string> = {}): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface PodOptions {
  labels?: Record<string, string>;
  /** Reported addresses (a snapshot); absent: the kubelet allocates. */
  ips?: string[];
  node?: string;
  hostNetwork?: boolean;
  phase?: PodPhase;
  ports?: ContainerPort[];
}

/** A pod `ns/name`; with `ips` it is a Running snapshot on `node` (default podnet-worker). */
export function pod(ref: string, options: PodOptions = {}): Pod {
  const [namespace, name] = ref.split('/');
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: {
      containers: [
        { name: 'main', image: 'registry.k8s.io/e2e-test-images/agnhost:2.52', ports: options.ports ?? [] },
      ],
    },
  };
  if (options.node) p.spec.nodeName = options.node;
  if (options.hostNetwork) p.spec.hostNetwork = true;
  if (options.ips) {
    p.spec.nodeName ??= 'podnet-worker';
    p.status = {
      phase: options.phase ?? 'Running',
      podIP: options.ips[0],
      podIPs: options.ips.map((ip) => ({ ip })),
    };
  }
  return p;
}

export function policy(ref: string, spec: Partial<NetworkPolicy['spec']>): NetworkPolicy {
  const [namespace, name] = ref.split('/');
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: {}, ...spec },
  };
}

export interface EngineCluster {
  readonly store: Store;
  readonly model: PolicyModel;
  pod(ref: string): Pod;
  /** `ns/name` (a pod), `node/NAME`, or an IP address (whatever holds it, else external). */
  end(spec: string, family?: IPFamily): Endpoint;
  conn(from: string, to: string, port: number, protocol?: Protocol, family?: IPFamily): Connection;
  verdict(from: string, to: string, port: number, protocol?: Protocol, family?: IPFamily): Verdict;
  direction(
    dir: PolicyDirection,
    from: string,
    to: string,
    port: number,
    protocol?: Protocol,
  ): DirectionVerdict;
  allowed(from: string, to: string, port: number, protocol?: Protocol, family?: IPFamily): boolean;
}

export function engine(objects: KubeObject[], config: ClusterConfig = defaultClusterConfig()): EngineCluster {
  const snap = buildCluster(
    objects.map((object, i) => ({ object, origin: { file: 'netpol.yaml', line: i * 20 + 1 } })),
    { config },
  );
  const errors = snap.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(snap.ok, true, JSON.stringify(errors));
  const store = snap.store;
  const model = compilePolicyModel(store);
  const c: EngineCluster = {
    store,
    model,
    pod(ref) {
      const [ns, name] = ref.split('/');
      const p = store.get('Pod', ns, name);
      assert.ok(p, `no pod ${ref}`);
      return p;
    },
    end(spec, family) {
      if (spec.startsWith('node/')) {
        const e = model.nodeEndpoint(spec.slice(5), family);
        assert.ok(e, `no address for ${spec}`);
        return e;
      }
      const ip = parseIP(spec);
      if (ip) return model.ipEndpoint(ip);
      const e = model.podEndpoint(c.pod(spec), family);
      assert.ok(e, `no address for ${spec}`);
      return e;
    },
    conn: (from, to, port, protocol = 'TCP', family) => ({
      from: c.end(from, family),
      to: c.end(to, family),
      port,
      protocol,
    }),
    verdict: (from, to, port, protocol, family) => evaluate(model, c.conn(from, to, port, protocol, family)),
    direction: (dir, from, to, port, protocol) =>
      evaluateDirection(model, c.conn(from, to, port, protocol), dir),
    allowed: (from, to, port, protocol, family) => c.verdict(from, to, port, protocol, family).allowed,
  };
  return c;
}

/** Ports 80 and 81 over TCP, UDP and SCTP, named as the upstream e2e pods name them. */
export const SERVE_PORTS: ContainerPort[] = (['TCP', 'UDP', 'SCTP'] as const).flatMap((protocol) =>
  [80, 81].map((containerPort) => ({
    name: `serve-${containerPort}-${protocol.toLowerCase()}`,
    containerPort,
    protocol,
  })),
);

/**
 * The upstream e2e model: namespaces x, y, z (labelled ns=<name>) with pods a, b, c (labelled
 * pod=<name>) serving 80 and 81 over TCP, UDP and SCTP; pods spread over both workers.
 */
export function xyz(extra: KubeObject[] = []): EngineCluster {
  const objects: KubeObject[] = [];
  ['x', 'y', 'z'].forEach((ns, i) => {
    objects.push(namespace(ns, { ns }));
    ['a', 'b', 'c'].forEach((name, j) => {
      const worker = j === 2 ? 2 : 1;
      objects.push(
        pod(`${ns}/${name}`, {
          labels: { pod: name },
          ips: [`10.244.${worker}.${10 + i * 3 + j}`],
          node: worker === 1 ? 'podnet-worker' : 'podnet-worker2',
          ports: SERVE_PORTS,
        }),
      );
    });
  });
  return engine([...objects, ...extra]);
}

export const XYZ_PODS = ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c'];

/**
 * The truth table of the nine pods for one port, as the upstream e2e suite prints it: one row
 * per source, `.` allowed and `X` denied (truthtable.go), the diagonal included.
 */
export function truthTable(c: EngineCluster, port: number, protocol: Protocol = 'TCP'): string[] {
  return XYZ_PODS.map((from) =>
    XYZ_PODS.map((to) => (c.allowed(from, to, port, protocol) ? '.' : 'X')).join(''),
  );
}
