// The lookup's own connection (src/trace/dns.ts): a pod's query goes to the cluster DNS on
// 53/UDP, through kube-proxy (kube-system/kube-dns) to a CoreDNS pod, and is subject to the
// pod's egress policies and CoreDNS's ingress policies. Denied, the lookup times out and the
// trace stops at the dns hop; without CoreDNS endpoints the lookup gets no answer.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { printTraceText } from '../../src/cli/printers/trace.js';
import { engine, namespace, pod, policy } from '../netpol/engine-fixtures.js';
import { hop, kinds, service, traceIn } from './fixtures.js';

const HTTP = [{ name: 'http', containerPort: 8080, protocol: 'TCP' as const }];

/** A pod with dnsPolicy Default: it resolves with its node's resolv.conf, not the cluster DNS. */
function hostResolver(p: Pod): Pod {
  p.spec.dnsPolicy = 'Default';
  return p;
}

/** x/client's only egress rule allows app=s pods: DNS to CoreDNS is denied. */
function objects(extra: KubeObject[] = []): KubeObject[] {
  return [
    namespace('x'),
    pod('x/client', { labels: { role: 'client' } }),
    pod('x/free'),
    pod('x/s-1', { labels: { app: 's' }, ports: HTTP }),
    hostResolver(pod('x/resolver-none', { labels: { role: 'client' } })),
    service('x/s', { selector: { app: 's' }, ports: [{ port: 80, targetPort: 'http' }] }),
    policy('x/client-egress', {
      podSelector: { matchLabels: { role: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 's' } } }] }],
    }),
    ...extra,
  ];
}

test('DNS policy: a pod whose egress denies 53/UDP to CoreDNS gets a lookup that times out: verdict denied at the dns hop', () => {
  const c = engine(objects());
  const t = traceIn(c, 'x/client', 's:80');
  assert.deepEqual(kinds(t), ['source', 'dns']);
  assert.equal(t.verdict, 'denied');
  const dns = hop(t, 'dns');
  assert.equal(dns.address, undefined);
  assert.equal(dns.rcode, 'no-answer');
  const u = dns.unanswered;
  assert.ok(u);
  assert.equal(u.outcome, 'denied');
  assert.equal(u.server, '10.96.0.10:53/UDP');
  assert.equal(u.service, 'kube-system/kube-dns');
  assert.equal(u.chosen?.kind, 'pod');
  assert.match(u.chosen?.kind === 'pod' ? u.chosen.pod : '', /^kube-system\/coredns-/);
  assert.equal(u.egress?.allowed, false);
  assert.equal(u.egress?.port, 53);
  assert.equal(u.egress?.protocol, 'UDP');
  assert.deepEqual(u.egress?.isolatedBy, ['NetworkPolicy/x/client-egress']);
  assert.equal(u.ingress?.allowed, true);
  assert.match(u.reason, /the lookup times out: .* denied at egress from x\/client/);
  const text = printTraceText(t);
  assert.match(text, /the lookup times out/);
  assert.match(text, /egress denied: x\/client is isolated for egress by NetworkPolicy\/x\/client-egress/);
  assert.match(text, /verdict {3}denied: the DNS lookup of s times out/);
});

test('DNS policy: allowing 53/UDP to the kube-dns pods lets the lookup through, and the trace goes on as before', () => {
  const allowDNS = policy('x/allow-dns', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [{ port: 53, protocol: 'UDP' }],
      },
    ],
  });
  const t = traceIn(engine(objects([allowDNS])), 'x/client', 's:80');
  assert.equal(hop(t, 'dns').unanswered, undefined);
  assert.equal(t.verdict, 'delivered');
});

test('DNS policy: CoreDNS ingress policies that drop the query also time the lookup out', () => {
  const coreIngress = policy('kube-system/coredns-only-y', {
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }],
  });
  const t = traceIn(engine(objects([coreIngress])), 'x/free', 's:80');
  assert.equal(t.verdict, 'denied');
  const u = hop(t, 'dns').unanswered;
  assert.equal(u?.egress?.allowed, true);
  assert.equal(u?.ingress?.allowed, false);
  assert.match(u?.reason ?? '', /denied at ingress to the CoreDNS pod kube-system\/coredns-/);
});

test('DNS policy: pods whose resolver is not the cluster DNS (dnsPolicy Default), nodes and outside clients are not checked', () => {
  const c = engine(objects());
  assert.equal(hop(traceIn(c, 'x/resolver-none', 's.x.svc.cluster.local:80'), 'dns').unanswered, undefined);
  assert.equal(
    hop(traceIn(c, 'node/podnet-worker', 's.x.svc.cluster.local:80'), 'dns').unanswered,
    undefined,
  );
  // A URL's lookup is the same lookup.
  const url = traceIn(c, 'x/client', 'http://s/');
  assert.equal(url.verdict, 'denied');
  assert.deepEqual(url.http, {});
});

test('DNS policy: without CoreDNS endpoints the query is rejected by kube-proxy: the lookup gets no answer (no-endpoints)', () => {
  // CoreDNS scaled to zero: the Deployment given with no replicas.
  const coredns: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: { containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.11.3' }] },
      },
    },
  } as KubeObject;
  const t = traceIn(engine(objects([coredns])), 'x/free', 's:80');
  assert.equal(t.verdict, 'no-endpoints');
  const u = hop(t, 'dns').unanswered;
  assert.equal(u?.outcome, 'no-endpoints');
  assert.match(u?.reason ?? '', /gets no answer: Service kube-system\/kube-dns has no IPv4 endpoint/);
  assert.match(printTraceText(t), /no-endpoints: the DNS lookup of s gets no answer/);
});
