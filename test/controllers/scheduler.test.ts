import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { NodeSelectorRequirement, Pod, Toleration } from '../../src/api/types.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { schedulerController } from '../../src/controllers/scheduling/scheduler.js';
import { fitErrorMessage } from '../../src/controllers/scheduling/scheduler-predicates.js';
import { cluster, node, pod, pods, settle, warnings } from './core-fixtures.js';

const SCHEDULE = [nodeController, schedulerController];
const placed = (ctx: ReturnType<typeof cluster>) => pods(ctx).map((p) => p.spec.nodeName);
const scheduledCondition = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');

function affinity(...exprs: NodeSelectorRequirement[]) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] },
    },
  };
}

test('kube-scheduler: pods spread to the least-loaded feasible node, ties to the earlier node; the control plane is tainted', () => {
  const ctx = cluster(['a', 'b', 'c', 'd', 'e'].map((n) => pod(n)));
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx), [
    'podnet-worker',
    'podnet-worker2',
    'podnet-worker',
    'podnet-worker2',
    'podnet-worker',
  ]);
});

test('kube-scheduler: pending pods are placed in namespace/name order, whatever the input order', () => {
  const ctx = cluster([pod('z'), pod('a'), pod('m', {}, {}, 'aaa')]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(
    ctx.store.list('Pod').map((p) => `${p.metadata.name}@${p.spec.nodeName}`),
    ['z@podnet-worker', 'a@podnet-worker2', 'm@podnet-worker'],
  );
});

test("kube-scheduler: pods already bound count towards a node's load", () => {
  const ctx = cluster([
    pod('x', { nodeName: 'podnet-worker' }),
    pod('y', { nodeName: 'podnet-worker' }),
    pod('a'),
    pod('b'),
  ]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx).slice(2), ['podnet-worker2', 'podnet-worker2']);
});

test('kube-scheduler: binding sets spec.nodeName and PodScheduled=True', () => {
  const ctx = cluster([pod('a')]);
  settle(ctx, SCHEDULE);
  const p = pods(ctx)[0];
  assert.deepEqual(p.status, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] });
});

const toleration = (t: Toleration) => ({ tolerations: [t] });
const CP = 'node-role.kubernetes.io/control-plane';

test('kube-scheduler TaintToleration filter: Equal/Exists, empty key with Exists tolerates everything, effect must match', () => {
  const cases: [string, Toleration | undefined, boolean][] = [
    ['no toleration', undefined, false],
    ['Exists on the key', { key: CP, operator: 'Exists' }, true],
    ['Exists, matching effect', { key: CP, operator: 'Exists', effect: 'NoSchedule' }, true],
    ['Exists, other effect', { key: CP, operator: 'Exists', effect: 'NoExecute' }, false],
    ['Equal with the empty value', { key: CP, operator: 'Equal', value: '' }, true],
    ['Equal with another value', { key: CP, operator: 'Equal', value: 'yes' }, false],
    ['empty key with Exists', { operator: 'Exists' }, true],
    ['other key', { key: 'dedicated', operator: 'Exists' }, false],
  ];
  for (const [name, t, onControlPlane] of cases) {
    const ctx = cluster([
      pod('p', {
        nodeSelector: { 'kubernetes.io/hostname': 'podnet-control-plane' },
        ...(t ? toleration(t) : {}),
      }),
    ]);
    settle(ctx, SCHEDULE);
    assert.equal(placed(ctx)[0], onControlPlane ? 'podnet-control-plane' : undefined, name);
  }
});

test('kube-scheduler: PreferNoSchedule taints do not filter nodes', () => {
  const ctx = cluster([
    node('a', { spec: { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] } }),
    pod('p'),
  ]);
  settle(ctx, SCHEDULE);
  assert.equal(placed(ctx)[0], 'a');
});

test('kube-scheduler NodeAffinity filter: nodeSelector and required affinity (In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields)', () => {
  const gpu = (n: string, count: string) => node(n, { metadata: { name: n, labels: { gpus: count } } });
  const nodes = () => [gpu('n1', '1'), gpu('n2', '4'), node('n3')];
  const cases: [string, Partial<Pod['spec']>, (string | undefined)[]][] = [
    ['nodeSelector', { nodeSelector: { gpus: '4' } }, ['n2']],
    ['In', { affinity: affinity({ key: 'gpus', operator: 'In', values: ['1', '4'] }) }, ['n1', 'n2']],
    [
      'NotIn matches nodes without the label',
      { affinity: affinity({ key: 'gpus', operator: 'NotIn', values: ['1'] }) },
      ['n2', 'n3'],
    ],
    ['Exists', { affinity: affinity({ key: 'gpus', operator: 'Exists' }) }, ['n1', 'n2']],
    ['DoesNotExist', { affinity: affinity({ key: 'gpus', operator: 'DoesNotExist' }) }, ['n3']],
    ['Gt', { affinity: affinity({ key: 'gpus', operator: 'Gt', values: ['2'] }) }, ['n2']],
    ['Lt', { affinity: affinity({ key: 'gpus', operator: 'Lt', values: ['2'] }) }, ['n1']],
    [
      'matchFields metadata.name',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n3'] }] },
              ],
            },
          },
        },
      },
      ['n3'],
    ],
    [
      'terms are ORed',
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'gpus', operator: 'In', values: ['1'] }] },
                { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n3'] }] },
              ],
            },
          },
        },
      },
      ['n1', 'n3'],
    ],
  ];
  for (const [name, spec, feasible] of cases) {
    const ctx = cluster([...nodes(), pod('p1', spec), pod('p2', spec), pod('p3', spec)]);
    settle(ctx, SCHEDULE);
    const used = [...new Set(placed(ctx))].sort();
    assert.deepEqual(used, feasible, name);
  }
});

test('kube-scheduler NodeUnschedulable filter: cordoned nodes take no pods unless the pod tolerates node.kubernetes.io/unschedulable', () => {
  const ctx = cluster([
    node('a', { spec: { unschedulable: true } }),
    node('b'),
    pod('p1'),
    pod(
      'p2',
      toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }),
    ),
  ]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx), ['b', 'a']);
});

test('kube-scheduler NodePorts filter: one hostPort/protocol per node; 0.0.0.0 conflicts with any hostIP; other protocols and IPs do not', () => {
  const withPort = (
    hostPort: number,
    protocol: 'TCP' | 'UDP' = 'TCP',
    hostIP?: string,
  ): Partial<Pod['spec']> => ({
    containers: [
      {
        name: 'c',
        image: 'x',
        ports: [{ containerPort: 80, hostPort, protocol, ...(hostIP ? { hostIP } : {}) }],
      },
    ],
  });
  const ctx = cluster([
    node('a'),
    node('b'),
    pod('p1', withPort(80)),
    pod('p2', withPort(80)),
    pod('p3', withPort(80)),
    pod('p4', withPort(80, 'UDP')),
    pod('p5', withPort(81, 'TCP', '10.0.0.1')),
    pod('p6', withPort(81, 'TCP', '10.0.0.2')),
    pod('p7', withPort(81)),
  ]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx), ['a', 'b', undefined, 'a', 'b', 'a', undefined]);
  const p3 = ctx.store.get('Pod', 'default', 'p3') as Pod;
  assert.equal(
    scheduledCondition(p3)?.message,
    "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
  );
});

test("kube-scheduler: an impossible pod stays Pending with PodScheduled=False/Unschedulable and the scheduler's message, and a warning", () => {
  const ctx = cluster([pod('p', { nodeSelector: { disktype: 'ssd' } })]);
  settle(ctx, SCHEDULE);
  const p = pods(ctx)[0];
  const message =
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
  assert.equal(p.spec.nodeName, undefined);
  assert.equal(p.status?.phase, 'Pending');
  assert.deepEqual(scheduledCondition(p), {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message,
  });
  assert.deepEqual(warnings(ctx), [`Pod default/p: FailedScheduling: ${message}`]);
});

test('kube-scheduler: a node takes at most its allocatable pods (NodeResourcesFit: Too many pods)', () => {
  const ctx = cluster([
    node('a', { status: { allocatable: { pods: '2' } } }),
    pod('p1'),
    pod('p2'),
    pod('p3'),
  ]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx), ['a', 'a', undefined]);
  assert.match(
    scheduledCondition(pods(ctx)[2])?.message ?? '',
    /^0\/1 nodes are available: 1 Too many pods\./,
  );
});

test('kube-scheduler: the FitError message sorts the reason histogram as strings; no nodes at all has its own message', () => {
  const reasons = new Map([
    ['node(s) were unschedulable', 1],
    ["node(s) didn't match Pod's node affinity/selector", 12],
    ['Too many pods', 2],
  ]);
  assert.equal(
    fitErrorMessage(15, reasons),
    "0/15 nodes are available: 1 node(s) were unschedulable, 12 node(s) didn't match Pod's node affinity/selector, 2 Too many pods. preemption: 0/15 nodes are available: 13 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
  );
  assert.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});

test('kube-scheduler: pods of another scheduler and pods being deleted are left alone', () => {
  const ctx = cluster([
    pod('mine'),
    pod('theirs', { schedulerName: 'volcano' }),
    pod('going', {}, { deletionTimestamp: '2024-01-01T00:00:00Z' }),
  ]);
  settle(ctx, SCHEDULE);
  assert.deepEqual(placed(ctx), ['podnet-worker', undefined, undefined]);
  assert.equal(pods(ctx)[1].status, undefined);
});

test('kube-scheduler: 20,000 pods onto 1,000 nodes spread evenly (20 each), through shared load heaps', () => {
  const config = defaultClusterConfig();
  config.nodes = Array.from({ length: 1000 }, (_, i) => ({ name: `n${i}`, role: 'worker' as const }));
  const zone = (i: number) => ({
    nodeSelector: { 'topology.kubernetes.io/zone': `podnet-zone-${'abc'[i % 3]}` },
  });
  const ctx = cluster(
    Array.from({ length: 20000 }, (_, i) =>
      pod(`p${String(i).padStart(5, '0')}`, i % 4 === 0 ? zone(i) : {}),
    ),
    config,
  );
  settle(ctx, SCHEDULE);
  const perNode = new Map<string, number>();
  for (const p of pods(ctx))
    perNode.set(p.spec.nodeName as string, (perNode.get(p.spec.nodeName as string) ?? 0) + 1);
  assert.equal(perNode.size, 1000);
  const counts = [...perNode.values()];
  assert.ok(
    Math.max(...counts) - Math.min(...counts) <= 1,
    `spread ${Math.min(...counts)}..${Math.max(...counts)}`,
  );
});

test('kube-scheduler: a second pass writes nothing, and two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([pod('a'), pod('b', { nodeSelector: { nope: 'x' } }), pod('c')]);
    assert.equal(settle(ctx, SCHEDULE), 2);
    return JSON.stringify(ctx.store.list('Pod'));
  };
  assert.equal(run(), run());
});
