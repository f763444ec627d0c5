// The upstream NetworkPolicy e2e scenarios with several policies on the same pods (policies are
// additive: a connection is allowed when any selecting policy allows it), and those whose point
// is a policy being created, updated or deleted, recreated as the static snapshots before and
// after the change, each checked as a full truth table (e2e-model.ts).

import { test } from 'node:test';
import { assertTable, Expected, NS_LABEL, policy, scenario, upstream } from './e2e-model.js';

test(upstream('should enforce policy to allow ingress traffic for a target'), () => {
  // A deny-all-ingress policy for x, and a second one opening x/a to every pod of every namespace.
  const s = scenario([
    policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] }),
    policy('x', 'allow-all-to-a', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }],
    }),
  ]);
  const expected = new Expected(true)
    .allIngress('x/a', true)
    .allIngress('x/b', false)
    .allIngress('x/c', false);
  assertTable(s, '80/TCP', expected);
});

test(upstream('should enforce multiple, stacked policies with overlapping podSelectors'), () => {
  // x/a admits namespace y on port 81; a second policy later admits it on port 80 too.
  const fromY = [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'y' } } }];
  const port81 = policy('x', 'allow-client-a-via-ns-selector', {
    podSelector: { matchLabels: { pod: 'a' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: fromY, ports: [{ port: 81, protocol: 'TCP' }] }],
  });
  const allowY = () =>
    new Expected(true)
      .peer({ ns: 'x' }, { ns: 'x', pod: 'a' }, false)
      .peer({ ns: 'y' }, { ns: 'x', pod: 'a' }, true)
      .peer({ ns: 'z' }, { ns: 'x', pod: 'a' }, false);
  const first = scenario([port81]);
  assertTable(first, '81/TCP', allowY());
  assertTable(first, '80/TCP', new Expected(true).allIngress('x/a', false));

  const port80 = policy('x', 'allow-client-a-via-ns-selector-80', {
    podSelector: { matchLabels: { pod: 'a' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: fromY, ports: [{ port: 80, protocol: 'TCP' }] }],
  });
  assertTable(scenario([port81, port80]), '80/TCP', allowY());
});

test(upstream('should enforce updated policy'), () => {
  // allow-all, then the same policy updated to deny-all (its ingress list emptied).
  const allowAll = policy('x', 'allow-all-mutate-to-deny-all', {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [{}],
  });
  assertTable(scenario([allowAll]), '81/TCP', new Expected(true));
  const denyAll = { ...allowAll, spec: { ...allowAll.spec, ingress: [] } };
  assertTable(scenario([denyAll]), '81/TCP', new Expected(true).peer({}, { ns: 'x' }, false));
});

test(
  upstream('should enforce multiple ingress policies with ingress allow-all policy taking precedence'),
  () => {
    const port80Only = policy('x', 'allow-ingress-port-80', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 80 }] }],
    });
    assertTable(scenario([port80Only]), '81/TCP', new Expected(true).peer({}, { ns: 'x' }, false));
    const allowAll = policy('x', 'allow-ingress', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{}],
    });
    assertTable(scenario([port80Only, allowAll]), '81/TCP', new Expected(true));
  },
);

test(
  upstream('should enforce multiple egress policies with egress allow-all policy taking precedence'),
  () => {
    const port80Only = policy('x', 'allow-egress-port-80', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 80 }] }],
    });
    assertTable(scenario([port80Only]), '81/TCP', new Expected(true).peer({ ns: 'x' }, {}, false));
    const allowAll = policy('x', 'allow-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
    assertTable(scenario([port80Only, allowAll]), '81/TCP', new Expected(true));
  },
);

test(upstream('should stop enforcing policies after they are deleted'), () => {
  const denyAll = policy('x', 'deny-all', {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [],
    egress: [],
  });
  const isolated = new Expected(true).peer({ ns: 'x' }, {}, false).peer({}, { ns: 'x' }, false);
  assertTable(scenario([denyAll]), '80/TCP', isolated);
  assertTable(scenario([]), '80/TCP', new Expected(true));
});
