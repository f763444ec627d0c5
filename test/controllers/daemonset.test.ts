import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DaemonSet, Pod } from '../../src/api/types.js';
import { nodeController } from '../../src/controllers/cluster/nodes.js';
import { daemonSetController } from '../../src/controllers/workloads/daemonset.js';
import { CORE, cluster, daemonSet, pods, settle } from './core-fixtures.js';

const dsOf = (ctx: ReturnType<typeof cluster>) => ctx.store.get('DaemonSet', 'default', 'agent') as DaemonSet;
const nodesOf = (ctx: ReturnType<typeof cluster>) =>
  pods(ctx).map(
    (p) =>
      p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]
        .matchFields?.[0].values?.[0],
  );

test('DaemonSet: one pod per eligible node; the control-plane taint keeps it off the control plane unless tolerated', () => {
  const ctx = cluster([daemonSet('agent')]);
  settle(ctx, [nodeController, daemonSetController]);
  assert.deepEqual(nodesOf(ctx), ['podnet-worker', 'podnet-worker2']);
  const tolerating = cluster([
    daemonSet('agent', {
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
    }),
  ]);
  settle(tolerating, [nodeController, daemonSetController]);
  assert.deepEqual(nodesOf(tolerating), ['podnet-control-plane', 'podnet-worker', 'podnet-worker2']);
});

test('DaemonSet: nodeSelector and required node affinity choose the nodes (NodeShouldRunDaemonPod)', () => {
  const bySelector = cluster([
    daemonSet('agent', { nodeSelector: { 'topology.kubernetes.io/zone': 'podnet-zone-c' } }),
  ]);
  settle(bySelector, [nodeController, daemonSetController]);
  assert.deepEqual(nodesOf(bySelector), ['podnet-worker2']);
  const byAffinity = cluster([
    daemonSet('agent', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['podnet-worker'] },
                ],
              },
            ],
          },
        },
      },
    }),
  ]);
  settle(byAffinity, [nodeController, daemonSetController]);
  assert.deepEqual(nodesOf(byAffinity), ['podnet-worker2']);
});

test("DaemonSet: pods are <ds>-<5 chars>, pinned with a required node affinity on metadata.name that replaces the template's terms", () => {
  const ctx = cluster([
    daemonSet('agent', {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] },
            ],
          },
        },
      },
    }),
  ]);
  settle(ctx, [nodeController, daemonSetController]);
  const p = pods(ctx)[0];
  assert.match(p.metadata.name, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(p.spec.nodeName, undefined, 'the scheduler binds daemon pods');
  assert.deepEqual(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
    nodeSelectorTerms: [
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['podnet-worker'] }] },
    ],
  });
  assert.equal(p.metadata.labels?.['pod-template-generation'], '1');
  assert.match(p.metadata.labels?.['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('DaemonSet: daemon pods tolerate the node-condition taints (AddOrUpdateDaemonPodTolerations), network-unavailable only with hostNetwork', () => {
  const keys = (p: Pod) => p.spec.tolerations?.map((t) => `${t.key}:${t.effect}`);
  const expected = [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ];
  const plain = cluster([daemonSet('agent')]);
  settle(plain, [nodeController, daemonSetController]);
  assert.deepEqual(keys(pods(plain)[0]), expected);
  const host = cluster([
    daemonSet('agent', {
      hostNetwork: true,
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }],
    }),
  ]);
  settle(host, [nodeController, daemonSetController]);
  assert.deepEqual(
    keys(pods(host)[0]),
    [...expected, 'node.kubernetes.io/network-unavailable:NoSchedule'],
    'an equal toleration is not added twice',
  );
});

test('DaemonSet: daemon pods run on unschedulable (cordoned) nodes', () => {
  const ctx = cluster([daemonSet('agent')]);
  settle(ctx, [nodeController]);
  const worker = ctx.store.get('Node', undefined, 'podnet-worker');
  if (!worker?.spec) throw new Error('no worker');
  worker.spec.unschedulable = true;
  ctx.store.put(worker);
  settle(ctx);
  assert.deepEqual(
    pods(ctx).map((p) => p.spec.nodeName),
    ['podnet-worker', 'podnet-worker2'],
  );
});

test('DaemonSet: a daemon pod on a node with an untolerated NoExecute taint is deleted; NoSchedule lets it stay (misscheduled)', () => {
  const ctx = cluster([daemonSet('agent')]);
  settle(ctx);
  const [w1, w2] = ['podnet-worker', 'podnet-worker2'].map((n) => ctx.store.get('Node', undefined, n));
  if (!w1?.spec || !w2?.spec) throw new Error('no workers');
  w1.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }];
  w2.spec.taints = [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }];
  ctx.store.put(w1);
  ctx.store.put(w2);
  settle(ctx);
  assert.deepEqual(
    pods(ctx).map((p) => p.spec.nodeName),
    ['podnet-worker2'],
  );
  assert.deepEqual(dsOf(ctx).status, {
    currentNumberScheduled: 0,
    numberMisscheduled: 1,
    desiredNumberScheduled: 0,
    numberReady: 0,
  });
});

test('DaemonSet: status: desired, current, ready, up-to-date and available once settled', () => {
  const ctx = cluster([daemonSet('agent')]);
  settle(ctx);
  assert.deepEqual(dsOf(ctx).status, {
    currentNumberScheduled: 2,
    numberMisscheduled: 0,
    desiredNumberScheduled: 2,
    numberReady: 2,
    updatedNumberScheduled: 2,
    numberAvailable: 2,
  });
  assert.deepEqual(
    pods(ctx).map((p) => p.spec.nodeName),
    ['podnet-worker', 'podnet-worker2'],
  );
});

test('DaemonSet: a second pass writes nothing, and two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([daemonSet('agent', { hostNetwork: true })]);
    settle(ctx, CORE);
    const rv = ctx.store.resourceVersion;
    for (const c of CORE) c.reconcile(ctx);
    assert.equal(ctx.store.resourceVersion, rv);
    return JSON.stringify(ctx.store.list('Pod'));
  };
  assert.equal(run(), run());
});
