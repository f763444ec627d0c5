// The model of the upstream NetworkPolicy e2e suite (kubernetes test/e2e/network/netpol), as
// podnet test data: namespaces x, y and z, each with pods a, b and c (labelled pod=<name>), every
// pod serving ports 80 and 81 over TCP, UDP and SCTP from one container per port and protocol
// (`cont-80-tcp`, port name `serve-80-tcp`). Namespaces carry only the label the API server
// gives them, kubernetes.io/metadata.name, which is what the suite's namespace selectors use.
//
// A scenario is that cluster plus its policies (and the label changes of the suite's "updated"
// cases), built the way every podnet source is built (buildCluster: admission, then the
// controllers), and checked as the suite checks it: the full 9 x 9 truth table for one port,
// each cell from evaluate(), and the same table again from the class-based computeReachability.
//
// The suite probes each pod's Service; policies see the connection after DNAT, so that is the
// pod-to-pod connection evaluated here, and the model has no Services.

import assert from 'node:assert/strict';
import {
  type ClusterConfig,
  defaultClusterConfig,
  dualStackClusterConfig,
} from '../../src/api/cluster-config.js';
import type { Container, KubeObject, Namespace, NetworkPolicy, Pod, Protocol } from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';
import { formatIP, type IPFamily } from '../../src/ip/index.js';
import { evaluate } from '../../src/netpol/evaluate.js';
import { compilePolicyModel, type PolicyModel } from '../../src/netpol/model.js';
import { computeReachability } from '../../src/netpol/reach.js';
import type { Endpoint, PortProtocol } from '../../src/netpol/types.js';
import type { Store } from '../../src/store/store.js';

const NAMESPACES = ['x', 'y', 'z'] as const;
const POD_NAMES = ['a', 'b', 'c'] as const;
/** The nine pods as `ns/name`, in the suite's order (rows and columns of every table). */
export const PODS: readonly string[] = NAMESPACES.flatMap((ns) => POD_NAMES.map((name) => `${ns}/${name}`));
/** The label the API server puts on every namespace; the suite's namespace selectors use it. */
export const NS_LABEL = 'kubernetes.io/metadata.name';

const SERVED_PORTS = [80, 81];
const SERVED_PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];
const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

/** The test name of an upstream `It`, with its context for the UDP and SCTP copies. */
export function upstream(it: string, context?: 'UDP' | 'SCTP'): string {
  const where = context ? ` [NetworkPolicy between server and client using ${context}]` : '';
  return `e2e${where}: ${it} (test/e2e/network/netpol/network_policy.go)`;
}

/** One server container per port and protocol, as the suite's model declares them. */
function serverContainer(port: number, protocol: Protocol): Container {
  const p = protocol.toLowerCase();
  const sctp = protocol === 'SCTP';
  return {
    name: `cont-${port}-${p}`,
    image: AGNHOST,
    command: sctp
      ? ['/agnhost', 'porter']
      : ['/agnhost', 'serve-hostname', `--${p}`, '--http=false', '--port', String(port)],
    env: sctp ? [{ name: `SERVE_SCTP_PORT_${port}`, value: 'foo' }] : [],
    ports: [{ containerPort: port, name: `serve-${port}-${p}`, protocol }],
  };
}

function modelObjects(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const ns of NAMESPACES) {
    const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    objects.push(namespace);
    for (const name of POD_NAMES) {
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: ns, labels: { pod: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: SERVED_PORTS.flatMap((port) =>
            SERVED_PROTOCOLS.map((proto) => serverContainer(port, proto)),
          ),
        },
      };
      objects.push(pod);
    }
  }
  return objects;
}

function build(objects: KubeObject[], config: ClusterConfig): Store {
  const snapshot = buildCluster(
    objects.map((object, i) => ({ object, origin: { file: 'e2e-model.yaml', line: i + 1 } })),
    { config },
  );
  const errors = snapshot.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(snapshot.ok, true, JSON.stringify(errors));
  return snapshot.store;
}

function ipv6ClusterConfig(): ClusterConfig {
  const dual = dualStackClusterConfig();
  const v6 = <T extends { family: IPFamily }>(list: T[]) => list.filter((c) => c.family === 'IPv6');
  return {
    ...dual,
    podSubnets: v6(dual.podSubnets),
    serviceSubnets: v6(dual.serviceSubnets),
    nodeSubnets: v6(dual.nodeSubnets),
    ipFamilies: ['IPv6'],
  };
}

/** An IPv6 single-stack cluster: the dual-stack defaults' IPv6 half alone. */
export const IPV6_CONFIG: ClusterConfig = ipv6ClusterConfig();
/** The dual-stack defaults (IPv4 primary), as kind's `ipFamily: dual`. */
export const DUAL_STACK_CONFIG: ClusterConfig = dualStackClusterConfig();

/**
 * The model's namespaces and pods as the controllers leave them (scheduled, addressed), per
 * cluster config. Scenarios start from this snapshot, so every scenario of one config sees the
 * same pod addresses, and an ipBlock can be written from them before its policy exists, as the
 * suite reads pod IPs from the running cluster. Keyed by the config object: use the exported ones.
 */
const baseSnapshots = new Map<ClusterConfig, KubeObject[]>();

function baseSnapshot(config: ClusterConfig): KubeObject[] {
  let objects = baseSnapshots.get(config);
  if (!objects) {
    const store = build(modelObjects(), config);
    objects = [];
    for (const ns of NAMESPACES) {
      const namespace = store.get('Namespace', '', ns);
      assert.ok(namespace, `namespace ${ns} not built`);
      objects.push(namespace, ...store.list('Pod', ns));
    }
    baseSnapshots.set(config, objects);
  }
  return objects;
}

/** The kind-like IPv4 defaults. */
export const IPV4_CONFIG: ClusterConfig = defaultClusterConfig();

export interface ScenarioOptions {
  /** Default: IPV4_CONFIG. One of the exported configs (scenarios share a base per config object). */
  readonly config?: ClusterConfig;
  /** The family of the matrix (default: the cluster's first, each pod's primary IP). */
  readonly family?: IPFamily;
  /** Labels added to pods (`ns/name`), as the suite's AddPodLabels does. */
  readonly podLabels?: Readonly<Record<string, Record<string, string>>>;
  /** Labels added to namespaces, as the suite's AddNamespaceLabel does. */
  readonly namespaceLabels?: Readonly<Record<string, Record<string, string>>>;
}

export interface Scenario {
  readonly store: Store;
  readonly model: PolicyModel;
  readonly family: IPFamily;
  /** The model pods, in PODS order. */
  readonly pods: readonly Pod[];
  /** A pod's address of the scenario's family, as written in an ipBlock. */
  ip(ref: string): string;
}

/** The model cluster with `policies` (and any label changes), built and compiled. */
export function scenario(policies: readonly NetworkPolicy[], options: ScenarioOptions = {}): Scenario {
  const config = options.config ?? IPV4_CONFIG;
  const family = options.family ?? config.ipFamilies[0];
  const objects = baseSnapshot(config).map((o) => {
    const copy = structuredClone(o);
    const key = o.kind === 'Pod' ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
    const added = o.kind === 'Pod' ? options.podLabels?.[key] : options.namespaceLabels?.[key];
    if (added) copy.metadata.labels = { ...copy.metadata.labels, ...added };
    return copy;
  });
  const store = build([...objects, ...policies], config);
  const model = compilePolicyModel(store);
  const pods = PODS.map((ref) => {
    const [ns, name] = ref.split('/');
    const pod = store.get('Pod', ns, name);
    assert.ok(pod, `pod ${ref} not built`);
    return pod;
  });
  return {
    store,
    model,
    family,
    pods,
    ip(ref) {
      const end = model.podEndpoint(pods[PODS.indexOf(ref)], family);
      assert.ok(end, `pod ${ref} has no ${family} address`);
      return formatIP(end.ip);
    },
  };
}

/** The suite's `NetworkPolicy` objects: a name in a namespace, and a spec as YAML would give it. */
export function policy(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** A set of pods as the suite's Peer matches them: a namespace, a pod name, both, or neither (all). */
export interface Peer {
  readonly ns?: string;
  readonly pod?: string;
}

function peerMatches(peer: Peer, ref: string): boolean {
  const [ns, name] = ref.split('/');
  return (peer.ns === undefined || peer.ns === ns) && (peer.pod === undefined || peer.pod === name);
}

/**
 * An expected truth table, built as the suite builds its Reachability: every pair starts at a
 * default, then changes apply in order, later ones overriding earlier ones.
 */
export class Expected {
  private readonly cells: boolean[];

  constructor(allowed: boolean) {
    this.cells = new Array<boolean>(PODS.length * PODS.length).fill(allowed);
  }

  /** Every pair from pods matching `from` to pods matching `to` (ExpectPeer). */
  peer(from: Peer, to: Peer, allowed: boolean): this {
    PODS.forEach((f, i) => {
      if (!peerMatches(from, f)) return;
      PODS.forEach((t, j) => {
        if (peerMatches(to, t)) this.cells[i * PODS.length + j] = allowed;
      });
    });
    return this;
  }

  /** One ordered pair (Expect). */
  pair(from: string, to: string, allowed: boolean): this {
    return this.peer(pod(from), pod(to), allowed);
  }

  /** Every connection into one pod (ExpectAllIngress). */
  allIngress(to: string, allowed: boolean): this {
    return this.peer({}, pod(to), allowed);
  }

  /** Every connection out of one pod (ExpectAllEgress). */
  allEgress(from: string, allowed: boolean): this {
    return this.peer(pod(from), {}, allowed);
  }

  get(from: number, to: number): boolean {
    return this.cells[from * PODS.length + to];
  }
}

function pod(ref: string): Peer {
  assert.ok(PODS.includes(ref), `${ref} is not a model pod`);
  const [ns, name] = ref.split('/');
  return { ns, pod: name };
}

type Table = (from: number, to: number) => boolean;

/**
 * A table as the suite's TruthTable.PrettyPrint renders it: a header row of destinations, one
 * row per source, tab-separated, `.` for true and `X` for false.
 */
function render(cell: Table): string[] {
  const rows = [['-', ...PODS].join('\t')];
  PODS.forEach((from, i) => {
    rows.push([from, ...PODS.map((_, j) => (cell(i, j) ? '.' : 'X'))].join('\t'));
  });
  return rows;
}

function mismatch(
  what: string,
  leftName: string,
  left: Table,
  rightName: string,
  right: Table,
): string | undefined {
  let differ = 0;
  for (let i = 0; i < PODS.length; i++)
    for (let j = 0; j < PODS.length; j++) if (left(i, j) !== right(i, j)) differ++;
  if (differ === 0) return undefined;
  const l = render(left);
  const r = render(right);
  const sideBySide = l.map((row, k) => `${row}\t\t${r[k]}`);
  const comparison = render((i, j) => left(i, j) === right(i, j));
  return [
    `${what}: ${differ} of ${PODS.length * PODS.length} connections differ ('.' allowed, 'X' denied; rows are sources)`,
    `${leftName} (left), ${rightName} (right):`,
    ...sideBySide,
    '',
    `comparison ('.' same, 'X' differs):`,
    ...comparison,
  ].join('\n');
}

function parsePort(spec: string): PortProtocol {
  const [port, protocol] = spec.split('/');
  assert.ok(protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP', `bad port ${spec}`);
  return { port: Number(port), protocol };
}

/**
 * Checks one port of a scenario against the expected table, as the suite's ValidateOrFail does.
 * A pod reaching itself is expected allowed whatever the policies say (the suite's
 * AllowLoopback: loopback follows no policy; its validation ignores those cells, podnet
 * defines them). The observed table is evaluate() on every ordered pair; the class-based
 * computeReachability must then give the same table.
 */
export function assertTable(s: Scenario, portSpec: string, expected: Expected): void {
  const port = parsePort(portSpec);
  const ends: Endpoint[] = s.pods.map((p, i) => {
    const end = s.model.podEndpoint(p, s.family);
    assert.ok(end, `pod ${PODS[i]} has no ${s.family} address`);
    return end;
  });
  const observed = ends.map((from) =>
    ends.map((to) => evaluate(s.model, { from, to, port: port.port, protocol: port.protocol }).allowed),
  );
  const want: Table = (i, j) => i === j || expected.get(i, j);
  const got: Table = (i, j) => observed[i][j];
  const wrong = mismatch(`${portSpec} (evaluate)`, 'expected', want, 'observed', got);
  if (wrong) assert.fail(wrong);

  const reach = computeReachability(s.model, { from: s.pods, to: s.pods, ports: [port], family: s.family });
  const index = (list: readonly Pod[]) =>
    PODS.map((ref) => list.findIndex((p) => `${p.metadata.namespace}/${p.metadata.name}` === ref));
  const rows = index(reach.from);
  const cols = index(reach.to);
  assert.ok(!rows.includes(-1) && !cols.includes(-1), 'computeReachability left out a model pod');
  const classes: Table = (i, j) => reach.allowed(rows[i], cols[j], 0);
  const diverge = mismatch(
    `${portSpec} (computeReachability)`,
    'evaluate',
    got,
    'computeReachability',
    classes,
  );
  if (diverge) assert.fail(diverge);
}
