// The registry's promises: stable kebab-case codes, each documented, findings in a fixed order,
// and the examples that are meant to be clean are clean.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import { readManifests } from '../../src/api/manifests.js';
import { buildCluster } from '../../src/cluster/build.js';
import { compareFindings, lint, RULES } from '../../src/lint/index.js';
import { deployment, lintYAML, NAMESPACE, service } from './fixtures.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

test('lint: every rule has a unique kebab-case code', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^[a-z]+(-[a-z]+)+$/);
});

test('lint: docs/lint.md documents every code with its severity, and no code that does not exist', () => {
  const doc = readFileSync(join(REPO, 'docs/lint.md'), 'utf8');
  const documented = [...doc.matchAll(/^### `([a-z-]+)` \((error|warning|info)\)$/gm)].map(
    (m) => `${m[1]} ${m[2]}`,
  );
  assert.deepEqual(documented.sort(), RULES.map((r) => `${r.code} ${r.severity}`).sort());
});

test('lint: findings are sorted by severity (error, warning, info), then object, field and code', () => {
  const findings = lintYAML(
    NAMESPACE +
      deployment('web', { ports: '[{containerPort: 80}, {containerPort: 80}]' }) +
      service('b', 'web', '[{port: 80, targetPort: http}]') +
      service('a', 'nothing') +
      `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: future, namespace: app}
spec: {podSelector: {matchLabels: {app: later}}}
`,
  );
  assert.deepEqual(
    findings.map((f) => `${f.severity} ${f.object} ${f.field} ${f.code}`),
    [
      'error Deployment/app/web spec.template.spec.containers[0].ports[1].containerPort pod-duplicate-container-port',
      'error Service/app/b spec.ports[0].targetPort service-target-port-name-missing',
      'warning Service/app/a spec.selector service-selects-nothing',
      'info NetworkPolicy/app/future spec.podSelector networkpolicy-selects-nothing',
    ],
  );
  assert.deepEqual([...findings].sort(compareFindings), findings);
});

async function lintExample(path: string) {
  const read = await readManifests([join(REPO, path)]);
  const snap = buildCluster(read.objects, { config: defaultClusterConfig() });
  assert.equal(snap.ok, true);
  return lint(snap.store, snap.config).map((f) => `${f.code} ${f.object} ${f.field}`);
}

/** The examples are clean but for what they say about themselves. */
const EXAMPLES: { path: string; findings: string[] }[] = [
  // ingress.yaml: "EXAMPLE ONLY: NOT A REAL CERTIFICATE OR KEY ... replace them with a real PEM pair".
  {
    path: 'examples/shop',
    findings: ['ingress-tls-certificate-unusable Ingress/shop-web/shop spec.tls[0].secretName'],
  },
  { path: 'examples/connect-apps', findings: [] },
  { path: 'examples/netpol/base', findings: [] },
  { path: 'examples/netpol/proposed', findings: [] },
];

for (const { path, findings } of EXAMPLES) {
  test(`lint: ${path} follows every rule it demonstrates`, async () => {
    assert.deepEqual(await lintExample(path), findings);
  });
}
