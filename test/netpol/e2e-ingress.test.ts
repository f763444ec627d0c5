// The upstream NetworkPolicy e2e scenarios about ingress isolation and the peers a rule admits
// (podSelector, namespaceSelector, both in one peer, separate peers, matchExpressions), recreated
// on the x/y/z model and checked as full truth tables (e2e-model.ts).

import { test } from 'node:test';
import { assertTable, Expected, NS_LABEL, policy, scenario, upstream } from './e2e-model.js';

test(upstream("should support a 'default-deny-ingress' policy"), () => {
  const s = scenario([
    policy('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).peer({}, { ns: 'x' }, false));
});

test(
  upstream('should enforce policy to allow traffic from pods within server namespace based on PodSelector'),
  () => {
    const s = scenario([
      policy('x', 'x-a-allows-x-b', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }],
      }),
    ]);
    assertTable(s, '80/TCP', new Expected(true).allIngress('x/a', false).pair('x/b', 'x/a', true));
  },
);

test(upstream('should enforce policy to allow ingress traffic from pods in all namespaces'), () => {
  const s = scenario([
    policy('x', 'allow-from-another-ns', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: {} } }] }],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true));
});

test(
  upstream(
    'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
  ),
  () => {
    const s = scenario([
      policy('x', 'allow-client-a-via-ns-selector', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } }] }],
      }),
    ]);
    const expected = new Expected(true).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false);
    assertTable(s, '80/TCP', expected.peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false));
  },
);

test(upstream('should enforce policy based on PodSelector with MatchExpressions'), () => {
  const s = scenario([
    policy('x', 'x-a-allows-x-b', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b'] }] } }] },
      ],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).allIngress('x/a', false).pair('x/b', 'x/a', true));
});

test(upstream('should enforce policy based on NamespaceSelector with MatchExpressions'), () => {
  const s = scenario([
    policy('x', 'allow-ns-y-match-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'In', values: ['y'] }] } },
          ],
        },
      ],
    }),
  ]);
  const expected = new Expected(true).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false);
  assertTable(s, '80/TCP', expected.peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false));
});

test(upstream('should enforce policy based on PodSelector or NamespaceSelector'), () => {
  // Two peers: pods of any namespace but x, or pod b of x.
  const s = scenario([
    policy('x', 'allow-ns-y-match-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['x'] }] },
            },
            { podSelector: { matchLabels: { pod: 'b' } } },
          ],
        },
      ],
    }),
  ]);
  assertTable(s, '80/TCP', new Expected(true).pair('x/a', 'x/a', false).pair('x/c', 'x/a', false));
});

test(upstream('should enforce policy based on PodSelector and NamespaceSelector'), () => {
  // One peer with both selectors: pods b of the namespaces other than x.
  const s = scenario([
    policy('x', 'allow-ns-y-podselector-and-nsselector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['x'] }] },
              podSelector: { matchLabels: { pod: 'b' } },
            },
          ],
        },
      ],
    }),
  ]);
  const expected = new Expected(true)
    .allIngress('x/a', false)
    .pair('y/b', 'x/a', true)
    .pair('z/b', 'x/a', true);
  assertTable(s, '80/TCP', expected);
});

test(upstream('should enforce policy based on Multiple PodSelectors and NamespaceSelectors'), () => {
  const s = scenario([
    policy('x', 'allow-ns-y-z-pod-b-c', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchExpressions: [{ key: NS_LABEL, operator: 'NotIn', values: ['x'] }] },
              podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
            },
          ],
        },
      ],
    }),
  ]);
  const expected = new Expected(true).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false);
  assertTable(s, '80/TCP', expected.pair('y/a', 'x/a', false).pair('z/a', 'x/a', false));
});

test(upstream('should enforce policy based on any PodSelectors'), () => {
  const s = scenario([
    policy('x', 'allow-ns-x-pod-b-c', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { pod: 'b' } } },
            { podSelector: { matchLabels: { pod: 'c' } } },
          ],
        },
      ],
    }),
  ]);
  const expected = new Expected(true)
    .allIngress('x/a', false)
    .pair('x/b', 'x/a', true)
    .pair('x/c', 'x/a', true);
  assertTable(s, '80/TCP', expected);
});

test(
  upstream(
    'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
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
    assertTable(s, '80/TCP', new Expected(true).allIngress('x/a', false).pair('y/a', 'x/a', true));
  },
);

test(upstream('should allow ingress access from updated namespace'), () => {
  // Before and after namespace y gains the label the policy selects.
  const policies = [
    policy('x', 'allow-client-a-via-ns-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }] }],
    }),
  ];
  assertTable(scenario(policies), '80/TCP', new Expected(true).allIngress('x/a', false));
  const updated = scenario(policies, { namespaceLabels: { y: { ns2: 'updated' } } });
  assertTable(updated, '80/TCP', new Expected(true).allIngress('x/a', false).peer({ ns: 'y' }, {}, true));
});

test(upstream('should allow ingress access from updated pod'), () => {
  // Before and after x/b gains the label the policy selects.
  const policies = [
    policy('x', 'allow-client-a-via-pod-selector', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }] }],
    }),
  ];
  assertTable(scenario(policies), '80/TCP', new Expected(true).allIngress('x/a', false));
  const updated = scenario(policies, { podLabels: { 'x/b': { pod2: 'updated' } } });
  assertTable(updated, '80/TCP', new Expected(true).allIngress('x/a', false).pair('x/b', 'x/a', true));
});

test(upstream('should deny ingress from pods on other namespaces'), () => {
  // An empty podSelector peer admits every pod of the policy's own namespace, and only those.
  const s = scenario([
    policy('x', 'deny-empty-policy', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: {} } }] }],
    }),
  ]);
  const expected = new Expected(true)
    .peer({ ns: 'y' }, { ns: 'x' }, false)
    .peer({ ns: 'z' }, { ns: 'x' }, false);
  assertTable(s, '80/TCP', expected);
});

test(upstream('should deny ingress access to updated pod'), () => {
  // Before and after x/a gains the label the isolating policy selects.
  const policies = [
    policy('x', 'deny-ingress-via-label-selector', {
      podSelector: { matchLabels: { target: 'isolated' } },
      policyTypes: ['Ingress'],
      ingress: [],
    }),
  ];
  assertTable(scenario(policies), '80/TCP', new Expected(true));
  const updated = scenario(policies, { podLabels: { 'x/a': { target: 'isolated' } } });
  assertTable(updated, '80/TCP', new Expected(true).allIngress('x/a', false));
});

test(
  upstream(
    'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
  ),
  () => {
    const s = scenario([
      policy('x', 'allow-client-a-via-ns-selector-for-immutable-ns-label', {
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } }] }],
      }),
    ]);
    const expected = new Expected(true).peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false);
    assertTable(s, '80/TCP', expected.peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false));
  },
);
