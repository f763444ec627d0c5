import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Namespace } from '../../src/api/types.js';
import { namespaceController } from '../../src/controllers/cluster/namespaces.js';
import { cluster, pod, settle, warnings } from './core-fixtures.js';

test('namespaces: default, kube-system, kube-public and kube-node-lease exist, Active (API server + kubeadm)', () => {
  const ctx = cluster();
  settle(ctx, [namespaceController]);
  const names = ctx.store.list('Namespace').map((n) => n.metadata.name);
  assert.deepEqual(names, ['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const ns of ctx.store.list('Namespace')) {
    assert.equal(ns.status?.phase, 'Active');
    assert.deepEqual(ns.spec?.finalizers, ['kubernetes']);
  }
  assert.deepEqual(warnings(ctx), []);
});

test('namespaces: every namespace carries kubernetes.io/metadata.name = its name (API server NamespaceDefaultLabelName)', () => {
  const declared: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { team: 'a' } },
  };
  const ctx = cluster([declared]);
  settle(ctx, [namespaceController]);
  const shop = ctx.store.get('Namespace', undefined, 'shop') as Namespace;
  assert.deepEqual(shop.metadata.labels, { team: 'a', 'kubernetes.io/metadata.name': 'shop' });
  for (const ns of ctx.store.list('Namespace'))
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], ns.metadata.name);
});

test('namespaces: a namespace objects use but nobody declares is created, with a warning (the API server would refuse the object)', () => {
  const ctx = cluster([pod('web', {}, {}, 'shop'), pod('db', {}, {}, 'shop')]);
  settle(ctx, [namespaceController]);
  assert.equal(ctx.store.get('Namespace', undefined, 'shop')?.status?.phase, 'Active');
  assert.deepEqual(warnings(ctx), [
    'Pod shop/web: metadata.namespace: namespace "shop" is not declared; podnet creates it (a cluster would refuse the object: namespaces "shop" not found)',
  ]);
});

test('namespaces: a snapshot namespace keeps its phase (Terminating is honoured)', () => {
  const ns: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'old', deletionTimestamp: '2024-01-01T00:00:00Z' },
    status: { phase: 'Terminating' },
  };
  const ctx = cluster([ns]);
  settle(ctx, [namespaceController]);
  assert.equal(ctx.store.get('Namespace', undefined, 'old')?.status?.phase, 'Terminating');
});

test('namespaces: a second pass writes nothing', () => {
  const ctx = cluster([pod('web', {}, {}, 'shop')]);
  namespaceController.reconcile(ctx);
  const rv = ctx.store.resourceVersion;
  namespaceController.reconcile(ctx);
  assert.equal(ctx.store.resourceVersion, rv);
});
