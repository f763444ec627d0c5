// The upstream NetworkPolicy e2e scenarios about protocols: a rule for one protocol must not
// open another (the SCTP cases apply even to plugins without SCTP), and the suite's UDP and SCTP
// copies of the basic scenarios, recreated on the x/y/z model and checked as full truth tables
// (e2e-model.ts).

import { test } from 'node:test';
import type { Protocol } from '../../src/api/types.js';
import { assertTable, Expected, NS_LABEL, policy, scenario, upstream } from './e2e-model.js';

test(
  upstream(
    "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
  ),
  () => {
    const s = scenario([
      policy('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] }),
      policy('x', 'allow-only-sctp-ingress-on-port-81', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: 81, protocol: 'SCTP' }] }],
      }),
    ]);
    assertTable(s, '81/TCP', new Expected(true).peer({}, { ns: 'x' }, false));
    // The port the rule does open (the suite does not probe it): 81/SCTP into x/a only.
    assertTable(s, '81/SCTP', new Expected(true).peer({}, { ns: 'x' }, false).allIngress('x/a', true));
  },
);

test(
  upstream(
    "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
  ),
  () => {
    const s = scenario([
      policy('x', 'allow-only-sctp-ingress-on-port-80', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: 80, protocol: 'SCTP' }] }],
      }),
    ]);
    assertTable(s, '81/TCP', new Expected(true).allIngress('x/a', false));
  },
);

test(upstream('should not allow access by TCP when a policy specifies only UDP'), () => {
  const s = scenario([
    policy('x', 'allow-only-udp-ingress-on-port-81', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 81, protocol: 'UDP' }] }],
    }),
  ]);
  assertTable(s, '81/TCP', new Expected(true).allIngress('x/a', false));
});

// The suite runs these three scenarios again over UDP and over SCTP, in contexts of their own.
for (const protocol of ['UDP', 'SCTP'] as const satisfies readonly Protocol[]) {
  test(upstream("should support a 'default-deny-ingress' policy", protocol), () => {
    const s = scenario([policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })]);
    assertTable(s, `80/${protocol}`, new Expected(true).peer({}, { ns: 'x' }, false));
  });

  test(upstream('should enforce policy based on Ports', protocol), () => {
    const s = scenario([
      policy('x', 'allow-ingress-on-port-81-ns-x', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } }],
            ports: [{ port: 81, protocol }],
          },
        ],
      }),
    ]);
    const expected = new Expected(true)
      .peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
      .peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
    assertTable(s, `81/${protocol}`, expected);
  });

  test(
    upstream(
      'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
      protocol,
    ),
    () => {
      const s = scenario([
        policy('x', 'allow-ns-y-pod-a-via-namespace-pod-selector', {
          podSelector: { matchLabels: { pod: 'a' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } },
                  podSelector: { matchLabels: { pod: 'a' } },
                },
              ],
            },
          ],
        }),
      ]);
      assertTable(s, `80/${protocol}`, new Expected(true).allIngress('x/a', false).pair('y/a', 'x/a', true));
    },
  );
}
