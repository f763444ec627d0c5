// Compiling NetworkPolicy v1: the "empty means all" cases of the API made explicit, policyTypes
// deciding which rule lists apply, peers as pod predicates, and the per-namespace index.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSelector } from '../../src/api/labels.js';
import type { NetworkPolicy } from '../../src/api/types.js';
import { parseCIDR } from '../../src/ip/index.js';
import { compileNetworkPolicy } from '../../src/netpol/compile.js';
import { policy, xyz } from './engine-fixtures.js';

/** As admission leaves it: policyTypes and port protocols defaulted. */
function admitted(ref: string, spec: Partial<NetworkPolicy['spec']>): NetworkPolicy {
  const np = policy(ref, spec);
  np.spec.policyTypes ??= np.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  return np;
}

test('Compile: an empty podSelector selects every pod of the policy namespace (NetworkPolicySpec podSelector)', () => {
  assert.deepEqual(compileNetworkPolicy(admitted('x/p', { podSelector: {} })).subject, {
    namespaces: { name: 'x' },
  });
  assert.deepEqual(
    compileNetworkPolicy(admitted('x/p', { podSelector: { matchLabels: { app: 'web' } } })).subject,
    {
      namespaces: { name: 'x' },
      pods: parseSelector('app=web'),
    },
  );
});

test('Compile: policyTypes decides which rule lists apply; a listed type without rules denies all', () => {
  const ingressOnly = compileNetworkPolicy(admitted('x/p', { policyTypes: ['Ingress'], egress: [{}] }));
  assert.deepEqual([ingressOnly.ingress, ingressOnly.egress], [[], undefined]);
  const both = compileNetworkPolicy(admitted('x/p', { policyTypes: ['Ingress', 'Egress'], ingress: [{}] }));
  assert.deepEqual([both.ingress, both.egress], [[{ index: 0 }], []]);
});

test('Compile: an empty or missing from/to list and an empty or missing ports list match all (NetworkPolicyIngressRule)', () => {
  const p = compileNetworkPolicy(admitted('x/p', { ingress: [{ from: [], ports: [] }, {}] }));
  assert.deepEqual(p.ingress, [{ index: 0 }, { index: 1 }]);
});

test('Compile: peers become pod predicates or CIDRs, keeping their index in the list', () => {
  const p = compileNetworkPolicy(
    admitted('x/p', {
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'a' } } },
            { namespaceSelector: { matchLabels: { team: 't' } } },
            { namespaceSelector: {}, podSelector: {} },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(p.ingress?.[0].peers, [
    { index: 0, pods: { namespaces: { name: 'x' }, pods: parseSelector('app=a') } },
    { index: 1, pods: { namespaces: { selector: parseSelector('team=t') } } },
    { index: 2, pods: { namespaces: { selector: parseSelector('') } } },
    { index: 3, cidr: parseCIDR('10.0.0.0/8'), except: [parseCIDR('10.1.0.0/16')] },
  ]);
});

test('Compile: port entries: a number (endPort defaults to the port), a name, a protocol alone', () => {
  const p = compileNetworkPolicy(
    admitted('x/p', {
      ingress: [
        {
          ports: [
            { port: 80, protocol: 'TCP' },
            { port: 8000, endPort: 8080, protocol: 'UDP' },
            { port: 'http', protocol: 'TCP' },
            { protocol: 'SCTP' },
          ],
        },
      ],
    }),
  );
  assert.deepEqual(p.ingress?.[0].ports, [
    { index: 0, protocol: 'TCP', port: 80, endPort: 80 },
    { index: 1, protocol: 'UDP', port: 8000, endPort: 8080 },
    { index: 2, protocol: 'TCP', name: 'http' },
    { index: 3, protocol: 'SCTP' },
  ]);
});

test('Compile: the index holds every policy, sorted by namespace/name', () => {
  const c = xyz([policy('y/b', {}), policy('x/z', {}), policy('x/a', {}), policy('ghost/p', {})]);
  const index = c.model.networkPolicies;
  assert.deepEqual(
    index.policies.map((p) => `${p.namespace}/${p.ref.name}`),
    ['ghost/p', 'x/a', 'x/z', 'y/b'],
  );
});

test('Compile: which policies select a pod is computed once per pod and split by direction', () => {
  const c = xyz([
    policy('x/in', { podSelector: { matchLabels: { pod: 'a' } } }),
    policy('x/out', { policyTypes: ['Egress'] }),
    policy('x/both', { podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress', 'Egress'] }),
  ]);
  const index = c.model.networkPolicies;
  const a = index.selecting(c.pod('x/a'));
  assert.deepEqual([a.ingressRefs.map((r) => r.name), a.egressRefs.map((r) => r.name)], [['in'], ['out']]);
  assert.equal(index.selecting(c.pod('x/a')), a, 'cached per pod object');
  const b = index.selecting(c.pod('x/b'));
  assert.deepEqual(
    [b.ingressRefs.map((r) => r.name), b.egressRefs.map((r) => r.name)],
    [['both'], ['both', 'out']],
  );
  const other = index.selecting(c.pod('y/a'));
  assert.deepEqual([other.ingress, other.egress], [[], []]);
});
