// The upstream NetworkPolicy e2e scenarios about egress isolation, and egress and ingress
// together (a connection needs both the source's egress and the destination's ingress),
// recreated on the x/y/z model and checked as full truth tables (e2e-model.ts).

import { test } from 'node:test';
import { assertTable, Expected, NS_LABEL, policy, scenario, upstream } from './e2e-model.js';

test(upstream("should support a 'default-deny-all' policy"), () => {
  const s = scenario([
    policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] }),
  ]);
  const expected = new Expected(true).peer({}, { ns: 'x' }, false).peer({ ns: 'x' }, {}, false);
  assertTable(s, '80/TCP', expected);
});

test(upstream('should deny egress from pods based on PodSelector'), () => {
  const s = scenario([
    policy('x', 'deny-egress-pod-a', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      egress: [],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).allEgress('x/a', false));
});

test(upstream('should deny egress from all pods in a namespace'), () => {
  const s = scenario([
    policy('x', 'deny-egress-ns-x', { podSelector: {}, policyTypes: ['Egress'], egress: [] }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).peer({ ns: 'x' }, {}, false));
});

test(upstream('should work with Ingress, Egress specified together'), () => {
  // x/a admits x/b only, and may itself connect only to port 80.
  const s = scenario([
    policy('x', 'allow-client-a-via-pod-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress', 'Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
      egress: [{ ports: [{ port: 80 }] }],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).allIngress('x/a', false).pair('x/b', 'x/a', true));
  const port81 = new Expected(true).allIngress('x/a', false).allEgress('x/a', false).pair('x/b', 'x/a', true);
  assertTable(s, '81/TCP', port81);
});

test(
  upstream(
    'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
  ),
  () => {
    // y/a and y/b both admit x/a, but x/a's egress reaches y/a only.
    const fromXA = [
      { namespaceSelector: { matchLabels: { [NS_LABEL]: 'x' } }, podSelector: { matchLabels: { pod: 'a' } } },
    ];
    const s = scenario([
      policy('x', 'allow-to-ns-y-pod-a', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } },
                podSelector: { matchLabels: { pod: 'a' } },
              },
            ],
          },
        ],
      }),
      policy('y', 'allow-from-xa-on-ya-match-selector', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: fromXA }],
      }),
      policy('y', 'allow-from-xa-on-yb-match-selector', {
        podSelector: { matchLabels: { pod: 'b' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: fromXA }],
      }),
    ]);
    const expected = new Expected(true)
      .peer({ ns: 'x', pod: 'a' }, {}, false)
      .peer({}, { ns: 'y', pod: 'a' }, false)
      .peer({ ns: 'x', pod: 'a' }, { ns: 'y', pod: 'a' }, true)
      .peer({}, { ns: 'y', pod: 'b' }, false);
    assertTable(s, '80/TCP', expected);
  },
);

test(
  upstream(
    'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
  ),
  () => {
    const s = scenario([
      policy('x', 'allow-to-ns-y-pod-a', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } },
                podSelector: { matchLabels: { pod: 'a' } },
              },
            ],
          },
        ],
      }),
    ]);
    assertTable(s, '80/TCP', new Expected(true).allEgress('x/a', false).pair('x/a', 'y/a', true));
  },
);

test(
  upstream(
    'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
  ),
  () => {
    // Allowing all of x/a's egress changes nothing; denying its ingress then isolates it for
    // ingress only.
    const allowEgress = policy('x', 'allow-egress-for-target', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      egress: [{}],
    });
    assertTable(scenario([allowEgress]), '80/TCP', new Expected(true));
    const denyIngress = policy('x', 'deny-ingress-via-label-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [],
    });
    assertTable(scenario([allowEgress, denyIngress]), '80/TCP', new Expected(true).allIngress('x/a', false));
  },
);

test(
  upstream('should enforce policy based on NamespaceSelector with MatchExpressions using default ns label'),
  () => {
    const s = scenario([
      policy('x', 'allow-ns-y-match-selector-for-immutable-ns-label', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['y'] }],
                },
              },
            ],
          },
        ],
      }),
    ]);
    assertTable(s, '80/TCP', new Expected(true).peer({ ns: 'x', pod: 'a' }, { ns: 'y' }, false));
  },
);
