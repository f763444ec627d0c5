import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import type { Pod } from '../../src/api/types.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { kubeletController } from '../../src/controllers/kubelet/kubelet.js';
import { CORE, cluster, node, pod, pods, settle, warnings } from './core-fixtures.js';

const KUBELET = [nodeController, kubeletController];
const on = (nodeName: string, extra: Partial<Pod['spec']> = {}) => ({ nodeName, ...extra });
const ips = (ctx: ReturnType<typeof cluster>) => pods(ctx).map((p) => p.status?.podIP);
const hostPort = (port: number): Partial<Pod['spec']> => ({
  containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: port, protocol: 'TCP' }] }],
});

test("kubelet IPAM: pods get the next free address of their node's podCIDR from .2 (.0 network, .1 the ptp gateway), in namespace/name order", () => {
  const ctx = cluster([
    pod('b', on('podnet-worker')),
    pod('a', on('podnet-worker')),
    pod('c', on('podnet-worker2')),
  ]);
  settle(ctx, KUBELET);
  assert.deepEqual(ips(ctx), ['10.244.1.3', '10.244.1.2', '10.244.2.2']);
});

test('kubelet: a started pod is Running and Ready, with hostIP(s), podIP(s), conditions and container statuses', () => {
  const ctx = cluster([pod('a', on('podnet-worker'))]);
  settle(ctx, KUBELET);
  assert.deepEqual(pods(ctx)[0].status, {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'ContainersReady', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    hostIP: '172.18.0.3',
    hostIPs: [{ ip: '172.18.0.3' }],
    podIP: '10.244.1.2',
    podIPs: [{ ip: '10.244.1.2' }],
    containerStatuses: [
      {
        name: 'app',
        image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
        imageID: '',
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: {} },
      },
    ],
  });
});

test('kubelet: dual-stack pods get one address per node podCIDR, primary family first', () => {
  const ctx = cluster([pod('a', on('podnet-worker'))], dualStackClusterConfig());
  settle(ctx, KUBELET);
  assert.deepEqual(pods(ctx)[0].status?.podIPs, [{ ip: '10.244.1.2' }, { ip: 'fd00:10:244:1::2' }]);
});

test("kubelet: hostNetwork pods use the node's InternalIP and no pod CIDR address", () => {
  const ctx = cluster([
    pod('host', on('podnet-worker', { hostNetwork: true })),
    pod('plain', on('podnet-worker')),
  ]);
  settle(ctx, KUBELET);
  assert.deepEqual(ips(ctx), ['172.18.0.3', '10.244.1.2']);
});

test('kubelet: on dual-stack, hostNetwork pods get both node InternalIPs as podIPs, and every pod both as hostIPs, primary family first', () => {
  const ctx = cluster(
    [pod('host', on('podnet-worker', { hostNetwork: true })), pod('plain', on('podnet-worker'))],
    dualStackClusterConfig(),
  );
  settle(ctx, KUBELET);
  const nodeIPs = [{ ip: '172.18.0.3' }, { ip: 'fc00:f853:ccd:e793::3' }];
  const [host, plain] = pods(ctx);
  assert.deepEqual(host.status?.podIPs, nodeIPs);
  assert.equal(host.status?.podIP, '172.18.0.3');
  assert.deepEqual(host.status?.hostIPs, nodeIPs);
  assert.deepEqual(plain.status?.hostIPs, nodeIPs);
  assert.equal(plain.status?.hostIP, '172.18.0.3');
});

test("kubelet: a hostNetwork snapshot pod reporting only its primary IP gets the node's second family added (kubelet, kubernetes#105320)", () => {
  const snapshot = pod('host', on('podnet-worker', { hostNetwork: true }));
  snapshot.status = {
    phase: 'Running',
    hostIP: '172.18.0.3',
    hostIPs: [{ ip: '172.18.0.3' }],
    podIP: '172.18.0.3',
    podIPs: [{ ip: '172.18.0.3' }],
  };
  const ctx = cluster([snapshot], dualStackClusterConfig());
  settle(ctx, KUBELET);
  assert.deepEqual(pods(ctx)[0].status?.podIPs, [{ ip: '172.18.0.3' }, { ip: 'fc00:f853:ccd:e793::3' }]);
});

test('kubelet: reported pod IPs are honoured and never handed out again; only missing addresses are filled', () => {
  const snapshot = pod('old', on('podnet-worker'));
  snapshot.status = {
    phase: 'Running',
    hostIP: '172.18.0.3',
    podIP: '10.244.1.2',
    podIPs: [{ ip: '10.244.1.2' }],
    conditions: [{ type: 'Ready', status: 'False' }],
  };
  const noIP = pod('creating', on('podnet-worker'));
  noIP.status = { phase: 'Pending', hostIP: '172.18.0.3', hostIPs: [{ ip: '172.18.0.3' }] };
  const ctx = cluster([snapshot, noIP, pod('new', on('podnet-worker'))]);
  settle(ctx, KUBELET);
  assert.deepEqual(ips(ctx), ['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  const [old, creating] = pods(ctx);
  assert.deepEqual(
    old.status?.conditions,
    [{ type: 'Ready', status: 'False' }],
    'a snapshot keeps its conditions',
  );
  assert.equal(creating.status?.phase, 'Pending', 'a snapshot keeps its phase');
});

test('kubelet: a terminating snapshot pod keeps its status and deletionTimestamp; a new pod does not take its address', () => {
  const going = pod('going', on('podnet-worker'), { deletionTimestamp: '2024-01-01T00:00:00Z' });
  going.status = {
    phase: 'Running',
    hostIP: '172.18.0.3',
    hostIPs: [{ ip: '172.18.0.3' }],
    podIP: '10.244.1.2',
    podIPs: [{ ip: '10.244.1.2' }],
    conditions: [{ type: 'Ready', status: 'False' }],
  };
  const before = JSON.stringify(going.status);
  const ctx = cluster([going, pod('new', on('podnet-worker'))]);
  settle(ctx, KUBELET);
  assert.equal(JSON.stringify(pods(ctx)[0].status), before);
  assert.equal(pods(ctx)[0].metadata.deletionTimestamp, '2024-01-01T00:00:00Z');
  assert.equal(pods(ctx)[1].status?.podIP, '10.244.1.3');
});

test("kubelet: two pods reporting one IP, and an IP outside the node's podCIDR, are warnings; both are kept", () => {
  const reporting = (name: string, ip: string) => {
    const p = pod(name, on('podnet-worker'));
    p.status = { phase: 'Running', hostIP: '172.18.0.3', podIP: ip };
    return p;
  };
  const ctx = cluster([
    reporting('a', '10.244.1.7'),
    reporting('b', '10.244.1.7'),
    reporting('c', '10.9.9.9'),
  ]);
  settle(ctx, KUBELET);
  assert.deepEqual(ips(ctx), ['10.244.1.7', '10.244.1.7', '10.9.9.9']);
  assert.deepEqual(warnings(ctx), [
    'Pod default/b: status.podIPs: pod IP 10.244.1.7 is also reported by pod default/a',
    'Pod default/c: status.podIPs: pod IP 10.9.9.9 is outside the podCIDRs of node podnet-worker; kept as reported',
  ]);
});

test('kubelet: a pod bound to a node that does not exist is a warning and stays as it is', () => {
  const ctx = cluster([pod('lost', on('gone'))]);
  settle(ctx, KUBELET);
  assert.equal(pods(ctx)[0].status, undefined);
  assert.deepEqual(warnings(ctx), [
    'Pod default/lost: spec.nodeName: node "gone" does not exist; the pod is left as it is',
  ]);
});

test('kubelet rejects pod with hostPort conflict (predicate NodePorts): phase Failed, reason NodePorts, "Pod was rejected: ..."', () => {
  const ctx = cluster([
    pod('first', on('podnet-worker', hostPort(8080))),
    pod('second', on('podnet-worker', hostPort(8080))),
    pod('other-node', on('podnet-worker2', hostPort(8080))),
  ]);
  settle(ctx, KUBELET);
  const [first, second, other] = pods(ctx);
  assert.equal(first.status?.phase, 'Running');
  assert.equal(other.status?.phase, 'Running');
  assert.deepEqual(second.status, {
    phase: 'Failed',
    message:
      "Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
    reason: 'NodePorts',
  });
  assert.equal(second.status?.podIP, undefined, 'a failed pod gets no address');
  assert.deepEqual(warnings(ctx), [
    "Pod default/second: spec.nodeName: NodePorts: Pod was rejected: Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports",
  ]);
});

test('kubelet admission: a pod whose nodeName ignores its nodeSelector fails with NodeAffinity; an untolerated NoExecute taint with TaintToleration', () => {
  const ctx = cluster([
    node('n1', { spec: { taints: [{ key: 'evict', effect: 'NoExecute' }] } }),
    node('n2'),
    pod('picky', on('n2', { nodeSelector: { disktype: 'ssd' } })),
    pod('evicted', on('n1')),
  ]);
  settle(ctx, KUBELET);
  assert.deepEqual(
    pods(ctx).map((p) => [p.status?.phase, p.status?.reason, p.status?.message]),
    [
      [
        'Failed',
        'NodeAffinity',
        "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
      ],
      [
        'Failed',
        'TaintToleration',
        "Pod was rejected: Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
      ],
    ],
  );
});

test("kubelet admission: pods beyond the node's pod capacity fail with OutOfpods", () => {
  const ctx = cluster([
    node('n', { status: { allocatable: { pods: '1' } } }),
    pod('a', on('n')),
    pod('b', on('n')),
  ]);
  settle(ctx, KUBELET);
  assert.deepEqual(
    pods(ctx).map((p) => p.status?.reason),
    [undefined, 'OutOfpods'],
  );
  assert.equal(
    pods(ctx)[1].status?.message,
    "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1",
  );
});

test('kubelet: unscheduled pods and Succeeded/Failed pods get no address', () => {
  const done = pod('done', on('podnet-worker'));
  done.status = { phase: 'Succeeded' };
  const ctx = cluster([done, pod('unbound')]);
  settle(ctx, KUBELET);
  assert.deepEqual(ips(ctx), [undefined, undefined]);
});

test("kubelet IPAM: an exhausted podCIDR leaves the pod Pending (ContainerCreating) with host-local's error as a warning", () => {
  const small = node('n', { spec: { podCIDRs: ['10.244.9.0/30'] } });
  const ctx = cluster([small, pod('a', on('n')), pod('b', on('n'))]);
  settle(ctx, KUBELET);
  const [a, b] = pods(ctx);
  assert.equal(a.status?.podIP, '10.244.9.2');
  assert.equal(b.status?.phase, 'Pending');
  assert.equal(b.status?.podIP, undefined);
  assert.equal(b.status?.hostIP, '172.18.0.2');
  assert.deepEqual(warnings(ctx), [
    'Pod default/b: status.podIPs: FailedCreatePodSandBox: failed to allocate for range 0: no IP addresses available in range set: 10.244.9.1-10.244.9.2',
  ]);
});

test('kubelet: the whole cluster settles: every pod of every workload Running with a unique IP; a second pass writes nothing; two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((n) => pod(n)),
      pod('h', { hostNetwork: true }),
    ]);
    settle(ctx, CORE);
    const rv = ctx.store.resourceVersion;
    for (const c of CORE) c.reconcile(ctx);
    assert.equal(ctx.store.resourceVersion, rv);
    const all = pods(ctx);
    assert.ok(all.every((p) => p.status?.phase === 'Running'));
    const podIPs = all.filter((p) => !p.spec.hostNetwork).map((p) => p.status?.podIP);
    assert.equal(new Set(podIPs).size, podIPs.length);
    return JSON.stringify(ctx.store.list('Pod'));
  };
  assert.equal(run(), run());
});
