// decide(), in order: tiers, priorities, rules in written order, Pass, subjects and direction, as
// the network-policy-api types define them (apis/v1alpha2/clusternetworkpolicy_types.go, and
// apis/v1alpha1 for AdminNetworkPolicy / BaselineAdminNetworkPolicy).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  anp,
  banp,
  cnp,
  D0,
  decide,
  H0,
  HOUSE_PORTS,
  house,
  houses,
  L0,
  ns,
  summary,
} from './admin-fixtures.js';
import { pod } from './engine-fixtures.js';

const fromSlytherin = { from: [{ namespaces: house('slytherin') }] };
const toSlytherin = { to: [{ namespaces: house('slytherin') }] };
const gryffindor = { subject: { namespaces: house('gryffindor') } };

test('Admin tier: policies are checked by priority, lower values first (ClusterNetworkPolicySpec.priority)', () => {
  const c = houses([
    cnp('deny-later', { ...gryffindor, priority: 20, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
    cnp('accept-first', { ...gryffindor, priority: 10, ingress: [{ action: 'Accept', ...fromSlytherin }] }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, H0)), [
    'Accept ClusterNetworkPolicy/accept-first ingress[0]',
  ]);
});

test('Admin tier: within a policy the first matching rule in written order decides (ingress/egress rule precedence)', () => {
  const rules = [
    { action: 'Accept' as const, ...toSlytherin },
    { action: 'Deny' as const, ...toSlytherin },
  ];
  const accept = houses([cnp('gress', { ...gryffindor, egress: rules })]);
  assert.deepEqual(summary(decide(accept, 'Admin', 'Egress', H0, D0)), [
    'Accept ClusterNetworkPolicy/gress egress[0]',
  ]);
  const deny = houses([cnp('gress', { ...gryffindor, egress: [...rules].reverse() })]);
  assert.deepEqual(summary(decide(deny, 'Admin', 'Egress', H0, D0)), [
    'Deny ClusterNetworkPolicy/gress egress[0]',
  ]);
});

test('Admin tier: equal priorities (undefined upstream) go ClusterNetworkPolicy before AdminNetworkPolicy, then by name', () => {
  const c = houses([
    anp('aaa', { ...gryffindor, priority: 10, ingress: [{ action: 'Allow', ...fromSlytherin }] }),
    cnp('zulu', { ...gryffindor, priority: 10, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
    cnp('yankee', { ...gryffindor, priority: 10, ingress: [{ action: 'Pass', ...fromSlytherin }] }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, H0)), [
    'Pass ClusterNetworkPolicy/yankee ingress[0]',
  ]);
  const mixed = houses([
    anp('aaa', { ...gryffindor, priority: 10, ingress: [{ action: 'Allow', ...fromSlytherin }] }),
    cnp('zulu', { ...gryffindor, priority: 10, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
  ]);
  assert.deepEqual(summary(decide(mixed, 'Admin', 'Ingress', D0, H0)), [
    'Deny ClusterNetworkPolicy/zulu ingress[0]',
  ]);
});

test('Admin tier: AdminNetworkPolicy and ClusterNetworkPolicy share one priority scale', () => {
  const c = houses([
    cnp('cnp-20', { ...gryffindor, priority: 20, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
    anp('anp-15', { ...gryffindor, priority: 15, ingress: [{ action: 'Allow', ...fromSlytherin }] }),
  ]);
  const d = decide(c, 'Admin', 'Ingress', D0, H0);
  // The action as the object wrote it: v1alpha1 says Allow where v1alpha2 says Accept.
  assert.deepEqual(summary(d), ['Allow AdminNetworkPolicy/anp-15 ingress[0]']);
  assert.equal(d.decision?.priority, 15);
});

test('Pass: skips every remaining rule of the tier, in the same policy and in later ones (ClusterNetworkPolicyRuleActionPass)', () => {
  const c = houses([
    cnp('pass', {
      ...gryffindor,
      priority: 10,
      ingress: [
        { action: 'Pass', ...fromSlytherin },
        { action: 'Deny', ...fromSlytherin },
      ],
    }),
    cnp('deny', { ...gryffindor, priority: 20, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
  ]);
  const d = decide(c, 'Admin', 'Ingress', D0, H0);
  assert.equal(d.decision, undefined);
  assert.deepEqual(summary(d), ['Pass ClusterNetworkPolicy/pass ingress[0]']);
});

test('Baseline tier: ClusterNetworkPolicies of tier Baseline by priority, the BaselineAdminNetworkPolicy after them; tiers do not mix', () => {
  const c = houses([
    cnp('baseline-20', {
      ...gryffindor,
      tier: 'Baseline',
      priority: 20,
      ingress: [{ action: 'Deny', ...fromSlytherin }],
    }),
    cnp('baseline-5', {
      ...gryffindor,
      tier: 'Baseline',
      priority: 5,
      ingress: [{ action: 'Accept', ...fromSlytherin }],
    }),
    banp({
      ...gryffindor,
      ingress: [{ action: 'Deny', ...fromSlytherin }],
      egress: [{ action: 'Deny', ...toSlytherin }],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Baseline', 'Ingress', D0, H0)), [
    'Accept ClusterNetworkPolicy/baseline-5 ingress[0]',
  ]);
  // No Baseline-tier ClusterNetworkPolicy has egress rules: the BANP decides, without a priority.
  const egress = decide(c, 'Baseline', 'Egress', H0, D0);
  assert.deepEqual(summary(egress), ['Deny BaselineAdminNetworkPolicy/default egress[0]']);
  assert.equal(egress.decision?.priority, undefined);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, H0)), []);
});

test('Baseline tier: Pass ends the tier undecided (the next tier is the default allow)', () => {
  const c = houses([
    cnp('baseline-pass', {
      ...gryffindor,
      tier: 'Baseline',
      priority: 1,
      ingress: [{ action: 'Pass', ...fromSlytherin }],
    }),
    banp({ ...gryffindor, ingress: [{ action: 'Deny', ...fromSlytherin }] }),
  ]);
  const d = decide(c, 'Baseline', 'Ingress', D0, H0);
  assert.equal(d.decision, undefined);
  assert.deepEqual(summary(d), ['Pass ClusterNetworkPolicy/baseline-pass ingress[0]']);
});

test('Subject: `namespaces` selects every pod of the namespaces, `pods` the pods matching both selectors', () => {
  const hermione = `${ns('gryffindor')}/hermione-granger`;
  const c = houses([
    pod(hermione, {
      labels: { 'conformance-house': 'gryffindor', prefect: 'true' },
      ips: ['10.244.1.99'],
      ports: HOUSE_PORTS,
    }),
    cnp('prefects', {
      priority: 1,
      subject: {
        pods: { namespaceSelector: house('gryffindor'), podSelector: { matchLabels: { prefect: 'true' } } },
      },
      ingress: [{ action: 'Deny', ...fromSlytherin }],
    }),
    cnp('house', { ...gryffindor, priority: 2, ingress: [{ action: 'Accept', ...fromSlytherin }] }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, hermione)), [
    'Deny ClusterNetworkPolicy/prefects ingress[0]',
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, H0)), [
    'Accept ClusterNetworkPolicy/house ingress[0]',
  ]);
});

test('Subject: hostNetwork pods, nodes and outside addresses are never subjects (ClusterNetworkPolicySubject)', () => {
  const agent = `${ns('gryffindor')}/agent`;
  const c = houses([
    pod(agent, { labels: { 'conformance-house': 'gryffindor' }, hostNetwork: true, node: 'podnet-worker' }),
    cnp('deny-all', {
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, agent)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', agent, D0)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', 'node/podnet-worker', D0)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', '203.0.113.7', D0)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', D0, '203.0.113.7')), [
    'Deny ClusterNetworkPolicy/deny-all egress[0]',
  ]);
});

test('Direction: a policy without egress rules does not affect egress, and the reverse (CNPs with no egress rules do not affect egress traffic)', () => {
  const c = houses([
    cnp('ingress-only', { ...gryffindor, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
    cnp('egress-only', {
      subject: { namespaces: house('ravenclaw') },
      egress: [{ action: 'Deny', to: [{ namespaces: {} }] }],
    }),
  ]);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', H0, D0)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Ingress', D0, L0)), []);
  assert.deepEqual(summary(decide(c, 'Admin', 'Egress', L0, D0)), [
    'Deny ClusterNetworkPolicy/egress-only egress[0]',
  ]);
});
