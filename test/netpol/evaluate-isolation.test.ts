// Isolation per direction and the additive union of policies (Kubernetes docs, Network Policies:
// "The two sorts of pod isolation", "policies are additive"; networking.k8s.io/v1 policyTypes).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { policy, truthTable, xyz } from './engine-fixtures.js';

const ALL = '.........';

test('Isolation: with no NetworkPolicy every pod reaches every pod (pods are non-isolated by default)', () => {
  const c = xyz();
  assert.deepEqual(truthTable(c, 80), Array(9).fill(ALL));
  const v = c.verdict('x/a', 'y/b', 80);
  assert.equal(v.egress.reason, 'not-isolated');
  assert.equal(v.ingress.reason, 'not-isolated');
});

test('Isolation: a policy without policyTypes and without egress rules isolates ingress only (policyTypes defaults to [Ingress])', () => {
  const c = xyz([policy('x/deny-ingress', { podSelector: {} })]);
  assert.deepEqual(c.store.get('NetworkPolicy', 'x', 'deny-ingress')?.spec.policyTypes, ['Ingress']);
  // Columns x/a, x/b, x/c are denied, except each pod to itself.
  assert.deepEqual(truthTable(c, 80), [
    '.XX......',
    'X.X......',
    'XX.......',
    'XXX......',
    'XXX......',
    'XXX......',
    'XXX......',
    'XXX......',
    'XXX......',
  ]);
  assert.equal(c.direction('Egress', 'x/a', 'y/a', 80).reason, 'not-isolated');
});

test('Isolation: egress rules without policyTypes isolate both directions (policyTypes defaults to [Ingress, Egress] when egress rules exist)', () => {
  const c = xyz([
    policy('x/egress-to-y', {
      podSelector: { matchLabels: { pod: 'a' } },
      egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }],
    }),
  ]);
  assert.deepEqual(c.store.get('NetworkPolicy', 'x', 'egress-to-y')?.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(c.allowed('x/a', 'y/b', 80), true);
  assert.equal(c.allowed('x/a', 'z/b', 80), false);
  // Ingress isolated with no ingress rules: nothing reaches x/a.
  assert.equal(c.allowed('y/b', 'x/a', 80), false);
  assert.equal(c.direction('Ingress', 'y/b', 'x/a', 80).reason, 'policy-deny');
});

test('Isolation: policyTypes [Egress] isolates egress only, ingress stays open (NetworkPolicySpec policyTypes)', () => {
  const c = xyz([policy('x/deny-egress', { policyTypes: ['Egress'] })]);
  assert.equal(c.allowed('x/a', 'y/a', 80), false);
  assert.equal(c.allowed('y/a', 'x/a', 80), true);
  assert.equal(c.direction('Ingress', 'y/a', 'x/a', 80).reason, 'not-isolated');
});

test('Isolation: ingress rules of a policy whose policyTypes is [Egress] are ignored (policyTypes decides which rule lists apply)', () => {
  const c = xyz([policy('x/egress-only', { policyTypes: ['Egress'], ingress: [{}], egress: [] })]);
  assert.equal(c.direction('Ingress', 'y/a', 'x/a', 80).reason, 'not-isolated');
  assert.equal(c.model.isolatedBy(c.pod('x/a'), 'Ingress').length, 0);
  assert.equal(c.allowed('x/a', 'y/a', 80), false);
});

test('Isolation: a pod not selected by any policy stays non-isolated (podSelector in the policy namespace only)', () => {
  const c = xyz([policy('x/deny-a', { podSelector: { matchLabels: { pod: 'a' } } })]);
  assert.equal(c.allowed('y/b', 'x/a', 80), false);
  assert.equal(c.allowed('y/b', 'x/b', 80), true);
  // The same labels in another namespace are not selected.
  assert.equal(c.allowed('y/b', 'y/a', 80), true);
});

test('Isolation: policies are additive, the union of their rules allows (Network Policies: policies do not conflict)', () => {
  const c = xyz([
    policy('x/from-y', { ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
    policy('x/from-z-b', {
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { ns: 'z' } }, podSelector: { matchLabels: { pod: 'b' } } },
          ],
        },
      ],
    }),
  ]);
  assert.equal(c.allowed('y/c', 'x/a', 80), true);
  assert.equal(c.allowed('z/b', 'x/a', 80), true);
  assert.equal(c.allowed('z/a', 'x/a', 80), false);
  const v = c.direction('Ingress', 'z/b', 'x/a', 80);
  assert.deepEqual(
    v.isolatedBy.map((r) => r.name),
    ['from-y', 'from-z-b'],
  );
});

test('Isolation: a connection needs egress allowed at the source and ingress allowed at the destination', () => {
  const c = xyz([
    policy('x/deny-egress', { policyTypes: ['Egress'] }),
    policy('y/deny-ingress', { policyTypes: ['Ingress'] }),
  ]);
  const out = c.verdict('x/a', 'z/a', 80);
  assert.deepEqual([out.allowed, out.egress.allowed, out.ingress.allowed], [false, false, true]);
  const into = c.verdict('z/a', 'y/a', 80);
  assert.deepEqual([into.allowed, into.egress.allowed, into.ingress.allowed], [false, true, false]);
  assert.equal(c.allowed('z/a', 'z/b', 80), true);
});

test('Isolation: an allow-all ingress rule {} admits every source, outside addresses included (empty rule matches all)', () => {
  const c = xyz([policy('x/allow-all', { ingress: [{}] })]);
  assert.equal(c.allowed('y/a', 'x/a', 80), true);
  assert.equal(c.allowed('203.0.113.9', 'x/a', 9999, 'UDP'), true);
  assert.equal(c.direction('Ingress', '203.0.113.9', 'x/a', 9999).reason, 'policy-allow');
});

test('Isolation: an empty ingress list denies all ingress ("default deny", ingress: [])', () => {
  const c = xyz([policy('x/deny', { policyTypes: ['Ingress'], ingress: [] })]);
  assert.equal(c.allowed('y/a', 'x/a', 80), false);
  assert.equal(c.allowed('203.0.113.9', 'x/a', 80), false);
});

test('Isolation: a pod cannot block access to itself (Network Policies docs; upstream e2e AllowLoopback)', () => {
  const c = xyz([policy('x/deny-all', { policyTypes: ['Ingress', 'Egress'] })]);
  const v = c.verdict('x/a', 'x/a', 80);
  assert.equal(v.allowed, true);
  assert.equal(v.egress.reason, 'self');
  assert.equal(v.ingress.reason, 'self');
  assert.deepEqual(
    v.ingress.isolatedBy.map((r) => r.name),
    ['deny-all'],
  );
  assert.equal(c.allowed('x/a', 'x/b', 80), false);
});

test('Isolation: a policy in a namespace without pods, or selecting no pod, isolates nothing', () => {
  const c = xyz([
    policy('ghost/deny', { podSelector: {} }),
    policy('x/deny-nobody', { podSelector: { matchLabels: { pod: 'nobody' } } }),
    policy('x/deny-expr', {
      podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['d', 'e'] }] },
    }),
  ]);
  assert.deepEqual(truthTable(c, 80), Array(9).fill(ALL));
});
