import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, ReplicaSet } from '../../src/api/types.js';
import { replicaSetController } from '../../src/controllers/workloads/replicaset.js';
import { cluster, pod, pods, replicaSet, settle } from './core-fixtures.js';

const rsOf = (ctx: ReturnType<typeof cluster>, name = 'web') =>
  ctx.store.get('ReplicaSet', 'default', name) as ReplicaSet;

test('ReplicaSet: creates replicas pods named <rs>-<5 chars> (generateName) with the template labels and a controller reference', () => {
  const ctx = cluster([replicaSet('web', 3)]);
  settle(ctx, [replicaSetController]);
  const all = pods(ctx);
  assert.equal(all.length, 3);
  for (const p of all) {
    assert.match(p.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { app: 'web' });
    assert.deepEqual(
      p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller, r.uid]),
      [['ReplicaSet', 'web', true, rsUID(ctx)]],
    );
    assert.match(p.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  }
  assert.equal(new Set(all.map((p) => p.metadata.name)).size, 3, 'names are unique');
});

function rsUID(ctx: ReturnType<typeof cluster>): string {
  const owner = pods(ctx)[0].metadata.ownerReferences?.[0];
  return owner?.uid as string;
}

test('ReplicaSet: generated names never collide with existing pods', () => {
  const ctx = cluster([replicaSet('web', 2)]);
  settle(ctx, [replicaSetController]);
  const first = pods(ctx).map((p) => p.metadata.name);
  // Another ReplicaSet (selecting other pods) whose seed would give the same names cannot reuse them.
  const other = cluster([
    ...pods(ctx).map((p) => pod(p.metadata.name, {}, { labels: { app: 'other' } })),
    replicaSet('web', 2),
  ]);
  settle(other, [replicaSetController]);
  const names = pods(other).map((p) => p.metadata.name);
  assert.equal(new Set(names).size, 4);
  assert.deepEqual(names.slice(0, 2), first);
});

test('ReplicaSet: the template name prefix is cut to 58 characters (generateName)', () => {
  const long = 'a'.repeat(70);
  const ctx = cluster([replicaSet(long, 1, { app: 'x' })]);
  settle(ctx, [replicaSetController]);
  const name = pods(ctx)[0].metadata.name;
  assert.equal(name.length, 63);
  assert.ok(name.startsWith('a'.repeat(58)));
});

test('ReplicaSet: existing owned pods count, matching orphans are adopted, pods of other controllers are left alone (ClaimPods)', () => {
  const owned = pod(
    'web-own',
    {},
    {
      labels: { app: 'web' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u', controller: true },
      ],
    },
  );
  const orphan = pod('web-orphan', {}, { labels: { app: 'web' } });
  const foreign = pod(
    'web-foreign',
    {},
    {
      labels: { app: 'web' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'v', controller: true },
      ],
    },
  );
  const done = pod('web-done', {}, { labels: { app: 'web' } });
  done.status = { phase: 'Succeeded' };
  const ctx = cluster([owned, orphan, foreign, done, replicaSet('web', 3)]);
  settle(ctx, [replicaSetController]);
  const controlled = pods(ctx).filter((p) =>
    p.metadata.ownerReferences?.some((r) => r.controller && r.name === 'web'),
  );
  assert.deepEqual(controlled.map((p) => p.metadata.name).slice(0, 2), ['web-own', 'web-orphan']);
  assert.equal(controlled.length, 3, 'one new pod tops up to 3');
  assert.equal(
    (ctx.store.get('Pod', 'default', 'web-done') as Pod).metadata.ownerReferences,
    undefined,
    'terminal orphans are not adopted',
  );
  assert.equal(rsOf(ctx).status?.replicas, 3);
});

test('ReplicaSet: scaling down deletes unscheduled, then Pending, then not-ready pods first (ActivePodsWithRanks)', () => {
  const labels = { app: 'web' };
  const ref = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u', controller: true }];
  const running = (name: string, ready: boolean): Pod => {
    const p = pod(name, { nodeName: 'n1' }, { labels, ownerReferences: ref });
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    return p;
  };
  const unscheduled = pod('web-unscheduled', {}, { labels, ownerReferences: ref });
  const pending = pod('web-pending', { nodeName: 'n1' }, { labels, ownerReferences: ref });
  pending.status = { phase: 'Pending' };
  const ctx = cluster([
    running('web-ready', true),
    running('web-notready', false),
    pending,
    unscheduled,
    replicaSet('web', 1),
  ]);
  replicaSetController.reconcile(ctx);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.name),
    ['web-ready'],
  );
});

test('ReplicaSet: status counts replicas, fully labelled, ready and available pods', () => {
  const ctx = cluster([replicaSet('web', 2)]);
  settle(ctx, [replicaSetController]);
  assert.deepEqual(rsOf(ctx).status, { replicas: 2, fullyLabeledReplicas: 2 });
  const p = pods(ctx)[0];
  p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  ctx.store.put(p);
  settle(ctx, [replicaSetController]);
  assert.deepEqual(rsOf(ctx).status, {
    replicas: 2,
    fullyLabeledReplicas: 2,
    readyReplicas: 1,
    availableReplicas: 1,
  });
});

test('ReplicaSet: replicas 0 keeps no pods and reports replicas: 0', () => {
  const ctx = cluster([replicaSet('web', 0)]);
  settle(ctx, [replicaSetController]);
  assert.equal(pods(ctx).length, 0);
  assert.deepEqual(rsOf(ctx).status, { replicas: 0 });
});

test('ReplicaSet: a second pass writes nothing, and two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([replicaSet('web', 5), replicaSet('api', 2)]);
    assert.equal(settle(ctx, [replicaSetController]), 2);
    return JSON.stringify(ctx.store.list('Pod'));
  };
  assert.equal(run(), run());
});
