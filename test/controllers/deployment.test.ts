import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJSON, fnv1a32, safeEncode } from '../../src/api/hash.js';
import type { Deployment, ReplicaSet } from '../../src/api/types.js';
import { deploymentController } from '../../src/controllers/workloads/deployment.js';
import { replicaSetController } from '../../src/controllers/workloads/replicaset.js';
import { cluster, deployment, pods, replicaSet, settle } from './core-fixtures.js';

const WORKLOADS = [deploymentController, replicaSetController];
const sets = (ctx: ReturnType<typeof cluster>) => ctx.store.list('ReplicaSet', 'default');

test('Deployment: ReplicaSet naming: <deployment>-<pod-template-hash>, the hash an FNV-32a of the template, safe-encoded', () => {
  const d = deployment('web', 2);
  const hash = safeEncode(fnv1a32(canonicalJSON(d.spec.template)));
  const ctx = cluster([d]);
  settle(ctx, WORKLOADS);
  assert.deepEqual(
    sets(ctx).map((rs) => rs.metadata.name),
    [`web-${hash}`],
  );
});

test('Deployment: the ReplicaSet carries template labels + pod-template-hash, selector + pod-template-hash, replicas, and a controller reference', () => {
  const ctx = cluster([deployment('web', 3)]);
  settle(ctx, WORKLOADS);
  const rs = sets(ctx)[0];
  const hash = rs.metadata.labels?.['pod-template-hash'] as string;
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.deepEqual(rs.spec.template.metadata?.labels, { app: 'web', 'pod-template-hash': hash });
  assert.equal(rs.spec.replicas, 3);
  const [ref] = rs.metadata.ownerReferences ?? [];
  assert.deepEqual(
    [ref.apiVersion, ref.kind, ref.name, ref.controller, ref.blockOwnerDeletion],
    ['apps/v1', 'Deployment', 'web', true, true],
  );
  assert.match(ref.uid, /^[0-9a-f-]{36}$/);
});

test('Deployment: revision annotations on the Deployment and its ReplicaSet; desired/max replicas with the default 25% surge', () => {
  const ctx = cluster([deployment('web', 2)]);
  settle(ctx, WORKLOADS);
  const d = ctx.store.get('Deployment', 'default', 'web') as Deployment;
  assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  assert.deepEqual(sets(ctx)[0].metadata.annotations, {
    'deployment.kubernetes.io/desired-replicas': '2',
    'deployment.kubernetes.io/max-replicas': '3',
    'deployment.kubernetes.io/revision': '1',
  });
});

test('Deployment: pods are <replicaset>-<5 chars> with pod-template-hash, and status counts them', () => {
  const ctx = cluster([deployment('web', 2)]);
  settle(ctx, WORKLOADS);
  const rsName = sets(ctx)[0].metadata.name;
  for (const p of pods(ctx)) {
    assert.ok(p.metadata.name.startsWith(`${rsName}-`));
    assert.equal(p.metadata.labels?.['pod-template-hash'], rsName.slice('web-'.length));
  }
  const d = ctx.store.get('Deployment', 'default', 'web') as Deployment;
  assert.deepEqual(d.status, { replicas: 2, updatedReplicas: 2, unavailableReplicas: 2 });
  for (const p of pods(ctx)) {
    p.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    ctx.store.put(p);
  }
  settle(ctx, WORKLOADS);
  assert.deepEqual(d.status, { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 });
});

test("Deployment: a ReplicaSet whose template equals the Deployment's (ignoring the hash label) is adopted as current, whatever its hash", () => {
  const d = deployment('web', 2);
  const snapshot = replicaSet('web-7d4b9c8f5', 2, { app: 'web', 'pod-template-hash': '7d4b9c8f5' });
  snapshot.spec.selector = { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9c8f5' } };
  snapshot.metadata.labels = { app: 'web', 'pod-template-hash': '7d4b9c8f5' };
  snapshot.metadata.annotations = { 'deployment.kubernetes.io/revision': '4' };
  snapshot.metadata.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'live-uid', controller: true },
  ];
  const ctx = cluster([d, snapshot]);
  settle(ctx, WORKLOADS);
  assert.deepEqual(
    sets(ctx).map((rs) => rs.metadata.name),
    ['web-7d4b9c8f5'],
  );
  assert.equal(
    (ctx.store.get('Deployment', 'default', 'web') as Deployment).metadata.annotations?.[
      'deployment.kubernetes.io/revision'
    ],
    '4',
  );
});

test('Deployment: a changed template rolls out: a new ReplicaSet at full scale, the old one scaled to 0, revision + 1', () => {
  const ctx = cluster([deployment('web', 2)]);
  settle(ctx, WORKLOADS);
  const d = ctx.store.get('Deployment', 'default', 'web') as Deployment;
  d.spec.template.spec.containers[0].image = 'nginx:1.27';
  ctx.store.put(d);
  settle(ctx, WORKLOADS);
  const [old, current] = sets(ctx) as ReplicaSet[];
  assert.equal(old.spec.replicas, 0);
  assert.equal(current.spec.replicas, 2);
  assert.equal(current.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  assert.equal(pods(ctx).length, 2);
  assert.ok(
    pods(ctx).every(
      (p) => p.metadata.labels?.['pod-template-hash'] === current.metadata.labels?.['pod-template-hash'],
    ),
  );
});

test('Deployment: a hash collision with a foreign ReplicaSet is resolved by rehashing with a collision count', () => {
  const d = deployment('web', 1);
  const hash = safeEncode(fnv1a32(canonicalJSON(d.spec.template)));
  const squatter = replicaSet(`web-${hash}`, 0, { app: 'squatter' });
  const ctx = cluster([squatter, d]);
  settle(ctx, WORKLOADS);
  const names = sets(ctx).map((rs) => rs.metadata.name);
  assert.equal(names.length, 2);
  assert.notEqual(names[1], `web-${hash}`);
  assert.match(names[1], /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
});

test('Deployment: a second pass writes nothing, and two runs are byte-identical', () => {
  const run = () => {
    const ctx = cluster([deployment('web', 3), deployment('api', 1, { app: 'api', tier: 'backend' })]);
    assert.ok(settle(ctx, WORKLOADS) <= 3);
    const rv = ctx.store.resourceVersion;
    for (const c of WORKLOADS) c.reconcile(ctx);
    assert.equal(ctx.store.resourceVersion, rv);
    return JSON.stringify([
      ctx.store.list('ReplicaSet'),
      ctx.store.list('Pod'),
      ctx.store.list('Deployment'),
    ]);
  };
  assert.equal(run(), run());
});
