// The network-policy-api conformance scenarios for ClusterNetworkPolicy rules and priorities
// (conformance/tests admin-network-policy-standard-*.go, base/admin_tier), recreated as podnet
// test data and checked through evaluate(): each probe is a client pod, a server, a port and the
// verdict the suite expects. A test that patches a policy between probes is a case per version.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  ClusterNetworkPolicy,
  ClusterNetworkPolicyEgressRule,
  ClusterNetworkPolicyIngressRule,
  ClusterNetworkPolicyProtocol,
} from '../../src/api/types.js';
import {
  C0,
  C1,
  cnp,
  D0,
  D1,
  EACH_PROTOCOL,
  failedProbes,
  H0,
  H1,
  house,
  houses,
  L0,
  L1,
  named,
  type Probe,
  tcp,
} from './admin-fixtures.js';

const AT_80_53_9003: ClusterNetworkPolicyProtocol[] = [
  tcp(80),
  { udp: { destinationPort: { number: 53 } } },
  { sctp: { destinationPort: { number: 9003 } } },
];

type Peer = 'ravenclaw' | 'slytherin' | 'hufflepuff';
type Action = ClusterNetworkPolicyEgressRule['action'];

/** One rule of `gress-rules`, for egress (`to`) and its ingress twin (`from`). */
function gress(name: string, action: Action, peer: Peer, protocols?: ClusterNetworkPolicyProtocol[]) {
  const peers = [{ namespaces: named(peer) }];
  const extra = protocols ? { protocols } : {};
  return {
    egress: { name: name.replace('*', 'to'), action, to: peers, ...extra } as ClusterNetworkPolicyEgressRule,
    ingress: {
      name: name.replace('*', 'from'),
      action,
      from: peers,
      ...extra,
    } as ClusterNetworkPolicyIngressRule,
  };
}

const AT_8080_5353_9003: ClusterNetworkPolicyProtocol[] = [
  tcp(8080),
  { udp: { destinationPort: { number: 5353 } } },
  { sctp: { destinationPort: { number: 9003 } } },
];

/** base/admin_tier/standard-gress-rules-combined.yaml: policy `gress-rules`. */
function gressRules(swapFirstTwo = false): ClusterNetworkPolicy {
  const rules = [
    gress('allow-*-ravenclaw-everything', 'Accept', 'ravenclaw'),
    gress('deny-*-ravenclaw-everything', 'Deny', 'ravenclaw'),
    gress('pass-*-ravenclaw-everything', 'Pass', 'ravenclaw'),
    gress('deny-*-slytherin-at-ports-80-53-9003', 'Deny', 'slytherin', AT_80_53_9003),
    gress('pass-*-slytherin-at-port-80-53-9003', 'Pass', 'slytherin', AT_80_53_9003),
    gress('allow-*-hufflepuff-at-ports-8080-5353-9003', 'Accept', 'hufflepuff', AT_8080_5353_9003),
    gress('deny-*-hufflepuff-everything-else', 'Deny', 'hufflepuff'),
  ];
  // Ingress from hufflepuff is accepted on 80 rather than 8080, as in the manifest.
  rules[5].ingress.protocols = [tcp(80), ...AT_8080_5353_9003.slice(1)];
  if (swapFirstTwo) [rules[0], rules[1]] = [rules[1], rules[0]];
  return cnp('gress-rules', {
    priority: 15,
    subject: { namespaces: named('gryffindor') },
    egress: rules.map((r) => r.egress),
    ingress: rules.map((r) => r.ingress),
  });
}

test('CNPAdminTierGress: the first of Accept and Deny rules written for the same peers wins, across TCP, UDP and SCTP', () => {
  const accept = houses([gressRules()]);
  const deny = houses([gressRules(true)]);
  const probes = (allowed: boolean): Probe[] =>
    EACH_PROTOCOL.flatMap(([protocol, port]) => [
      [H0, L0, protocol, port, allowed],
      [L1, H1, protocol, port, allowed],
    ]);
  assert.deepEqual(failedProbes(accept, probes(true)), []);
  assert.deepEqual(failedProbes(deny, probes(false)), []);
});

test('CNPAdminTierGress: rules at specified ports — Accept on the listed ports, Deny for everything else, Deny-before-Pass', () => {
  const c = houses([gressRules()]);
  assert.deepEqual(
    failedProbes(c, [
      // egress to hufflepuff: index 5 accepts 8080/5353/9003, index 6 denies the rest
      [H0, C1, 'TCP', 8080, true],
      [H1, C1, 'TCP', 80, false],
      [H0, C1, 'UDP', 5353, true],
      [H1, C1, 'UDP', 53, false],
      [H0, C1, 'SCTP', 9003, true],
      [H1, C1, 'SCTP', 9005, false],
      // ingress from hufflepuff: index 5 accepts 80/5353/9003, index 6 denies the rest
      [C0, H1, 'TCP', 80, true],
      [C1, H1, 'TCP', 8080, false],
      [C0, H1, 'UDP', 5353, true],
      [C1, H1, 'UDP', 53, false],
      [C0, H1, 'SCTP', 9003, true],
      [C1, H1, 'SCTP', 9005, false],
      // slytherin: index 3 denies 80/53/9003 before index 4 passes them; other ports match no rule
      [H0, D0, 'TCP', 80, false],
      [H1, D0, 'TCP', 8080, true],
      [H0, D0, 'UDP', 53, false],
      [H1, D0, 'UDP', 5353, true],
      [D0, H0, 'SCTP', 9003, false],
      [D1, H0, 'SCTP', 9005, true],
    ]),
    [],
  );
});

/** base/admin_tier/standard-priority-field.yaml, with the pass policy's priority as patched. */
function priorityField(passPriority: number) {
  const gryffindorPods = {
    pods: { namespaceSelector: house('gryffindor'), podSelector: house('gryffindor') },
  };
  const slytherinPods = [
    { pods: { namespaceSelector: house('slytherin'), podSelector: house('slytherin') } },
  ];
  return houses([
    cnp('priority-50-example', {
      priority: 50,
      subject: gryffindorPods,
      ingress: [{ name: 'deny-all-ingress-from-slytherin', action: 'Deny', from: slytherinPods }],
      egress: [{ name: 'deny-all-egress-to-slytherin', action: 'Deny', to: slytherinPods }],
    }),
    cnp('old-priority-60-new-priority-40-example', {
      priority: passPriority,
      subject: gryffindorPods,
      ingress: [{ name: 'pass-all-ingress-from-slytherin', action: 'Pass', from: slytherinPods }],
      egress: [{ name: 'pass-all-egress-to-slytherin', action: 'Pass', to: slytherinPods }],
    }),
    cnp('default', {
      tier: 'Baseline',
      priority: 10,
      subject: gryffindorPods,
      ingress: [{ name: 'allow-all-ingress-from-slytherin', action: 'Accept', from: slytherinPods }],
      egress: [{ name: 'allow-all-egress-to-slytherin', action: 'Accept', to: slytherinPods }],
    }),
  ]);
}

test('CNPAdminTierPriorityField: Deny at priority 50 beats Pass at 60; moved to 40, Pass wins and the Baseline tier accepts', () => {
  const probes = (allowed: boolean): Probe[] => [
    [D0, H0, 'TCP', 80, allowed],
    [D1, H0, 'UDP', 5353, allowed],
    [H0, D1, 'SCTP', 9003, allowed],
    [H1, D0, 'TCP', 8080, allowed],
  ];
  assert.deepEqual(failedProbes(priorityField(60), probes(false)), []);
  const moved = priorityField(40);
  assert.deepEqual(failedProbes(moved, probes(true)), []);
  const v = moved.verdict(D0, H0, 80);
  assert.equal(v.ingress.reason, 'baseline-accept');
  assert.deepEqual(
    v.ingress.passedBy.map((m) => m.ruleName),
    ['pass-all-ingress-from-slytherin'],
  );
});

test('CNPAdminTierSamePriority: three policies at one priority apply side by side, whatever order podnet picks', () => {
  const deny = (
    name: string,
    subject: 'gryffindor' | 'hufflepuff',
    peer: 'slytherin' | 'hufflepuff',
    port: number,
  ) =>
    cnp(name, {
      priority: 15,
      subject: { namespaces: named(subject) },
      ingress: [{ action: 'Deny', from: [{ namespaces: named(peer) }], protocols: [tcp(port)] }],
      egress: [{ action: 'Deny', to: [{ namespaces: named(peer) }], protocols: [tcp(port)] }],
    });
  const c = houses([
    deny('same-priority-gryffindor-slytherin', 'gryffindor', 'slytherin', 80),
    deny('same-priority-gryffindor-hufflepuff', 'gryffindor', 'hufflepuff', 80),
    deny('same-priority-hufflepuff-slytherin', 'hufflepuff', 'slytherin', 8080),
  ]);
  assert.deepEqual(
    failedProbes(c, [
      [D0, H0, 'TCP', 80, false],
      [H0, D1, 'TCP', 80, false],
      [C0, H1, 'TCP', 80, false],
      [H1, C0, 'TCP', 80, false],
      [D0, C0, 'TCP', 8080, false],
      [C1, D1, 'TCP', 8080, false],
      [D0, H0, 'TCP', 8080, true],
      [D0, C0, 'TCP', 80, true],
    ]),
    [],
  );
});

test('CNPAdminTierIngressRulesEgressUnaffected / EgressRulesIngressUnaffected: rules in one direction leave the other open', () => {
  const ingressOnly = houses([
    cnp('admin-ingress-isolation', {
      priority: 20,
      subject: { namespaces: named('gryffindor') },
      ingress: [{ name: 'deny-from-slytherin', action: 'Deny', from: [{ namespaces: named('slytherin') }] }],
    }),
  ]);
  assert.deepEqual(
    failedProbes(ingressOnly, [
      [D0, H0, 'TCP', 80, false],
      [H0, L0, 'TCP', 80, true],
      [H0, C0, 'TCP', 80, true],
    ]),
    [],
  );
  const egressOnly = houses([
    cnp('admin-egress-isolation', {
      priority: 20,
      subject: { namespaces: named('gryffindor') },
      egress: [{ name: 'deny-to-slytherin', action: 'Deny', to: [{ namespaces: named('slytherin') }] }],
    }),
  ]);
  assert.deepEqual(
    failedProbes(egressOnly, [
      [H0, D0, 'TCP', 80, false],
      [L0, H0, 'TCP', 80, true],
      [C0, H0, 'TCP', 80, true],
    ]),
    [],
  );
});
