// From manifests through admission and the controllers to kube-proxy's decision: the table and
// routes read what the allocators and the EndpointSlice controller wrote.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../src/api/cluster-config.js';
import type { KubeObject } from '../../src/api/types.js';
import { buildCluster } from '../../src/cluster/build.js';
import { computeServiceTable, routeService } from '../../src/services/index.js';
import { ip } from './fixtures.js';

const config = defaultClusterConfig();

/** A Deployment of `replicas` pods labelled app=web, serving the port named http on `port`. */
function deployment(name: string, replicas: number, port: number): KubeObject {
  const labels = { app: 'web', track: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }],
        },
      },
    },
  };
}

const web: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
  },
};

function build(objects: KubeObject[]) {
  const snapshot = buildCluster(
    objects.map((object, i) => ({ object, origin: { file: 'web.yaml', line: i * 20 + 1 } })),
    { config },
  );
  assert.equal(snapshot.ok, true);
  return { store: snapshot.store, table: computeServiceTable(snapshot.store, config) };
}

test('Cluster: a named targetPort served on different numbers by two Deployments resolves per endpoint (EndpointSlice ports)', () => {
  const { store, table } = build([deployment('stable', 2, 8080), deployment('canary', 1, 9090), web]);
  const svc = store.get('Service', 'default', 'web');
  const clusterIP = svc?.spec.clusterIP as string;
  const frontend = table.match(ip(clusterIP), 80, 'TCP');
  assert.equal(frontend?.kind, 'ClusterIP');
  const pod = store.list('Pod', 'default')[0];
  const client = {
    kind: 'pod' as const,
    ip: ip(pod.status?.podIP as string),
    node: pod.spec.nodeName as string,
  };
  const route = routeService(table, store, client, frontend as NonNullable<typeof frontend>);
  assert.deepEqual(route.candidates.map((c) => [c.pod?.split('-')[0], c.port]).sort(), [
    ['default/canary', 9090],
    ['default/stable', 8080],
    ['default/stable', 8080],
  ]);
});

test('Cluster: the allocated NodePort, load-balancer address and health-check port are what kube-proxy serves and reports', () => {
  const { store, table } = build([deployment('stable', 1, 8080), web]);
  const svc = store.get('Service', 'default', 'web');
  const nodePort = svc?.spec.ports?.[0].nodePort as number;
  const lb = svc?.status?.loadBalancer?.ingress?.[0].ip as string;
  assert.deepEqual(
    table.frontendsOf('default', 'web').map((f) => [f.kind, f.ip ?? '*', f.port]),
    [
      ['ClusterIP', svc?.spec.clusterIP, 80],
      ['LoadBalancer', lb, 80],
      ['NodePort', '*', nodePort],
    ],
  );
  const pod = store.list('Pod', 'default')[0];
  const route = routeService(
    table,
    store,
    { kind: 'external', ip: ip('203.0.113.10') },
    table.match(ip(lb), 80, 'TCP') as NonNullable<ReturnType<typeof table.match>>,
  );
  assert.equal(route.node, pod.spec.nodeName, 'the health check steers the load balancer to the pod’s node');
  assert.equal(route.healthCheckNodePort, svc?.spec.healthCheckNodePort);
  assert.equal(route.source, '203.0.113.10');
  assert.deepEqual(route.nat.dnat, { ip: pod.status?.podIP, port: 8080 });
});

test('Cluster: the kubernetes and kube-dns Services are proxied like any other', () => {
  const { table } = build([]);
  assert.deepEqual(table.match(ip('10.96.0.1'), 443, 'TCP')?.service, {
    namespace: 'default',
    name: 'kubernetes',
  });
  assert.equal(table.match(ip('10.96.0.10'), 53, 'UDP')?.servicePort, 'dns');
});
