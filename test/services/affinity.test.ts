import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseEndpoint, sessionAffinity } from '../../src/services/affinity.js';
import type { EndpointCandidate, ServiceClient, ServiceRoute } from '../../src/services/types.js';
import { ip, service } from './fixtures.js';

const cand = (address: string, weight: number): EndpointCandidate => ({
  ip: address,
  port: 8080,
  ready: true,
  serving: true,
  terminating: false,
  weight,
});

function routeOf(candidates: EndpointCandidate[], proxiedBy?: string): ServiceRoute {
  return {
    frontend: {
      kind: 'ClusterIP',
      service: { namespace: 'default', name: 'web' },
      ip: '10.96.0.20',
      port: 80,
      protocol: 'TCP',
      servicePort: 'http',
      family: 'IPv4',
    },
    outcome: 'forward',
    reason: '',
    candidates,
    excluded: [],
    selection: 'ready',
    policy: { field: 'internalTrafficPolicy', value: 'Cluster' },
    ...(proxiedBy ? { proxiedBy } : {}),
    nat: {},
    source: '',
  };
}

const client = (address: string): ServiceClient => ({ kind: 'pod', ip: ip(address), node: 'n1' });
const even = (n: number) => Array.from({ length: n }, (_, i) => cand(`10.244.${i}.2`, 1 / n));

test('Affinity: sessionAffinity ClientIP defaults to 10800 seconds, as the apiserver defaults timeoutSeconds', () => {
  assert.deepEqual(sessionAffinity(service('a', { sessionAffinity: 'ClientIP' })), {
    type: 'ClientIP',
    timeoutSeconds: 10800,
  });
  assert.deepEqual(
    sessionAffinity(
      service('a', {
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      }),
    ),
    { type: 'ClientIP', timeoutSeconds: 60 },
  );
  assert.equal(sessionAffinity(service('a', { sessionAffinity: 'None' })), undefined);
});

test('chooseEndpoint: the same client gets the same endpoint every time; clients spread over the candidates', () => {
  const route = routeOf(even(4));
  const picks = new Map<string, number>();
  for (let i = 1; i <= 200; i++) {
    const c = client(`10.244.200.${i}`);
    const first = chooseEndpoint(route, c)?.ip as string;
    assert.equal(chooseEndpoint(route, c)?.ip, first);
    picks.set(first, (picks.get(first) ?? 0) + 1);
  }
  assert.equal(picks.size, 4);
  for (const n of picks.values()) assert.ok(n > 20, `uneven spread: ${[...picks.values()]}`);
});

test('chooseEndpoint: a new endpoint takes clients only to itself; everyone else keeps theirs (as affinity entries persist)', () => {
  const before = routeOf(even(3));
  const after = routeOf([...even(3).map((c) => ({ ...c, weight: 1 / 4 })), cand('10.244.9.2', 1 / 4)]);
  for (let i = 1; i <= 100; i++) {
    const c = client(`10.244.200.${i}`);
    const now = chooseEndpoint(after, c)?.ip;
    if (now !== '10.244.9.2') assert.equal(now, chooseEndpoint(before, c)?.ip);
  }
});

test('chooseEndpoint: the highest weight wins first; no candidates, no endpoint', () => {
  const route = routeOf([cand('10.244.1.2', 0.25), cand('10.244.2.2', 0.75)]);
  for (let i = 1; i <= 20; i++)
    assert.equal(chooseEndpoint(route, client(`10.244.200.${i}`))?.ip, '10.244.2.2');
  assert.equal(chooseEndpoint(routeOf([]), client('10.244.200.1')), undefined);
});

test('chooseEndpoint: behind an ipMode Proxy load balancer every client arrives from its address and is pinned alike', () => {
  const route = routeOf(even(5), '198.51.100.1');
  const first = chooseEndpoint(route, client('10.244.200.1'))?.ip;
  for (let i = 2; i <= 30; i++) assert.equal(chooseEndpoint(route, client(`10.244.200.${i}`))?.ip, first);
});
