// `podnet get` for the network-policy-api kinds: the names the CRDs declare (names.plural,
// names.singular, names.shortNames) and their additionalPrinterColumns.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveType } from '../../src/cli/get.js';
import { COLUMNS } from '../../src/cli/printers/columns.js';
import { anp, banp, cnp } from './admin-fixtures.js';

test('get: the CRDs resource names — plural, singular, shortNames, group-qualified (names in the CRD manifests)', () => {
  const cases: [string, string][] = [
    ['cnp', 'ClusterNetworkPolicy'],
    ['clusternetworkpolicies', 'ClusterNetworkPolicy'],
    ['clusternetworkpolicy.policy.networking.k8s.io', 'ClusterNetworkPolicy'],
    ['clusternetworkpolicies.v1alpha2.policy.networking.k8s.io', 'ClusterNetworkPolicy'],
    ['anp', 'AdminNetworkPolicy'],
    ['AdminNetworkPolicies', 'AdminNetworkPolicy'],
    ['adminnetworkpolicies.v1alpha1.policy.networking.k8s.io', 'AdminNetworkPolicy'],
    ['banp', 'BaselineAdminNetworkPolicy'],
    ['baselineadminnetworkpolicy', 'BaselineAdminNetworkPolicy'],
  ];
  for (const [type, kind] of cases) assert.deepEqual(resolveType(type), [kind], type);
});

test('get: columns are the CRDs additionalPrinterColumns — Tier, Priority, Age; Priority, Age; Age', () => {
  const ctx = { now: Date.parse('2026-01-01T01:00:00Z') };
  const created = { creationTimestamp: '2026-01-01T00:00:00Z' };
  const c = cnp('gress-rules', { tier: 'Baseline', priority: 15 });
  c.metadata = { ...c.metadata, ...created };
  const a = anp('pass-example', { priority: 0 });
  a.metadata = { ...a.metadata, ...created };
  const b = banp({});
  b.metadata = { ...b.metadata, ...created };
  assert.deepEqual(
    [COLUMNS.ClusterNetworkPolicy.headers, COLUMNS.ClusterNetworkPolicy.cells(c, ctx)],
    [
      ['TIER', 'PRIORITY', 'AGE'],
      ['Baseline', '15', '60m'],
    ],
  );
  assert.deepEqual(
    [COLUMNS.AdminNetworkPolicy.headers, COLUMNS.AdminNetworkPolicy.cells(a, ctx)],
    [
      ['PRIORITY', 'AGE'],
      ['0', '60m'],
    ],
  );
  assert.deepEqual(
    [COLUMNS.BaselineAdminNetworkPolicy.headers, COLUMNS.BaselineAdminNetworkPolicy.cells(b, ctx)],
    [['AGE'], ['60m']],
  );
});
