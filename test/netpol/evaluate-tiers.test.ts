// The order of the tiers around NetworkPolicy (network-policy-api: Admin tier, then
// NetworkPolicy, then Baseline tier, then allow; Pass skips to NetworkPolicy; the Baseline tier
// applies only where no NetworkPolicy isolates the pod). The admin tiers are stood in for by a
// table here, so these tests pin evaluate()'s ordering on its own.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/netpol/evaluate.js';
import type { PolicyModel } from '../../src/netpol/model.js';
import type {
  AdminTier,
  AdminTiers,
  Connection,
  PolicyDirection,
  RuleAction,
  RuleMatch,
  TierDecision,
} from '../../src/netpol/types.js';
import { engine, namespace, pod, policy } from './engine-fixtures.js';

function rule(tier: AdminTier, direction: PolicyDirection, action: RuleAction): RuleMatch {
  return {
    policy: { kind: 'ClusterNetworkPolicy', name: `${tier.toLowerCase()}-${action.toLowerCase()}` },
    direction,
    rule: 0,
    action,
    priority: 10,
  };
}

type Table = Partial<Record<`${AdminTier}/${PolicyDirection}`, RuleAction[]>>;

/** Admin tiers that answer every connection from a table: the actions matched, in order. */
function tiers(table: Table, calls: string[] = []): AdminTiers {
  return {
    predicates: { pods: [], cidrs: [], portNames: [], nodes: [] },
    decide(tier: AdminTier, direction: PolicyDirection, _conn: Connection): TierDecision {
      calls.push(`${tier}/${direction}`);
      const passed: RuleMatch[] = [];
      for (const action of table[`${tier}/${direction}`] ?? []) {
        const m = rule(tier, direction, action);
        if (action !== 'Pass') return { decision: m, passed };
        passed.push(m);
      }
      return { passed };
    },
  };
}

function withAdmin(model: PolicyModel, admin: AdminTiers): PolicyModel {
  return Object.create(model, { admin: { value: admin } }) as PolicyModel;
}

/** x/client -> x/server on podnet-worker2, with `extra` policies. */
function setup(
  extra = [
    policy('x/allow-client', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }],
    }),
  ],
) {
  return engine([
    namespace('x'),
    pod('x/server', { labels: { app: 'server' }, ips: ['10.244.2.10'], node: 'podnet-worker2' }),
    pod('x/client', { labels: { app: 'client' }, ips: ['10.244.1.10'] }),
    ...extra,
  ]);
}

test('Tiers: an Admin tier Deny overrides a NetworkPolicy allow (Admin tier before NetworkPolicy)', () => {
  const c = setup();
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Ingress': ['Deny'] })),
    c.conn('x/client', 'x/server', 80),
  );
  assert.equal(v.allowed, false);
  assert.equal(v.ingress.reason, 'admin-deny');
  assert.deepEqual(v.ingress.decidedBy, [rule('Admin', 'Ingress', 'Deny')]);
  assert.deepEqual(
    v.ingress.isolatedBy.map((r) => r.name),
    ['allow-client'],
  );
  assert.equal(v.egress.reason, 'not-isolated');
});

test('Tiers: an Admin tier Accept overrides a NetworkPolicy deny', () => {
  const c = setup([policy('x/deny', {})]);
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Ingress': ['Accept'] })),
    c.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([v.allowed, v.ingress.reason], [true, 'admin-accept']);
});

test('Tiers: the v1alpha1 action Allow accepts like Accept', () => {
  const c = setup([policy('x/deny', {})]);
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Ingress': ['Allow'] })),
    c.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([v.allowed, v.ingress.reason], [true, 'admin-accept']);
});

test('Tiers: Pass hands the decision to NetworkPolicy and is reported in passedBy', () => {
  const c = setup([policy('x/deny', {})]);
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Ingress': ['Pass'] })),
    c.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([v.allowed, v.ingress.reason], [false, 'policy-deny']);
  assert.deepEqual(v.ingress.passedBy, [rule('Admin', 'Ingress', 'Pass')]);
});

test('Tiers: the Baseline tier decides only where no NetworkPolicy isolates the pod', () => {
  const isolated = setup();
  const calls: string[] = [];
  const model = withAdmin(isolated.model, tiers({ 'Baseline/Ingress': ['Deny'] }, calls));
  const v = evaluate(model, isolated.conn('x/client', 'x/server', 80));
  assert.deepEqual([v.allowed, v.ingress.reason], [true, 'policy-allow']);
  assert.ok(!calls.includes('Baseline/Ingress'), 'the Baseline tier is not consulted for an isolated pod');

  const open = setup([]);
  const b = evaluate(
    withAdmin(open.model, tiers({ 'Baseline/Ingress': ['Deny'] })),
    open.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([b.allowed, b.ingress.reason], [false, 'baseline-deny']);
  assert.deepEqual(b.ingress.decidedBy, [rule('Baseline', 'Ingress', 'Deny')]);
  const a = evaluate(
    withAdmin(open.model, tiers({ 'Baseline/Egress': ['Accept'] })),
    open.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([a.allowed, a.egress.reason], [true, 'baseline-accept']);
});

test('Tiers: a Pass in the Admin tier reaches the Baseline tier when no NetworkPolicy isolates the pod', () => {
  const c = setup([]);
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Egress': ['Pass'], 'Baseline/Egress': ['Deny'] })),
    c.conn('x/client', 'x/server', 80),
  );
  assert.deepEqual([v.allowed, v.egress.reason], [false, 'baseline-deny']);
  assert.deepEqual(v.egress.passedBy, [rule('Admin', 'Egress', 'Pass')]);
});

test('Tiers: own-node ingress and a pod to itself are allowed before any tier is consulted', () => {
  const c = setup();
  const calls: string[] = [];
  const model = withAdmin(c.model, tiers({ 'Admin/Ingress': ['Deny'], 'Admin/Egress': ['Deny'] }, calls));
  const own = evaluate(model, c.conn('node/podnet-worker2', 'x/server', 80));
  assert.deepEqual([own.allowed, own.ingress.reason], [true, 'own-node']);
  const self = evaluate(model, c.conn('x/server', 'x/server', 80));
  assert.deepEqual([self.allowed, self.egress.reason, self.ingress.reason], [true, 'self', 'self']);
  assert.deepEqual(calls, []);
});

test('Tiers: the tiers are not consulted for ends that are not pods on the pod network', () => {
  const c = setup();
  const calls: string[] = [];
  const v = evaluate(
    withAdmin(c.model, tiers({ 'Admin/Egress': ['Deny'] }, calls)),
    c.conn('203.0.113.9', 'x/client', 80),
  );
  assert.deepEqual([v.allowed, v.egress.reason], [true, 'not-enforced']);
  assert.deepEqual(calls, ['Admin/Ingress', 'Baseline/Ingress']);
});
