import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject, Pod, ReplicaSet } from '../../src/api/types.js';
import { buildCluster, type LoadedObject } from '../../src/cluster/build.js';
import { collectingContext } from '../../src/controllers/context.js';
import { converge } from '../../src/controllers/index.js';

const config = defaultClusterConfig();
const loaded = (objects: KubeObject[]): LoadedObject[] =>
  objects.map((object, i) => ({
    object: structuredClone(object),
    origin: { file: 'in.yaml', line: i * 10 + 1 },
  }));

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] },
};
const replicaSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
};
const childPod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels: { app: 'web' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'exported-rs-uid', controller: true },
    ],
  },
  spec: template.spec,
});

test('build: an owner whose uid was trimmed takes it from its children (ownerReferences), and keeps them', () => {
  const snap = buildCluster(loaded([replicaSet, childPod('web-a'), childPod('web-b')]), { config });
  assert.equal(snap.ok, true, JSON.stringify(snap.diagnostics));
  const rs = snap.store.get('ReplicaSet', 'default', 'web') as ReplicaSet;
  assert.equal(rs.metadata.uid, 'exported-rs-uid');
  const pods = snap.store.list('Pod', 'default').map((p) => p.metadata.name);
  assert.deepEqual(pods.sort(), ['web-a', 'web-b'], 'no third pod: the ReplicaSet owns both');
});

test('build: every object has a uid, derived from its identity when the input has none (API server create)', () => {
  const snap = buildCluster(loaded([replicaSet]), { config });
  for (const kind of ['ReplicaSet', 'Pod', 'Service', 'EndpointSlice', 'Node'] as const) {
    for (const obj of snap.store.list(kind))
      assert.ok(obj.metadata.uid, `${kind} ${obj.metadata.name} has a uid`);
  }
});

test('build: the same name twice is AlreadyExists, naming where the first was defined; nothing is computed', () => {
  const snap = buildCluster(loaded([replicaSet, replicaSet]), { config });
  assert.equal(snap.ok, false);
  assert.equal(snap.store.count('Pod'), 0);
  const [d] = snap.diagnostics.filter((x) => x.severity === 'error');
  assert.match(d.message, /AlreadyExists: replicasets "web" already exists \(first defined at in\.yaml:1\)/);
  assert.equal(d.line, 11);
});

test('build: with skipInvalid the valid objects are computed and the invalid ones reported', () => {
  const bad = { ...childPod('bad'), spec: { containers: [{ name: 'x', ports: [{ containerPort: 0 }] }] } };
  const refused = buildCluster(loaded([replicaSet, bad]), { config });
  assert.equal(refused.ok, false);
  assert.equal(refused.store.count('ReplicaSet'), 0);
  const skipped = buildCluster(loaded([replicaSet, bad]), { config, skipInvalid: true });
  assert.equal(skipped.ok, true);
  assert.equal(skipped.store.get('Pod', 'default', 'bad'), undefined);
  assert.equal(skipped.store.list('Pod', 'default').length, 2);
  assert.ok(skipped.diagnostics.some((d) => d.severity === 'error' && /containerPort/.test(d.message)));
});

test('build: malformed inputs (no metadata, null, a number) are reported, never thrown', () => {
  const inputs = [{ apiVersion: 'v1', kind: 'Pod' }, null, 42] as unknown as KubeObject[];
  const snap = buildCluster(
    inputs.map((object) => ({ object, origin: { file: 'x.yaml' } })),
    { config },
  );
  assert.equal(snap.ok, false);
  assert.ok(snap.diagnostics.length >= 3);
});

test('build: the controllers reach a fixed point; one more pass writes nothing, and two builds are identical', () => {
  const a = buildCluster(loaded([replicaSet]), { config });
  const before = a.store.resourceVersion;
  converge(collectingContext(a.store, config));
  assert.equal(a.store.resourceVersion, before);
  const b = buildCluster(loaded([replicaSet]), { config });
  const dump = (s: typeof a) =>
    JSON.stringify(
      (['Pod', 'Service', 'EndpointSlice', 'Endpoints', 'Node'] as const).flatMap(
        (k) => s.store.list(k) as Pod[],
      ),
    );
  assert.equal(dump(a), dump(b));
});
