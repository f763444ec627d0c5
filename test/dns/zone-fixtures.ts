// A fixed cluster for the zone tests, built the way every source builds one (buildCluster:
// admission, then the controllers). Pods are written as snapshots (node, addresses, readiness),
// so every address in the tables is known in advance.

import assert from 'node:assert/strict';
import { type ClusterConfig, defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject, Pod, Service, ServicePort } from '../../src/api/types.js';
import { buildCluster, type ClusterSnapshot } from '../../src/cluster/build.js';
import { presentData, type ZoneAnswer } from '../../src/dns/types.js';

export interface PodOptions {
  ready?: boolean;
  terminating?: boolean;
  hostname?: string;
  subdomain?: string;
}

/** A running pod as a snapshot reports it; the node follows from the address (kind's /24s). */
export function pod(name: string, app: string, ips: string[], options: PodOptions = {}): Pod {
  const worker = ips[0].startsWith('10.244.2.') ? 'podnet-worker2' : 'podnet-worker';
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app } },
    spec: {
      nodeName: worker,
      containers: [
        {
          name: 'main',
          image: 'registry.k8s.io/e2e-test-images/agnhost:2.52',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: ips[0],
      podIPs: ips.map((ip) => ({ ip })),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
  if (options.hostname) p.spec.hostname = options.hostname;
  if (options.subdomain) p.spec.subdomain = options.subdomain;
  if (options.terminating) p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return p;
}

export function service(name: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec };
}

const http: ServicePort = { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' };
const pg: ServicePort = { name: 'pg', port: 5432, targetPort: 5432, protocol: 'TCP' };

/** The objects of the single-stack cluster of zone.test.ts. */
export function shopObjects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    // A ClusterIP Service with a named TCP and a named UDP port, and four pods: two ready, one
    // not ready, one terminating.
    service('web', {
      clusterIP: '10.96.0.50',
      selector: { app: 'web' },
      ports: [http, { name: 'stats', port: 9000, targetPort: 9000, protocol: 'UDP' }],
    }),
    pod('web-1', 'web', ['10.244.1.10']),
    pod('web-2', 'web', ['10.244.2.10']),
    pod('web-3', 'web', ['10.244.1.11'], { ready: false }),
    pod('web-4', 'web', ['10.244.2.11'], { terminating: true }),
    // The same pods behind a second Service with one unnamed port.
    service('plain', {
      clusterIP: '10.96.0.51',
      selector: { app: 'web' },
      ports: [{ port: 8000, targetPort: 8080 }],
    }),
    // A headless Service with StatefulSet-style pods (hostname + subdomain), one not ready.
    service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [pg] }),
    pod('db-0', 'db', ['10.244.1.20'], { hostname: 'db-0', subdomain: 'db' }),
    pod('db-1', 'db', ['10.244.2.20'], { hostname: 'db-1', subdomain: 'db' }),
    pod('db-2', 'db', ['10.244.1.21'], { hostname: 'db-2', subdomain: 'db', ready: false }),
    // Headless, no ports, publishing its not-ready pods.
    service('peers', { clusterIP: 'None', selector: { app: 'peer' }, publishNotReadyAddresses: true }),
    pod('peer-a', 'peer', ['10.244.1.30']),
    pod('peer-b', 'peer', ['10.244.2.30'], { ready: false }),
    // Headless and ClusterIP Services that select nothing.
    service('empty', { clusterIP: 'None', selector: { app: 'nothing' }, ports: [pg] }),
    service('lonely', { clusterIP: '10.96.0.52', selector: { app: 'nothing' }, ports: [http] }),
    // ExternalName: outside the cluster, an IP address, and a cluster name.
    service('ext', { type: 'ExternalName', externalName: 'www.example.com' }),
    service('ext-ip', { type: 'ExternalName', externalName: '192.0.2.10' }),
    service('alias', { type: 'ExternalName', externalName: 'web.shop.svc.cluster.local' }),
  ];
}

export function build(
  objects: KubeObject[],
  config: ClusterConfig = defaultClusterConfig(),
): ClusterSnapshot {
  const snap = buildCluster(
    objects.map((object, i) => ({ object, origin: { file: 'zone.yaml', line: i * 20 + 1 } })),
    { config },
  );
  const errors = snap.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(snap.ok, true, JSON.stringify(errors));
  return snap;
}

/** Records as dig prints them, without the class: `name TTL TYPE data`. */
export function show(
  answer: ZoneAnswer,
  section: 'answers' | 'authority' | 'additional' = 'answers',
): string[] {
  return answer[section].map((rr) => `${rr.name} ${rr.ttl} ${rr.data.type} ${presentData(rr.data)}`);
}
