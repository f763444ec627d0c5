import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countsFor, ENVELOPE, generateEnvelope } from '../../bench/scale/generate.js';
import { admit } from '../../src/api/admission.js';
import { fromMap, matches } from '../../src/api/labels.js';
import type { Deployment, KubeObject, Service, StatefulSet } from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';

const SCALE = 0.01;

function ofKind<T extends KubeObject>(objects: KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

test('scale bench: the generator is deterministic for a seed', () => {
  const a = JSON.stringify(generateEnvelope(SCALE, 7).objects);
  assert.equal(JSON.stringify(generateEnvelope(SCALE, 7).objects), a);
  assert.notEqual(JSON.stringify(generateEnvelope(SCALE, 8).objects), a);
});

test('scale bench: totals are the envelope scaled (Kubernetes "Considerations for large clusters")', () => {
  for (const scale of [SCALE, 0.1, 1]) {
    const { objects, counts } = generateEnvelope(scale);
    const all = objects.map((o) => o.object);
    const workloads = [...ofKind<Deployment>(all, 'Deployment'), ...ofKind<StatefulSet>(all, 'StatefulSet')];
    const services = ofKind<Service>(all, 'Service');
    assert.equal(ofKind(all, 'Node').length, Math.round(ENVELOPE.nodes * scale));
    assert.equal(ofKind(all, 'Namespace').length, Math.round(ENVELOPE.namespaces * scale));
    assert.equal(services.length, Math.round(ENVELOPE.services * scale));
    assert.equal(
      workloads.reduce((sum, w) => sum + (w.spec.replicas ?? 0), 0),
      Math.round(ENVELOPE.pods * scale),
      'replicas add up to exactly the pod count',
    );
    assert.deepEqual(counts, countsFor(scale));
    assert.equal(ofKind(all, 'Deployment').length, counts.deployments);
    assert.equal(ofKind(all, 'StatefulSet').length, counts.statefulSets);
    assert.equal(services.filter((s) => s.spec.clusterIP === 'None').length, counts.headless);
    assert.equal(services.filter((s) => s.spec.type === 'NodePort').length, counts.nodePorts);
    assert.equal(services.filter((s) => s.spec.type === 'LoadBalancer').length, counts.loadBalancers);
    for (const w of workloads) {
      const labels = Object.keys(w.spec.template.metadata?.labels ?? {}).length;
      assert.ok(labels >= 2 && labels <= 4, `${w.metadata.name}: ${labels} labels`);
    }
  }
});

test('scale bench: every Service selects at least the workload it was made for', () => {
  const all = generateEnvelope(SCALE).objects.map((o) => o.object);
  const workloads = [...ofKind<Deployment>(all, 'Deployment'), ...ofKind<StatefulSet>(all, 'StatefulSet')];
  const byKey = new Map(workloads.map((w) => [`${w.metadata.namespace}/${w.metadata.name}`, w]));
  for (const s of ofKind<Service>(all, 'Service')) {
    const w = byKey.get(`${s.metadata.namespace}/${s.metadata.name}`);
    assert.ok(w, `${s.metadata.name} has a workload`);
    assert.ok(matches(fromMap(s.spec.selector ?? {}), w.spec.template.metadata?.labels));
  }
});

test('scale bench: every generated object is admitted without errors or warnings', () => {
  const { objects, config } = generateEnvelope(SCALE);
  for (const { object } of objects) {
    const r = admit(structuredClone(object), config);
    assert.deepEqual(
      r.errors.map((e) => `${e.path}: ${e.message}`),
      [],
      `${object.kind} ${object.metadata.name}`,
    );
    assert.equal(r.warnings.length, 0, `${object.kind} ${object.metadata.name}`);
  }
});

test('scale bench: buildCluster converges the generated cluster: every pod scheduled with an IP', () => {
  const { objects, config, counts } = generateEnvelope(SCALE);
  const snapshot = buildCluster(objects, { config });
  const errors = snapshot.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const pods = snapshot.store.list('Pod').filter((p) => p.metadata.namespace?.startsWith('ns-'));
  assert.equal(pods.length, counts.pods);
  assert.equal(pods.filter((p) => p.spec.nodeName && p.status?.podIP).length, counts.pods);
  const withIP = snapshot.store
    .list('Service')
    .filter(
      (s) => s.metadata.namespace?.startsWith('ns-') && s.spec.clusterIP && s.spec.clusterIP !== 'None',
    );
  assert.equal(withIP.length, counts.services - counts.headless);
});
