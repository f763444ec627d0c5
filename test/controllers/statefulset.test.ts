import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, StatefulSet } from '../../src/api/types.js';
import { statefulSetController } from '../../src/controllers/workloads/statefulset.js';
import { CORE, cluster, pod, pods, settle, statefulSet } from './core-fixtures.js';

const stsOf = (ctx: ReturnType<typeof cluster>) =>
  ctx.store.get('StatefulSet', 'default', 'db') as StatefulSet;

test('StatefulSet: pods are <sts>-<ordinal>, ordinals from 0 (stable network identity)', () => {
  const ctx = cluster([statefulSet('db', 3)]);
  settle(ctx, [statefulSetController]);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.name),
    ['db-0', 'db-1', 'db-2'],
  );
});

test('StatefulSet: ordinals start at spec.ordinals.start', () => {
  const ctx = cluster([statefulSet('db', 2, { ordinals: { start: 5 } })]);
  settle(ctx, [statefulSetController]);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.name),
    ['db-5', 'db-6'],
  );
});

test('StatefulSet: pod identity: pod-name, pod-index and controller-revision-hash labels, hostname = pod name, subdomain = serviceName', () => {
  const ctx = cluster([statefulSet('db', 2)]);
  settle(ctx, [statefulSetController]);
  const p = ctx.store.get('Pod', 'default', 'db-1') as Pod;
  const revision = p.metadata.labels?.['controller-revision-hash'] as string;
  assert.match(revision, /^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual(p.metadata.labels, {
    app: 'db',
    'statefulset.kubernetes.io/pod-name': 'db-1',
    'apps.kubernetes.io/pod-index': '1',
    'controller-revision-hash': revision,
  });
  assert.equal(p.spec.hostname, 'db-1');
  assert.equal(p.spec.subdomain, 'db');
  assert.equal(p.metadata.generateName, undefined);
  assert.deepEqual(
    p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]),
    [['StatefulSet', 'db', true]],
  );
});

test('StatefulSet: without serviceName the pods get no subdomain', () => {
  const ctx = cluster([statefulSet('db', 1, { serviceName: undefined })]);
  settle(ctx, [statefulSetController]);
  assert.equal((ctx.store.get('Pod', 'default', 'db-0') as Pod).spec.subdomain, undefined);
});

test('StatefulSet: scaling down deletes the pods of ordinals beyond the range', () => {
  const ctx = cluster([statefulSet('db', 3)]);
  settle(ctx, [statefulSetController]);
  const sts = stsOf(ctx);
  sts.spec.replicas = 1;
  ctx.store.put(sts);
  settle(ctx, [statefulSetController]);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.name),
    ['db-0'],
  );
});

test("StatefulSet: a pod of an ordinal's name owned by something else is not replaced; a warning says so", () => {
  const squatter = pod('db-0', {}, { labels: { app: 'other' } });
  const ctx = cluster([squatter, statefulSet('db', 2)]);
  settle(ctx, [statefulSetController]);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.labels?.app),
    ['other', 'db'],
  );
  assert.deepEqual(
    ctx.diagnostics.map((d) => d.message),
    ['pod "db-0" already exists and is not controlled by this StatefulSet; ordinal 0 is not created'],
  );
});

test('StatefulSet: only pods named <sts>-<ordinal> are claimed; other pods matching the selector stay orphans (isMemberOf)', () => {
  const stray = pod('stray', {}, { labels: { app: 'db' } });
  const ctx = cluster([stray, statefulSet('db', 2)]);
  settle(ctx, [statefulSetController]);
  const left = ctx.store.get('Pod', 'default', 'stray') as Pod;
  assert.equal(left.metadata.ownerReferences, undefined);
  assert.equal(stsOf(ctx).status?.replicas, 2);
  assert.deepEqual(
    pods(ctx).map((p) => p.metadata.name),
    ['stray', 'db-0', 'db-1'],
  );
});

test('StatefulSet: status counts replicas and ready pods, with current and update revisions; READY 2/2 once settled', () => {
  const ctx = cluster([statefulSet('db', 2)]);
  settle(ctx);
  const status = stsOf(ctx).status as Record<string, unknown>;
  const revision = (ctx.store.get('Pod', 'default', 'db-0') as Pod).metadata.labels?.[
    'controller-revision-hash'
  ];
  assert.deepEqual(status, {
    replicas: 2,
    readyReplicas: 2,
    currentReplicas: 2,
    updatedReplicas: 2,
    currentRevision: revision,
    updateRevision: revision,
    collisionCount: 0,
    availableReplicas: 2,
  });
});

test("StatefulSet: a snapshot's updateRevision is kept for the pods it creates", () => {
  const sts = statefulSet('db', 2);
  sts.status = { replicas: 1, updateRevision: 'db-5d8f7c6b9' };
  const ctx = cluster([sts]);
  settle(ctx, [statefulSetController]);
  assert.equal(
    (ctx.store.get('Pod', 'default', 'db-1') as Pod).metadata.labels?.['controller-revision-hash'],
    'db-5d8f7c6b9',
  );
});

test('StatefulSet: a second pass writes nothing, and two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([statefulSet('db', 3)]);
    settle(ctx, CORE);
    const rv = ctx.store.resourceVersion;
    for (const c of CORE) c.reconcile(ctx);
    assert.equal(ctx.store.resourceVersion, rv);
    return JSON.stringify(ctx.store.list('Pod'));
  };
  assert.equal(run(), run());
});
