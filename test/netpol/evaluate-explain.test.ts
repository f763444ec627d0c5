// The reasons a verdict carries: who isolates the pod, and every NetworkPolicy rule that allows
// the connection down to the peer and port entry (policies are additive, so each allowing rule
// is a reason; an empty decidedBy on a deny means no rule of the isolating policies matched).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RuleMatch } from '../../src/netpol/types.js';
import { policy, xyz } from './engine-fixtures.js';

const nsY = { namespaceSelector: { matchLabels: { ns: 'y' } } };

function cluster() {
  // Inserted out of name order, to see the verdict sort them.
  return xyz([
    policy('x/zz-ports', { ingress: [{ ports: [{ port: 81 }, { port: 80, endPort: 81 }] }] }),
    policy('x/aa-peers', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { pod: 'b' } } }] },
        {
          from: [
            { ipBlock: { cidr: '192.0.2.0/24' } },
            nsY,
            { namespaceSelector: {}, podSelector: { matchLabels: { pod: 'b' } } },
          ],
        },
        {},
      ],
    }),
  ]);
}

const ref = (name: string) => ({ kind: 'NetworkPolicy' as const, namespace: 'x', name });

test('Explain: isolatedBy lists every isolating NetworkPolicy, sorted by namespace/name', () => {
  const c = cluster();
  assert.deepEqual(c.direction('Ingress', 'y/b', 'x/a', 80).isolatedBy, [ref('aa-peers'), ref('zz-ports')]);
  assert.deepEqual(c.direction('Ingress', 'y/b', 'x/b', 80).isolatedBy, [ref('zz-ports')]);
  assert.deepEqual(c.direction('Egress', 'x/a', 'y/b', 80).isolatedBy, []);
});

test('Explain: decidedBy names every allowing rule with the first matching peer and port entry', () => {
  const c = cluster();
  const v = c.direction('Ingress', 'y/b', 'x/a', 81);
  assert.equal(v.reason, 'policy-allow');
  const want: RuleMatch[] = [
    // Rule 1: the ipBlock (peer 0) does not match y/b; the namespace peer (1) is the first that does.
    { policy: ref('aa-peers'), direction: 'Ingress', rule: 1, action: 'Allow', peer: 1 },
    // Rule 2 has neither peers nor ports: both indexes are absent.
    { policy: ref('aa-peers'), direction: 'Ingress', rule: 2, action: 'Allow' },
    // Both port entries match 81: the first is reported.
    { policy: ref('zz-ports'), direction: 'Ingress', rule: 0, action: 'Allow', port: 0 },
  ];
  assert.deepEqual(v.decidedBy, want);
});

test('Explain: a port entry other than the first is reported when only it matches', () => {
  const c = cluster();
  const v = c.direction('Ingress', 'z/c', 'x/b', 80);
  assert.deepEqual(v.decidedBy, [
    { policy: ref('zz-ports'), direction: 'Ingress', rule: 0, action: 'Allow', port: 1 },
  ]);
});

test('Explain: a denied connection has an empty decidedBy and names the isolating policies', () => {
  const c = cluster();
  const v = c.direction('Ingress', 'z/c', 'x/b', 82);
  assert.deepEqual([v.allowed, v.reason, v.decidedBy, v.passedBy], [false, 'policy-deny', [], []]);
  assert.deepEqual(v.isolatedBy, [ref('zz-ports')]);
});

test('Explain: egress matches carry the Egress direction and the index into spec.egress', () => {
  const c = xyz([
    policy('x/egress', {
      policyTypes: ['Egress'],
      egress: [
        { to: [{ podSelector: { matchLabels: { pod: 'c' } } }] },
        { to: [nsY], ports: [{ protocol: 'UDP' }] },
      ],
    }),
  ]);
  const v = c.verdict('x/a', 'y/a', 53, 'UDP');
  assert.equal(v.allowed, true);
  assert.deepEqual(v.egress.decidedBy, [
    { policy: ref('egress'), direction: 'Egress', rule: 1, action: 'Allow', peer: 0, port: 0 },
  ]);
  assert.equal(v.ingress.reason, 'not-isolated');
});

test('Explain: a connection is allowed only when egress at the source and ingress at the destination both allow it', () => {
  const c = xyz([policy('x/deny-egress', { policyTypes: ['Egress'] }), policy('y/deny-ingress', {})]);
  const cases: [string, string, boolean, boolean, boolean][] = [
    ['x/a', 'y/a', false, false, false],
    ['x/a', 'z/a', false, false, true],
    ['z/a', 'y/a', false, true, false],
    ['z/a', 'z/b', true, true, true],
  ];
  for (const [from, to, allowed, egress, ingress] of cases) {
    const v = c.verdict(from, to, 80);
    assert.deepEqual(
      [v.allowed, v.egress.allowed, v.ingress.allowed],
      [allowed, egress, ingress],
      `${from} -> ${to}`,
    );
  }
});
