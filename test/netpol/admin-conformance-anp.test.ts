// The network-policy-api conformance scenarios for the v1alpha1 kinds: AdminNetworkPolicy with
// NetworkPolicy and the BaselineAdminNetworkPolicy (conformance/tests admin-network-policy-core-
// integration.go, baseline-admin-network-policy-*.go, base/api_integration), and named ports
// (admin-network-policy-extended-ingress-rules.go), checked through evaluate().

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  anp,
  banp,
  C0,
  C1,
  D0,
  D1,
  failedProbes,
  H0,
  H1,
  house,
  houses,
  L0,
  ns,
  type Probe,
} from './admin-fixtures.js';
import { policy } from './engine-fixtures.js';

/** base/api_integration/core-anp-np-banp.yaml, with the test's patches. */
function integration(action: 'Deny' | 'Pass', withNetworkPolicy: boolean) {
  const slytherin = [{ namespaces: house('slytherin') }];
  return houses([
    anp('pass-example', {
      priority: 10,
      subject: { namespaces: house('gryffindor') },
      ingress: [{ name: 'deny-all-ingress-from-slytherin', action, from: slytherin }],
      egress: [{ name: 'deny-all-egress-to-slytherin', action, to: slytherin }],
    }),
    ...(withNetworkPolicy
      ? [
          policy(`${ns('gryffindor')}/allow-gress-from-to-slytherin-to-gryffindor`, {
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: [{ namespaceSelector: house('slytherin') }] }],
            egress: [{ to: [{ namespaceSelector: house('slytherin') }] }],
          }),
        ]
      : []),
    banp({
      subject: { namespaces: house('gryffindor') },
      ingress: [{ name: 'deny-all-ingress-from-slytherin', action: 'Deny', from: slytherin }],
      egress: [{ name: 'deny-all-egress-to-slytherin', action: 'Deny', to: slytherin }],
    }),
  ]);
}

test('AdminNetworkPolicyIntegration: ANP Deny beats a NetworkPolicy allow; ANP Pass defers to it; without it the BANP denies', () => {
  const probes = (allowed: boolean): Probe[] => [
    [D0, H0, 'TCP', 80, allowed],
    [D1, H0, 'TCP', 8080, allowed],
    [H0, D0, 'TCP', 80, allowed],
    [H1, D0, 'TCP', 8080, allowed],
  ];
  assert.deepEqual(failedProbes(integration('Deny', true), probes(false)), []);
  assert.deepEqual(failedProbes(integration('Pass', true), probes(true)), []);
  const baseline = integration('Pass', false);
  assert.deepEqual(failedProbes(baseline, probes(false)), []);
  assert.equal(baseline.verdict(D0, H0, 80).ingress.reason, 'baseline-deny');
  // Other houses are untouched by all three.
  assert.deepEqual(failedProbes(baseline, [[C0, H0, 'TCP', 80, true]]), []);
});

test('BaselineAdminNetworkPolicy: applies only to pods no NetworkPolicy isolates (BANP core gress rules)', () => {
  const c = houses([
    policy(`${ns('ravenclaw')}/allow-all-ingress`, { policyTypes: ['Ingress'], ingress: [{}] }),
    banp({
      subject: { namespaces: {} },
      ingress: [
        { name: 'deny-all-from-slytherin', action: 'Deny', from: [{ namespaces: house('slytherin') }] },
      ],
    }),
  ]);
  assert.deepEqual(
    failedProbes(c, [
      [D0, H0, 'TCP', 80, false],
      [D0, C1, 'UDP', 53, false],
      [D0, L0, 'TCP', 80, true],
      [H0, C1, 'TCP', 80, true],
    ]),
    [],
  );
  assert.equal(c.verdict(D0, L0, 80).ingress.reason, 'policy-allow');
});

test('AdminNetworkPolicyExtendedIngress: a namedPort rule matches the port of that name on the destination pod only', () => {
  const c = houses([
    anp('named-port', {
      subject: { namespaces: house('gryffindor') },
      ingress: [
        {
          name: 'deny-named-udp-5353',
          action: 'Deny',
          from: [{ namespaces: house('slytherin') }],
          ports: [{ namedPort: 'udp-5353' }],
        },
        {
          name: 'deny-named-9003',
          action: 'Deny',
          from: [{ namespaces: house('slytherin') }],
          ports: [{ namedPort: 'sctp-9003' }],
        },
      ],
    }),
  ]);
  assert.deepEqual(
    failedProbes(c, [
      [D0, H0, 'UDP', 5353, false],
      [D0, H0, 'SCTP', 9003, false],
      [D0, H0, 'UDP', 53, true],
      [D0, H0, 'TCP', 5353, true],
    ]),
    [],
  );
});
