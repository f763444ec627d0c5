// Checking expectations against a cluster (src/netpol/expectations*.ts): what "allowed" and
// "denied" mean over a selection, how violations are counted and explained, and that the counts
// read from the class-based matrix are those of a direct evaluation of every connection.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, Pod, Protocol } from '../../src/api/types.js';
import { evaluate } from '../../src/netpol/evaluate.js';
import type { ExpectationResult } from '../../src/netpol/expectations.js';
import { type CheckOutcome, checkExpectations, MAX_EXAMPLES } from '../../src/netpol/expectations-check.js';
import { parseExpectations } from '../../src/netpol/expectations-parse.js';
import { type EngineCluster, pod, policy, xyz } from './engine-fixtures.js';

function check(c: EngineCluster, entries: string): CheckOutcome {
  const parsed = parseExpectations(
    `apiVersion: podnet.dev/v1alpha1\nkind: Expectations\nexpectations:\n${entries}`,
    'e.yaml',
  );
  assert.deepEqual(parsed.diagnostics, []);
  return checkExpectations(c.model, parsed.expectations);
}

function results(c: EngineCluster, entries: string): readonly ExpectationResult[] {
  const outcome = check(c, entries);
  if (!outcome.ok) assert.fail(outcome.diagnostics.map((d) => d.message).join('\n'));
  return outcome.results;
}

/** passed, connections, violations of each result. */
function summary(rs: readonly ExpectationResult[]): [boolean, number, number][] {
  return rs.map((r) => [r.passed, r.connections, r.violations]);
}

const DENY_Y = policy('y/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

test('expectations: allowed means every selected connection is allowed; denied means every one is denied', () => {
  const c = xyz([DENY_Y]);
  assert.deepEqual(
    summary(
      results(
        c,
        `- {from: {namespace: x}, to: {namespace: z}, port: 80, allowed: true}
- {from: {namespace: x}, to: {namespace: "y"}, port: [80, "81/UDP"], allowed: false}
- {from: {namespace: x}, to: {namespace: "y"}, port: 80, allowed: true}
- {from: {namespace: x}, to: {namespaceSelector: {}}, port: 80, allowed: false}
`,
      ),
    ),
    [
      [true, 9, 0],
      [true, 18, 0],
      [false, 9, 9],
      // Every namespace holds the 9 pods and the 2 cluster DNS pods: 3 x 11 pairs less the 3
      // pods themselves; all but the 9 into y are allowed.
      [false, 30, 21],
    ],
  );
});

test('expectations: a pod and itself are not a pair ("a pod cannot block access to itself")', () => {
  const c = xyz([policy('x/deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
  const [r] = results(c, '- {from: {namespace: x}, to: {namespace: x}, port: 80, allowed: false}\n');
  assert.deepEqual([r.passed, r.connections], [true, 6]);
});

test('expectations: violations decided alike are grouped, with the deciding verdict and a few connections', () => {
  const c = xyz([DENY_Y]);
  const [r] = results(c, '- {from: {namespace: x}, to: {namespace: "y"}, port: 80, allowed: true}\n');
  assert.equal(r.groups.length, 1);
  const [g] = r.groups;
  assert.equal(g.count, 9);
  assert.equal(g.verdict.allowed, false);
  assert.equal(g.verdict.ingress.reason, 'policy-deny');
  assert.deepEqual(g.verdict.ingress.isolatedBy, [
    { kind: 'NetworkPolicy', namespace: 'y', name: 'deny-all' },
  ]);
  assert.equal(g.examples.length, MAX_EXAMPLES);
  assert.deepEqual(g.examples[0], { from: 'x/a', to: 'y/a', port: '80/TCP' });
  assert.equal(r.unexplained, 0);
});

test('expectations: a port name is resolved on each destination pod (NetworkPolicy named ports)', () => {
  const c = xyz();
  const [r] = results(
    c,
    '- {from: {namespace: x, pod: a}, to: {namespace: "y"}, port: serve-81-sctp, allowed: true}\n',
  );
  assert.deepEqual(r.ports, ['81/SCTP']);
  assert.equal(r.connections, 3);
});

test('expectations: an address end is mapped to what holds it, and is checked connection by connection', () => {
  const c = xyz([
    policy('y/from-docs', {
      podSelector: {},
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }],
    }),
  ]);
  assert.deepEqual(
    summary(
      results(
        c,
        `- {from: {ip: 203.0.113.10}, to: {namespace: "y"}, port: 80, allowed: true}
- {from: {ip: 198.51.100.1}, to: {namespace: "y"}, port: 80, allowed: false}
- {from: {namespace: "y"}, to: {ip: 198.51.100.1}, port: 443, allowed: true}
- {from: {ip: 10.244.1.10}, to: {namespace: "y"}, port: 80, allowed: false}
`,
      ),
    ),
    [
      [true, 3, 0],
      [true, 3, 0],
      [true, 3, 0],
      // 10.244.1.10 is x/a: a pod, which the ipBlock does not cover.
      [true, 3, 0],
    ],
  );
});

test('expectations: a node reaches its own pods whatever policies say, which a denied expectation reports', () => {
  const c = xyz([policy('x/deny-all', { podSelector: {} })]);
  const [r] = results(c, '- {from: {node: podnet-worker}, to: {namespace: x}, port: 80, allowed: false}\n');
  // x/a and x/b run on podnet-worker, x/c on podnet-worker2.
  assert.deepEqual([r.passed, r.connections, r.violations], [false, 3, 2]);
  assert.equal(r.groups[0].verdict.ingress.reason, 'own-node');
  assert.deepEqual(
    r.groups[0].examples.map((e) => `${e.from} ${e.to}`),
    ['node/podnet-worker x/a', 'node/podnet-worker x/b'],
  );
});

test('expectations: selected pods without an address yet are noted, not checked', () => {
  // Unschedulable: Pending without a node, so without an address.
  const later: Pod = pod('x/later', { labels: { pod: 'a' } });
  later.spec.nodeSelector = { disktype: 'none-has-it' };
  const c = xyz([later]);
  const [r] = results(
    c,
    '- {from: {namespace: x, selector: pod=a}, to: {namespace: "y"}, port: 80, allowed: true}\n',
  );
  assert.deepEqual([r.passed, r.connections, r.skipped], [true, 3, ['x/later']]);
});

test('expectations: an end that selects nothing, or a port a destination pod does not declare, is an error of the file', () => {
  const c = xyz();
  const outcome = check(
    c,
    `- {from: {namespace: nope}, to: {namespace: "y"}, port: 80, allowed: true}
- {from: {namespace: x, selector: pod=d}, to: {namespace: "y"}, port: 80, allowed: true}
- {from: {namespace: x, selector: pod=d}, to: {namespace: "y"}, port: 80, allowed: true, allowEmpty: true}
- {from: {namespace: x}, to: {namespace: "y"}, port: http, allowed: true}
- {from: {node: nope}, to: {namespace: "y"}, port: 80, allowed: true}
`,
  );
  assert.ok(!outcome.ok);
  assert.deepEqual(
    outcome.diagnostics.map((d) => `${d.line}: ${d.message}`),
    [
      '4: expectations[0].from: Invalid value: "nope/*": namespace "nope" does not exist (set allowEmpty: true if that is intended)',
      '5: expectations[1].from: Invalid value: "x/(pod=d)": selects no pods (set allowEmpty: true if that is intended)',
      '7: expectations[3].port: Invalid value: "http": 3 of the 3 destination pods declare no port named http: y/a, y/b, y/c',
      '8: expectations[4].from: Invalid value: "node/nope": node "nope" does not exist',
    ],
  );
});

test('expectations: allowEmpty lets an end select nothing; the expectation then holds vacuously', () => {
  const c = xyz();
  assert.deepEqual(
    summary(
      results(
        c,
        '- {from: {namespace: x, selector: pod=d}, to: {namespace: "y"}, port: 80, allowed: true, allowEmpty: true}\n',
      ),
    ),
    [[true, 0, 0]],
  );
});

/** Connections of `from` namespace a to namespace b on a port that a direct evaluation denies. */
function deniedDirectly(c: EngineCluster, a: string, b: string, port: number, protocol: Protocol): number {
  const names = (ns: string) => c.store.list('Pod', ns).map((p) => `${ns}/${p.metadata.name}`);
  let n = 0;
  for (const from of names(a))
    for (const to of names(b))
      if (from !== to && !evaluate(c.model, c.conn(from, to, port, protocol)).allowed) n++;
  return n;
}

/** A hostNetwork pod in x on podnet-worker: its node's own pods (x/a, x/b, y/a...) always admit it. */
const HOST_X = pod('x/h', {
  hostNetwork: true,
  node: 'podnet-worker',
  ips: ['172.18.0.3'],
  labels: { pod: 'h' },
});

const POLICIES: [string, KubeObject[]][] = [
  ['none', []],
  ['deny y', [DENY_Y]],
  [
    'x/a only to y/b on 81',
    [
      policy('x/a-egress', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              { namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } },
            ],
            ports: [{ port: 81 }],
          },
        ],
      }),
    ],
  ],
  [
    'z admits x by namespace, UDP only',
    [
      policy('z/from-x', {
        podSelector: {},
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { ns: 'x' } } }], ports: [{ protocol: 'UDP' }] },
        ],
      }),
    ],
  ],
];

test('expectations: counts and explained violations read from the class matrix equal a direct evaluation of every connection', () => {
  for (const [what, objects] of POLICIES) {
    const c = xyz([HOST_X, ...objects]);
    for (const a of ['x', 'y', 'z'])
      for (const b of ['x', 'y', 'z'])
        for (const [port, protocol] of [
          [80, 'TCP'],
          [81, 'TCP'],
          [80, 'UDP'],
        ] as const) {
          const at = `${what}: ${a} -> ${b} ${port}/${protocol}`;
          const entry = (allowed: boolean) =>
            `- {from: {namespace: "${a}"}, to: {namespace: "${b}"}, port: "${port}/${protocol}", allowed: ${allowed}}\n`;
          const want = deniedDirectly(c, a, b, port, protocol);
          const [r] = results(c, entry(true));
          assert.equal(r.violations, want, at);
          assert.equal(
            r.groups.reduce((n, g) => n + g.count, 0),
            want,
            `${at}: every violation explained`,
          );
          const [d] = results(c, entry(false));
          assert.equal(d.violations, d.connections - want, `${at} denied`);
          assert.equal(
            d.groups.reduce((n, g) => n + g.count, 0),
            d.violations,
            `${at} denied: every violation explained`,
          );
        }
  }
});
