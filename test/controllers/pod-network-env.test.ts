import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod, Service, ServicePort } from '../../src/api/types.js';
import { serviceEnvironment } from '../../src/controllers/kubelet/pod-network.js';
import { Store } from '../../src/store/store.js';

function svc(
  ns: string,
  name: string,
  clusterIP: string | undefined,
  ports: ServicePort[],
  type?: Service['spec']['type'],
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: { type, clusterIP, ports },
  };
}

function pod(ns: string, enableServiceLinks?: boolean): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: ns },
    spec: { containers: [], enableServiceLinks },
  };
}

const KUBERNETES = svc('default', 'kubernetes', '10.96.0.1', [
  { name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 },
]);

function envOf(services: Service[], p: Pod): Record<string, string> {
  const store = new Store();
  for (const s of services) store.put(structuredClone(s));
  return Object.fromEntries(serviceEnvironment(p, store).map((e) => [e.name, e.value ?? '']));
}

test('Service env: {SVC}_SERVICE_HOST/PORT, named ports and Docker link variables (kubelet envvars.FromServices)', () => {
  const env = envOf(
    [
      KUBERNETES,
      svc('shop', 'redis-primary', '10.96.0.11', [
        { port: 6379, protocol: 'TCP', targetPort: 6379 },
        { name: 'metrics-port', port: 9121, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
      ]),
    ],
    pod('shop'),
  );
  assert.deepEqual(env, {
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
    KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_443_TCP_PORT: '443',
    KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    REDIS_PRIMARY_SERVICE_HOST: '10.96.0.11',
    REDIS_PRIMARY_SERVICE_PORT: '6379',
    REDIS_PRIMARY_SERVICE_PORT_METRICS_PORT: '9121',
    REDIS_PRIMARY_SERVICE_PORT_DNS: '53',
    REDIS_PRIMARY_PORT: 'tcp://10.96.0.11:6379',
    REDIS_PRIMARY_PORT_6379_TCP: 'tcp://10.96.0.11:6379',
    REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
    REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.96.0.11',
    REDIS_PRIMARY_PORT_9121_TCP: 'tcp://10.96.0.11:9121',
    REDIS_PRIMARY_PORT_9121_TCP_PROTO: 'tcp',
    REDIS_PRIMARY_PORT_9121_TCP_PORT: '9121',
    REDIS_PRIMARY_PORT_9121_TCP_ADDR: '10.96.0.11',
    REDIS_PRIMARY_PORT_53_UDP: 'udp://10.96.0.11:53',
    REDIS_PRIMARY_PORT_53_UDP_PROTO: 'udp',
    REDIS_PRIMARY_PORT_53_UDP_PORT: '53',
    REDIS_PRIMARY_PORT_53_UDP_ADDR: '10.96.0.11',
  });
});

test('Service env: order is stable: Services by name, each in FromServices order', () => {
  const store = new Store();
  for (const s of [
    svc('a', 'zeta', '10.96.0.20', [{ port: 1 }]),
    svc('a', 'alpha', '10.96.0.21', [{ port: 2 }]),
    KUBERNETES,
  ]) {
    store.put(structuredClone(s));
  }
  const names = serviceEnvironment(pod('a'), store).map((e) => e.name);
  assert.deepEqual(names.slice(0, 3), ['ALPHA_SERVICE_HOST', 'ALPHA_SERVICE_PORT', 'ALPHA_PORT']);
  assert.equal(names.indexOf('KUBERNETES_SERVICE_HOST') < names.indexOf('ZETA_SERVICE_HOST'), true);
  assert.equal(names.at(-1), 'ZETA_PORT_1_TCP_ADDR');
});

test('Service env: IPv6 cluster IPs are bracketed in link URLs (makeLinkVariables uses net.JoinHostPort)', () => {
  const env = envOf([svc('v6', 'web', 'fd00:10:96::a', [{ port: 80, protocol: 'TCP' }])], pod('v6'));
  assert.equal(env.WEB_SERVICE_HOST, 'fd00:10:96::a');
  assert.equal(env.WEB_PORT, 'tcp://[fd00:10:96::a]:80');
  assert.equal(env.WEB_PORT_80_TCP, 'tcp://[fd00:10:96::a]:80');
  assert.equal(env.WEB_PORT_80_TCP_ADDR, 'fd00:10:96::a');
});

const visibility: { rule: string; services: Service[]; pod: Pod; present: string[]; absent: string[] }[] = [
  {
    rule: 'headless Services have no variables (IsServiceIPSet: clusterIP None)',
    services: [svc('a', 'db', 'None', [{ port: 5432 }])],
    pod: pod('a'),
    present: [],
    absent: ['DB_SERVICE_HOST'],
  },
  {
    rule: 'ExternalName Services have no variables (IsServiceIPSet: no clusterIP)',
    services: [svc('a', 'ext', undefined, [{ port: 443 }], 'ExternalName')],
    pod: pod('a'),
    present: [],
    absent: ['EXT_SERVICE_HOST'],
  },
  {
    rule: 'NodePort and LoadBalancer Services count like ClusterIP ones (they have a cluster IP)',
    services: [svc('a', 'np', '10.96.0.30', [{ port: 80, nodePort: 30080 }], 'NodePort')],
    pod: pod('a'),
    present: ['NP_SERVICE_HOST', 'NP_PORT_80_TCP'],
    absent: [],
  },
  {
    rule: 'only Services of the pod namespace are visible (getServiceEnvVarMap)',
    services: [KUBERNETES, svc('other', 'web', '10.96.0.40', [{ port: 80 }])],
    pod: pod('a'),
    present: ['KUBERNETES_SERVICE_HOST'],
    absent: ['WEB_SERVICE_HOST'],
  },
  {
    rule: 'enableServiceLinks: false keeps only the master service of default',
    services: [KUBERNETES, svc('a', 'web', '10.96.0.41', [{ port: 80 }])],
    pod: pod('a', false),
    present: ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_PORT_443_TCP'],
    absent: ['WEB_SERVICE_HOST'],
  },
  {
    rule: 'enableServiceLinks: false in namespace default still hides the other default Services',
    services: [KUBERNETES, svc('default', 'web', '10.96.0.42', [{ port: 80 }])],
    pod: pod('default', false),
    present: ['KUBERNETES_SERVICE_HOST'],
    absent: ['WEB_SERVICE_HOST'],
  },
  {
    rule: 'the master service is only default/kubernetes, not a same-named Service elsewhere',
    services: [svc('b', 'kubernetes', '10.96.0.50', [{ port: 443 }])],
    pod: pod('a', false),
    present: [],
    absent: ['KUBERNETES_SERVICE_HOST'],
  },
];

for (const c of visibility) {
  test(`Service env: ${c.rule}`, () => {
    const env = envOf(c.services, c.pod);
    for (const name of c.present) assert.ok(name in env, `${name} missing`);
    for (const name of c.absent) assert.ok(!(name in env), `${name} present`);
  });
}

test('Service env: a Service named kubernetes in the pod namespace replaces default/kubernetes (getServiceEnvVarMap)', () => {
  const own = svc('a', 'kubernetes', '10.96.0.77', [{ port: 8443 }]);
  assert.equal(envOf([KUBERNETES, own], pod('a')).KUBERNETES_SERVICE_HOST, '10.96.0.77');
  // With service links disabled the pod namespace contributes nothing, so the master one stays.
  assert.equal(envOf([KUBERNETES, own], pod('a', false)).KUBERNETES_SERVICE_HOST, '10.96.0.1');
});

test('Service env: the SCTP protocol is spelled in the link variable names (makeLinkVariables)', () => {
  const env = envOf([svc('a', 'sig', '10.96.0.60', [{ port: 3868, protocol: 'SCTP' }])], pod('a'));
  assert.equal(env.SIG_PORT, 'sctp://10.96.0.60:3868');
  assert.equal(env.SIG_PORT_3868_SCTP_PROTO, 'sctp');
});
