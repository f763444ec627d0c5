// The upstream NetworkPolicy e2e scenarios about ipBlock peers, written, as the suite writes
// them, from the pods' own addresses (a /32 or /128 host block, or the /4 holding a pod's IP with
// that pod excepted): ipBlock matches pod addresses too. Each runs on the IPv4 defaults and on an IPv6
// single-stack cluster (the suite's hostMask 128 branch); a dual-stack case checks that an
// ipBlock speaks for its own family only. Checked as full truth tables (e2e-model.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterConfig } from '../../src/api/cluster-config.js';
import type { NetworkPolicyPeer } from '../../src/api/types.js';
import { formatCIDR, parseCIDRLoose } from '../../src/ip/index.js';
import {
  assertTable,
  DUAL_STACK_CONFIG,
  Expected,
  IPV4_CONFIG,
  IPV6_CONFIG,
  policy,
  type Scenario,
  scenario,
  upstream,
} from './e2e-model.js';

const CLUSTERS: { name: string; config: ClusterConfig }[] = [
  { name: 'IPv4', config: IPV4_CONFIG },
  { name: 'IPv6', config: IPV6_CONFIG },
];

/** The host block of a pod's address in the scenario's family (the suite's hostMask). */
function host(s: Scenario, ref: string): string {
  return `${s.ip(ref)}/${s.family === 'IPv6' ? 128 : 32}`;
}

/** x/a's egress is limited to one ipBlock peer. */
function egressOfXA(to: NetworkPolicyPeer[]) {
  return policy('x', 'allow-client-a-via-cidr-egress-rule', {
    podSelector: { matchLabels: { pod: 'a' } },
    policyTypes: ['Egress'],
    egress: [{ to }],
  });
}

/**
 * The /4 holding x/b's address, except x/b's host block: every model pod but x/b. Written as a
 * subnet (the suite's makeLargeCIDRForIP): the API server's strict CIDR validation refuses
 * `<pod IP>/4`, host bits set, which the suite used to send.
 */
function allButXB(s: Scenario): NetworkPolicyPeer {
  const large = parseCIDRLoose(`${s.ip('x/b')}/4`);
  assert.ok(large);
  return { ipBlock: { cidr: formatCIDR(large), except: [host(s, 'x/b')] } };
}

for (const { name, config } of CLUSTERS) {
  const named = (it: string) => `${upstream(it)} [${name} cluster]`;
  // The policy-free cluster, to read pod addresses from before writing the policies.
  const base = scenario([], { config });

  test(named('should allow egress access to server in CIDR block'), () => {
    const s = scenario([egressOfXA([{ ipBlock: { cidr: host(base, 'y/b') } }])], { config });
    assertTable(s, '80/TCP', new Expected(true).allEgress('x/a', false).pair('x/a', 'y/b', true));
  });

  test(named('should enforce except clause while egress access to server in CIDR block'), () => {
    const s = scenario([egressOfXA([allButXB(base)])], { config });
    assertTable(s, '80/TCP', new Expected(true).pair('x/a', 'x/b', false));
  });

  test(named('should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed'), () => {
    // The suite updates the policy in place: first the /4 except x/b, then x/b's host block alone.
    assertTable(
      scenario([egressOfXA([allButXB(base)])], { config }),
      '80/TCP',
      new Expected(true).pair('x/a', 'x/b', false),
    );
    const onlyXB = egressOfXA([{ ipBlock: { cidr: host(base, 'x/b') } }]);
    assertTable(
      scenario([onlyXB], { config }),
      '80/TCP',
      new Expected(true).allEgress('x/a', false).pair('x/a', 'x/b', true),
    );
    // The title's claim with both policies in place: the second allows what the first's except left out.
    const both = [
      egressOfXA([allButXB(base)]),
      { ...onlyXB, metadata: { ...onlyXB.metadata, name: 'allow-x-b' } },
    ];
    assertTable(scenario(both, { config }), '80/TCP', new Expected(true));
  });
}

test('e2e-style, no upstream It: on a dual-stack cluster an IPv4 ipBlock allows IPv4 connections only (IPBlock.cidr)', () => {
  // The suite's CIDR scenario with the primary (IPv4) address: the IPv4 table is upstream's;
  // in the IPv6 table no ipBlock matches, so x/a's egress is denied everywhere.
  const ipv4 = scenario([], { config: DUAL_STACK_CONFIG });
  const policies = [egressOfXA([{ ipBlock: { cidr: host(ipv4, 'y/b') } }])];
  const expectedV4 = new Expected(true).allEgress('x/a', false).pair('x/a', 'y/b', true);
  assertTable(scenario(policies, { config: DUAL_STACK_CONFIG }), '80/TCP', expectedV4);
  const ipv6 = scenario(policies, { config: DUAL_STACK_CONFIG, family: 'IPv6' });
  assertTable(ipv6, '80/TCP', new Expected(true).allEgress('x/a', false));
});
