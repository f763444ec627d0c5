import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import { ManifestSource } from '../../src/source/manifests.js';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';

function source(text: string, skipInvalid: boolean): ManifestSource {
  return new ManifestSource({
    paths: ['-'],
    stdin: Readable.from([text]),
    config: defaultClusterConfig(),
    skipInvalid,
  });
}

test('ManifestSource: manifests are read, then built into a cluster', async () => {
  const snap = await source(SERVICE, false).load();
  assert.equal(snap.ok, true);
  assert.ok(snap.store.get('Service', 'default', 'web'));
});

test('ManifestSource: unreadable input stops before anything is built (nothing half-applied)', async () => {
  const snap = await source(`${SERVICE}---\na: b: c\n`, false).load();
  assert.equal(snap.ok, false);
  assert.equal(snap.store.count('Service'), 0);
  assert.deepEqual(
    snap.diagnostics.map((d) => [d.severity, d.file, d.line]),
    [['error', '<stdin>', 9]],
  );
});

test('ManifestSource: with skipInvalid, the readable objects are built and the reading errors come first', async () => {
  const snap = await source(`a: b: c\n---\n${SERVICE}`, true).load();
  assert.equal(snap.ok, true);
  assert.ok(snap.store.get('Service', 'default', 'web'));
  assert.equal(snap.diagnostics[0].line, 1);
  assert.match(snap.diagnostics[0].message, /^error parsing YAML/);
});

test('ManifestSource: describes itself by its paths', () => {
  const s = new ManifestSource({ paths: ['shop/', '-'], config: defaultClusterConfig() });
  assert.equal(s.description, 'manifests in shop/, stdin');
});

test('ManifestSource: an admission error in spec.ports[1].port of the second document names that line', async () => {
  const text = [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    '  name: shop',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  ports:',
    '  - name: a',
    '    port: 80',
    '  - name: b',
    '    port: 0',
    '',
  ].join('\n');
  const snap = await source(text, false).load();
  assert.equal(snap.ok, false);
  const port = snap.diagnostics.find((d) => d.field === 'spec.ports[1].port');
  assert.ok(port, JSON.stringify(snap.diagnostics));
  assert.equal(port.file, '<stdin>');
  assert.equal(port.line, 16);
});
