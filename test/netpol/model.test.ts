// The policy model: connection ends from pods, nodes and addresses (as the snapshot reports
// them), and the predicates the equivalence classes are built from.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import { formatSelector } from '../../src/api/labels.js';
import { formatCIDR, formatIP, parseIP } from '../../src/ip/index.js';
import { compilePolicyModel } from '../../src/netpol/model.js';
import { podPredicateKey } from '../../src/netpol/predicates.js';
import type { Endpoint } from '../../src/netpol/types.js';
import { engine, namespace, pod, policy } from './engine-fixtures.js';

function show(e: Endpoint | undefined): string {
  if (!e) return 'none';
  const who =
    e.kind === 'pod'
      ? `${e.pod.metadata.namespace}/${e.pod.metadata.name}`
      : e.kind === 'node'
        ? `${e.node}${e.pod ? ` (${e.pod.metadata.name})` : ''}`
        : '';
  return `${e.kind} ${who} ${formatIP(e.ip)}`.replace('  ', ' ');
}

function dual() {
  return engine(
    [
      namespace('x'),
      pod('x/web', { ips: ['10.244.1.10', 'fd00:10:244:1::10'] }),
      pod('x/agent', { hostNetwork: true, node: 'podnet-worker2' }),
      pod('x/done', { ips: ['10.244.1.11'], phase: 'Succeeded' }),
    ],
    dualStackClusterConfig(),
  );
}

test('Model: a pod-network pod is its primary IP by default, or its IP of the asked family', () => {
  const c = dual();
  const web = c.pod('x/web');
  assert.equal(show(c.model.podEndpoint(web)), 'pod x/web 10.244.1.10');
  assert.equal(show(c.model.podEndpoint(web, 'IPv6')), 'pod x/web fd00:10:244:1::10');
});

test('Model: a single-stack pod has no endpoint in the other family', () => {
  const c = engine([namespace('x'), pod('x/web', { ips: ['10.244.1.10'] })]);
  assert.equal(c.model.podEndpoint(c.pod('x/web'), 'IPv6'), undefined);
});

test("Model: a hostNetwork pod is its node's InternalIP of the family, with the pod named", () => {
  const c = dual();
  const agent = c.pod('x/agent');
  assert.equal(show(c.model.podEndpoint(agent)), 'node podnet-worker2 (agent) 172.18.0.4');
  assert.equal(show(c.model.podEndpoint(agent, 'IPv6')), 'node podnet-worker2 (agent) fc00:f853:ccd:e793::4');
});

test('Model: a pod without an address (not started, or Succeeded/Failed) is no connection end', () => {
  const c = engine([
    namespace('x'),
    pod('x/done', { ips: ['10.244.1.11'], phase: 'Succeeded' }),
    pod('x/failed', { ips: ['10.244.1.12'], phase: 'Failed' }),
    pod('x/nowhere', {}),
  ]);
  // x/nowhere has no nodeSelector, so the scheduler places it: drop its node and status to model
  // a pod that is not started yet.
  const nowhere = structuredClone(c.pod('x/nowhere'));
  delete nowhere.spec.nodeName;
  delete nowhere.status;
  for (const p of [c.pod('x/done'), c.pod('x/failed'), nowhere])
    assert.equal(c.model.podEndpoint(p), undefined, p.metadata.name);
  const hostNet = structuredClone(nowhere);
  hostNet.spec.hostNetwork = true;
  assert.equal(c.model.podEndpoint(hostNet), undefined);
});

test('Model: a node is its first InternalIP by default, or its InternalIP of the family; unknown nodes have none', () => {
  const c = dual();
  assert.equal(show(c.model.nodeEndpoint('podnet-worker')), 'node podnet-worker 172.18.0.3');
  assert.equal(
    show(c.model.nodeEndpoint('podnet-worker', 'IPv6')),
    'node podnet-worker fc00:f853:ccd:e793::3',
  );
  assert.equal(c.model.nodeEndpoint('ghost'), undefined);
});

test('Model: an address is the pod-network pod holding it, else the node, else external', () => {
  const c = dual();
  const at = (s: string) => show(c.model.ipEndpoint(parseIP(s) ?? assert.fail(s)));
  assert.equal(at('10.244.1.10'), 'pod x/web 10.244.1.10');
  assert.equal(at('fd00:10:244:1::10'), 'pod x/web fd00:10:244:1::10');
  // The hostNetwork pod's address is its node's: the node holds it.
  assert.equal(at('172.18.0.4'), 'node podnet-worker2 172.18.0.4');
  assert.equal(at('fc00:f853:ccd:e793::2'), 'node podnet-control-plane fc00:f853:ccd:e793::2');
  // A Succeeded pod released its address.
  assert.equal(at('10.244.1.11'), 'external 10.244.1.11');
  assert.equal(at('192.0.2.1'), 'external 192.0.2.1');
});

test('Model: when two pods report one address, the Running one holds it, then the first by namespace/name', () => {
  const c = engine([
    namespace('x'),
    namespace('y'),
    pod('y/new', { ips: ['10.244.1.50'] }),
    pod('x/old', { ips: ['10.244.1.50'], phase: 'Pending' }),
    pod('y/b', { ips: ['10.244.1.60'] }),
    pod('x/z', { ips: ['10.244.1.60'] }),
  ]);
  assert.equal(show(c.model.ipEndpoint(parseIP('10.244.1.50') ?? assert.fail())), 'pod y/new 10.244.1.50');
  assert.equal(show(c.model.ipEndpoint(parseIP('10.244.1.60') ?? assert.fail())), 'pod x/z 10.244.1.60');
});

test('Model: isolatedBy names the NetworkPolicies isolating a pod per direction, none for hostNetwork pods', () => {
  const c = engine([
    namespace('x'),
    pod('x/web', { labels: { app: 'web' }, ips: ['10.244.1.10'] }),
    pod('x/agent', { labels: { app: 'web' }, hostNetwork: true, node: 'podnet-worker' }),
    policy('x/b', { podSelector: { matchLabels: { app: 'web' } } }),
    policy('x/a', { policyTypes: ['Ingress', 'Egress'] }),
  ]);
  const names = (p: string, d: 'Ingress' | 'Egress') => c.model.isolatedBy(c.pod(p), d).map((r) => r.name);
  assert.deepEqual(names('x/web', 'Ingress'), ['a', 'b']);
  assert.deepEqual(names('x/web', 'Egress'), ['a']);
  assert.deepEqual(names('x/agent', 'Ingress'), []);
});

test('Model: predicates() lists every subject, pod peer, CIDR and port name, deduplicated and sorted', () => {
  const objects = [
    namespace('x'),
    policy('x/web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'client' } } },
            {
              namespaceSelector: { matchLabels: { team: 'a' } },
              podSelector: { matchLabels: { app: 'client' } },
            },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
          ],
          ports: [{ port: 'http' }, { port: 9000 }],
        },
      ],
      egress: [
        {
          to: [{ namespaceSelector: {} }, { ipBlock: { cidr: 'fd00::/8' } }],
          ports: [{ port: 'dns', protocol: 'UDP' }],
        },
      ],
    }),
    // Repeats the subject and a peer of x/web: deduplicated.
    policy('x/again', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] }],
    }),
    policy('x/all', {}),
  ];
  const c = engine(objects);
  const p = c.model.predicates();
  assert.deepEqual(p.pods.map(podPredicateKey), [
    'ns=x|',
    'ns=x|app=client',
    'ns=x|app=web',
    'nss=team=a|app=client',
    'nss=|',
  ]);
  assert.deepEqual(p.cidrs.map(formatCIDR), ['10.0.0.0/8', '10.1.0.0/16', 'fd00::/8']);
  assert.deepEqual(p.portNames, ['dns', 'http']);
  assert.deepEqual(p.nodes.map(formatSelector), []);
  assert.equal(c.model.predicates(), p, 'computed once');

  // The same policies in another order give the same predicates.
  const reversed = engine([objects[0], ...objects.slice(1).reverse()]);
  assert.deepEqual(compilePolicyModel(reversed.store).predicates(), p);
});
