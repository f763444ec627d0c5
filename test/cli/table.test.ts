import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  DaemonSet,
  Deployment,
  EndpointSlice,
  Ingress,
  IngressClass,
  NetworkPolicy,
  Pod,
  ReplicaSet,
  StatefulSet,
} from '../../src/api/types.js';
import { COLUMNS } from '../../src/cli/printers/columns.js';
import { ingressHosts, sliceEndpoints, slicePorts } from '../../src/cli/printers/networking-columns.js';
import { printTable, type TableOptions } from '../../src/cli/printers/table.js';

const ctx = { now: Date.parse('2025-06-01T12:00:00Z') };
const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'proxy', image: 'envoy:v1' },
    ],
  },
};

test('deployments: READY ready/desired, UP-TO-DATE, AVAILABLE; wide CONTAINERS IMAGES SELECTOR (printers.go printDeployment)', () => {
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(COLUMNS.Deployment.cells(d, ctx), [
    '2/3',
    '3',
    '2',
    '<unknown>',
    'web,proxy',
    'nginx:1.27,envoy:v1',
    'app=web',
  ]);
  // Before any status: 0/N; an empty selector prints as an empty cell here (not <none>).
  assert.deepEqual(
    COLUMNS.Deployment.cells({ ...d, status: undefined, spec: { ...d.spec, selector: {} } }, ctx).slice(0, 3),
    ['0/3', '0', '0'],
  );
  assert.equal(COLUMNS.Deployment.cells({ ...d, spec: { ...d.spec, selector: {} } }, ctx)[6], '');
});

test('replicasets, statefulsets, daemonsets: counters from spec and status (printers.go)', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-6d4b9c7f8', namespace: 'default' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': '6d4b9c7f8' } },
      template,
    },
    status: { replicas: 2, readyReplicas: 1 },
  };
  assert.deepEqual(COLUMNS.ReplicaSet.cells(rs, ctx), [
    '2',
    '2',
    '1',
    '<unknown>',
    'web,proxy',
    'nginx:1.27,envoy:v1',
    'app=web,pod-template-hash=6d4b9c7f8',
  ]);
  const sts: StatefulSet = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template },
    status: { readyReplicas: 3 },
  };
  assert.deepEqual(COLUMNS.StatefulSet.cells(sts, ctx), [
    '3/3',
    '<unknown>',
    'web,proxy',
    'nginx:1.27,envoy:v1',
  ]);
  const ds: DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
    },
    status: {
      desiredNumberScheduled: 3,
      currentNumberScheduled: 3,
      numberReady: 2,
      updatedNumberScheduled: 3,
      numberAvailable: 2,
    },
  };
  assert.deepEqual(COLUMNS.DaemonSet.cells(ds, ctx), [
    '3',
    '3',
    '2',
    '3',
    '2',
    'kubernetes.io/os=linux',
    '<unknown>',
    'web,proxy',
    'nginx:1.27,envoy:v1',
    'app=agent',
  ]);
  const noSelector = { ...ds, spec: { ...ds.spec, template: { spec: template.spec } } };
  assert.equal(COLUMNS.DaemonSet.cells(noSelector, ctx)[5], '<none>');
});

test('endpointslices: PORTS and ENDPOINTS show three, then "+ N more...", <unset> when empty (printers.go)', () => {
  const slice = (ports: EndpointSlice['ports'], ips: string[][]): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'web-abcde', namespace: 'default' },
    addressType: 'IPv4',
    ports,
    endpoints: ips.map((addresses) => ({ addresses })),
  });
  const s = slice(
    [{ name: 'http', port: 8080 }, { name: 'metrics' }, { port: 9090 }, { port: 9091 }, {}],
    [['10.244.1.2'], ['10.244.2.2'], ['10.244.3.2', '10.244.3.3'], ['10.244.1.9']],
  );
  assert.equal(slicePorts(s), '8080,metrics,9090 + 2 more...');
  assert.equal(sliceEndpoints(s), '10.244.1.2,10.244.2.2,10.244.3.2 + 2 more...');
  assert.deepEqual(COLUMNS.EndpointSlice.cells(slice(undefined, []), ctx), [
    'IPv4',
    '<unset>',
    '<unset>',
    '<unknown>',
  ]);
  assert.equal(slicePorts(slice([{}], [])), '*');
});

test('ingresses: CLASS, HOSTS (three, then "+ N more..."; * without hosts), ADDRESS, PORTS 80 or "80, 443" with TLS', () => {
  const ing = (spec: Ingress['spec'], status?: Ingress['status']): Ingress => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'shop', namespace: 'shop-web' },
    spec,
    status,
  });
  const withTLS = ing(
    {
      ingressClassName: 'nginx',
      tls: [{ hosts: ['shop.example.com'] }],
      rules: [{ host: 'shop.example.com' }],
    },
    { loadBalancer: { ingress: [{ ip: '172.18.255.201' }] } },
  );
  assert.deepEqual(COLUMNS.Ingress.cells(withTLS, ctx), [
    'nginx',
    'shop.example.com',
    '172.18.255.201',
    '80, 443',
    '<unknown>',
  ]);
  assert.deepEqual(COLUMNS.Ingress.cells(ing({ defaultBackend: {} }), ctx), [
    '<none>',
    '*',
    '',
    '80',
    '<unknown>',
  ]);
  const hosts = (...hs: (string | undefined)[]) => ingressHosts(ing({ rules: hs.map((host) => ({ host })) }));
  assert.equal(hosts('a', undefined, 'b'), 'a,b');
  assert.equal(hosts('a', 'b', 'c', 'd', 'e'), 'a,b,c + 2 more...');
  // Upstream counts "more" over all rules once three hosts are collected, hosted or not.
  assert.equal(hosts('a', undefined, 'b', 'c', undefined), 'a,b,c + 2 more...');
  assert.equal(hosts('a', 'b', 'c'), 'a,b,c');
});

test('ingressclasses and networkpolicies: PARAMETERS Kind.group/name; POD-SELECTOR <none> when it selects all', () => {
  const ic: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: 'nginx' },
    spec: {
      controller: 'k8s.io/ingress-nginx',
      parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' },
    },
  };
  assert.deepEqual(COLUMNS.IngressClass.cells(ic, ctx), [
    'k8s.io/ingress-nginx',
    'IngressParameters.k8s.example.com/external-lb',
    '<unknown>',
  ]);
  assert.equal(COLUMNS.IngressClass.cells({ ...ic, spec: { controller: 'x' } }, ctx)[1], '<none>');
  const np = (podSelector: NetworkPolicy['spec']['podSelector']): NetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'd' },
    spec: { podSelector },
  });
  assert.deepEqual(COLUMNS.NetworkPolicy.cells(np({}), ctx), ['<none>', '<unknown>']);
  assert.equal(COLUMNS.NetworkPolicy.cells(np({ matchLabels: { app: 'postgres' } }), ctx)[0], 'app=postgres');
});

function pod(ns: string, name: string, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'c' }], nodeName: 'podnet-worker' },
    status: { phase: 'Running', podIPs: [{ ip: '10.244.1.2' }] },
  };
}

const base: TableOptions = {
  wide: false,
  withNamespace: false,
  withKind: false,
  showLabels: false,
  noHeaders: false,
  ctx,
};

test('table: NAMESPACE first with -A, kind.group/name with mixed kinds, LABELS last, wide columns (kubectl tableprinter)', () => {
  const pods = [pod('default', 'a', { run: 'x', app: 'y' }), pod('shop-web', 'frontend-7d9f8', undefined)];
  assert.equal(
    printTable('Pod', pods, base),
    [
      'NAME             READY   STATUS    RESTARTS   AGE',
      'a                0/1     Running   0          <unknown>',
      'frontend-7d9f8   0/1     Running   0          <unknown>',
      '',
    ].join('\n'),
  );
  assert.equal(
    printTable('Pod', pods, { ...base, wide: true, withNamespace: true, withKind: true, showLabels: true }),
    [
      'NAMESPACE   NAME                 READY   STATUS    RESTARTS   AGE         IP           NODE            NOMINATED NODE   READINESS GATES   LABELS',
      'default     pod/a                0/1     Running   0          <unknown>   10.244.1.2   podnet-worker   <none>           <none>            app=y,run=x',
      'shop-web    pod/frontend-7d9f8   0/1     Running   0          <unknown>   10.244.1.2   podnet-worker   <none>           <none>            <none>',
      '',
    ].join('\n'),
  );
  assert.equal(
    printTable('Pod', pods.slice(0, 1), { ...base, noHeaders: true }),
    'a     0/1   Running   0     <unknown>\n',
  );
});
