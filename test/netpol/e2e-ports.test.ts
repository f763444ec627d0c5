// The upstream NetworkPolicy e2e scenarios about ports: numbered ports, named ports (resolved
// against the destination pod's containers: `serve-80-tcp` is port 80/TCP on every model pod),
// a protocol without a port, and rules without ports, recreated on the x/y/z model and checked
// as full truth tables (e2e-model.ts). Then endPort: upstream checks its validation only
// (network_policy_api.go; KEP-2079 leaves the data path to network plugins), so the port-range
// truth tables below are podnet's own, built the same way.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from '../../src/api/admission.js';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { NetworkPolicyPort } from '../../src/api/types.js';
import { assertTable, Expected, NS_LABEL, policy, scenario, upstream } from './e2e-model.js';

const fromY = [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } }];

/** x/a admits namespace y only, on the given ports. */
function xaFromY(name: string, ports: NetworkPolicyPort[]) {
  return policy('x', name, {
    podSelector: { matchLabels: { pod: 'a' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: fromY, ports }],
  });
}

/** Namespace y reaches x/a; x and z do not. */
const onlyYToXA = () =>
  new Expected(true)
    .peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
    .peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);

test(upstream('should enforce policy based on Ports'), () => {
  const s = scenario([xaFromY('allow-client-a-via-ns-selector', [{ port: 81, protocol: 'TCP' }])]);
  assertTable(s, '81/TCP', onlyYToXA());
});

test(upstream('should support allow-all policy'), () => {
  const s = scenario([
    policy('x', 'allow-all', { podSelector: { matchLabels: {} }, policyTypes: ['Ingress'], ingress: [{}] }),
  ]);
  assertTable(s, '80/TCP', new Expected(true));
  assertTable(s, '81/TCP', new Expected(true));
});

test(upstream('should allow ingress access on one named port'), () => {
  // No protocol: the named port is looked up as TCP, the default.
  const s = scenario([
    policy('x', 'allow-all', {
      podSelector: { matchLabels: {} },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 'serve-81-tcp' }] }],
    }),
  ]);
  assertTable(s, '81/TCP', new Expected(true));
  assertTable(s, '80/TCP', new Expected(true).peer({}, { ns: 'x' }, false));
});

test(upstream('should allow ingress access from namespace on one named port'), () => {
  const s = scenario([
    xaFromY('allow-client-a-via-ns-selector-80', [{ port: 'serve-80-tcp', protocol: 'TCP' }]),
  ]);
  assertTable(s, '80/TCP', onlyYToXA());
  assertTable(s, '81/TCP', new Expected(true).allIngress('x/a', false));
});

test(upstream('should allow egress access on one named port'), () => {
  // The egress named port resolves against each destination pod, all of which serve it.
  const s = scenario([
    policy('x', 'allow-egress', {
      podSelector: { matchLabels: {} },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 'serve-80-tcp' }] }],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true));
  assertTable(s, '81/TCP', new Expected(true).peer({ ns: 'x' }, {}, false));
});

test(
  upstream('should enforce ingress policy allowing any port traffic to a server on a specific protocol'),
  () => {
    const s = scenario([
      policy('x', 'allow-ingress-by-proto', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ protocol: 'TCP' }] }],
      }),
    ]);
    assertTable(s, '80/TCP', new Expected(true));
    assertTable(s, '80/UDP', new Expected(true).peer({}, { ns: 'x', pod: 'a' }, false));
  },
);

test('e2e-style, no upstream It: endPort admits every port from port to endPort inclusive, on its protocol only (NetworkPolicyPort.endPort, KEP-2079)', () => {
  const s = scenario([xaFromY('allow-y-80-81', [{ port: 80, endPort: 81, protocol: 'TCP' }])]);
  assertTable(s, '80/TCP', onlyYToXA());
  assertTable(s, '81/TCP', onlyYToXA());
  assertTable(s, '81/UDP', new Expected(true).allIngress('x/a', false));
});

test('e2e-style, no upstream It: endPort equal to port is that port alone (NetworkPolicyPort.endPort, KEP-2079)', () => {
  const s = scenario([xaFromY('allow-y-81', [{ port: 81, endPort: 81, protocol: 'TCP' }])]);
  assertTable(s, '81/TCP', onlyYToXA());
  assertTable(s, '80/TCP', new Expected(true).allIngress('x/a', false));
});

test('e2e-style, no upstream It: an egress port range ending below a port does not reach it (NetworkPolicyPort.endPort, KEP-2079)', () => {
  const s = scenario([
    policy('x', 'allow-egress-79-80', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 79, endPort: 80 }] }],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true));
  assertTable(s, '81/TCP', new Expected(true).peer({ ns: 'x' }, {}, false));
});

const ENDPORT_API: { by: string; port: NetworkPolicyPort; admitted: boolean }[] = [
  { by: 'endPort without port', port: { endPort: 20000 }, admitted: false },
  { by: 'endPort with a named port', port: { port: 'serve-80', endPort: 20000 }, admitted: false },
  { by: 'endPort below port', port: { port: 30000, endPort: 20000 }, admitted: false },
  { by: 'endPort equal to port', port: { port: 20000, endPort: 20000 }, admitted: true },
  { by: 'endPort above port', port: { port: 10000, endPort: 20000 }, admitted: true },
];

test('e2e: should support creating NetworkPolicy API with endport field (test/e2e/network/netpol/network_policy_api.go)', () => {
  for (const { by, port, admitted } of ENDPORT_API) {
    const np = policy('x', 'e2e-example-netpol-endport-validate', {
      podSelector: { matchLabels: { 'pod-name': 'test-pod' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [port] }],
    });
    const result = admit(np, defaultClusterConfig());
    assert.equal(result.errors.length === 0, admitted, `${by}: ${result.errors.map(String).join('; ')}`);
  }
});
