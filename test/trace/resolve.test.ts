// FROM and TO looked up in a cluster (src/trace/resolve.ts): the ends and the port they name,
// NotFound in kubectl's words, and pods without an address explained from their status.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodnetError, type PodnetErrorCode } from '../../src/api/errors.js';
import type { KubeObject, Pod } from '../../src/api/types.js';
import type { IPFamily } from '../../src/ip/index.js';
import { type EngineCluster, engine, namespace, pod } from '../netpol/engine-fixtures.js';
import { hop, service, traceIn } from './fixtures.js';

const WEB_PORTS = [
  { name: 'http', containerPort: 8080, protocol: 'TCP' as const },
  { name: 'metrics', containerPort: 9090, protocol: 'TCP' as const },
];

function cluster(): EngineCluster {
  const unschedulable: Pod = pod('x/pending', { labels: {} });
  unschedulable.spec.nodeSelector = { disktype: 'none-has-it' };
  const failed = pod('x/done', { ips: ['10.244.1.30'] });
  failed.status = { phase: 'Failed', reason: 'Evicted', message: 'The node was low on memory.' };
  const objects: KubeObject[] = [
    namespace('x'),
    pod('x/web', { ips: ['10.244.1.10'], ports: WEB_PORTS }),
    pod('x/one', { ips: ['10.244.1.11'], ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }] }),
    pod('x/none', { ips: ['10.244.1.12'] }),
    pod('x/agent', {
      hostNetwork: true,
      node: 'podnet-worker2',
      ports: [{ containerPort: 9100, protocol: 'TCP' }],
    }),
    unschedulable,
    failed,
    service('x/web', { selector: { app: 'web' }, clusterIP: '10.96.0.20' }),
  ];
  return engine(objects);
}

const C = cluster();

function resolve(from: string, to: string, family?: IPFamily) {
  return traceIn(C, from, to, family ? { family } : {});
}

/** `kind ip -> kind ip:port/proto`: the source and where the connection is delivered. */
function ends(from: string, to: string): string {
  const t = resolve(from, to);
  const src = hop(t, 'source').endpoint;
  const at = hop(t, 'delivery');
  return `${src.kind} ${src.ip} -> ${at.endpoint.kind} ${at.endpoint.ip}:${at.port}/${at.protocol}`;
}

function fails(code: PodnetErrorCode, f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof PodnetError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('trace ends: pods by name, nodes by name, addresses mapped to the pod or node holding them, else outside', () => {
  const cases: [string, string, string][] = [
    ['x/web', 'x/one', 'pod 10.244.1.10 -> pod 10.244.1.11:53/UDP'],
    ['x/web', 'x/web:http', 'pod 10.244.1.10 -> pod 10.244.1.10:8080/TCP'],
    ['x/web', 'x/web:9090', 'pod 10.244.1.10 -> pod 10.244.1.10:9090/TCP'],
    ['x/web', '10.244.1.11', 'pod 10.244.1.10 -> pod 10.244.1.11:53/UDP'],
    ['x/web', '10.244.1.10:metrics', 'pod 10.244.1.10 -> pod 10.244.1.10:9090/TCP'],
    ['node/podnet-worker', 'x/web:8080', 'node 172.18.0.3 -> pod 10.244.1.10:8080/TCP'],
    ['x/web', '172.18.0.4:10250', 'pod 10.244.1.10 -> node 172.18.0.4:10250/TCP'],
    ['x/web', 'node/podnet-worker2:9100', 'pod 10.244.1.10 -> node 172.18.0.4:9100/TCP'],
    ['x/agent', 'x/web:8080', 'node 172.18.0.4 -> pod 10.244.1.10:8080/TCP'],
    ['x/web', 'x/agent', 'pod 10.244.1.10 -> node 172.18.0.4:9100/TCP'],
    ['x/web', '8.8.8.8:53/UDP', 'pod 10.244.1.10 -> external 8.8.8.8:53/UDP'],
    ['external', 'node/podnet-worker2:9100', 'external 203.0.113.10 -> node 172.18.0.4:9100/TCP'],
  ];
  for (const [from, to, want] of cases) assert.equal(ends(from, to), want, `${from} ${to}`);
  assert.equal(
    ends('198.51.100.7', 'node/podnet-worker2:9100'),
    'external 198.51.100.7 -> node 172.18.0.4:9100/TCP',
  );
});

test('trace ends: without a port, a pod that declares exactly one is traced on it; otherwise its ports are listed', () => {
  fails(
    'InvalidUsage',
    () => resolve('x/one', 'x/web'),
    /declares several ports, give one .*8080\/TCP \(http, container main\), 9090\/TCP \(metrics, container main\)/,
  );
  fails(
    'InvalidUsage',
    () => resolve('x/one', 'x/none'),
    /pod x\/none declares no container port: give one, x\/none:PORT/,
  );
  fails(
    'InvalidUsage',
    () => resolve('x/one', 'x/web:grpc'),
    /pod x\/web has no port named "grpc" \(its ports: 8080\/TCP/,
  );
  fails('InvalidUsage', () => resolve('x/one', 'x/web:http/UDP'), /no port named "http"\/UDP/);
  fails('InvalidUsage', () => resolve('x/one', '172.18.0.3'), /give a port: 172.18.0.3:PORT/);
  fails(
    'InvalidUsage',
    () => resolve('x/one', '8.8.8.8:dns'),
    /a port name \(dns\) means a port of a pod's containers/,
  );
});

test('trace ends: missing pods, namespaces and nodes are NotFound in kubectl words (exit 1, as podnet get)', () => {
  fails(
    'NotFound',
    () => resolve('x/nope', 'x/web:80'),
    /^Error from server \(NotFound\): pods "nope" not found$/,
  );
  fails(
    'NotFound',
    () => resolve('x/web', 'y/web:80'),
    /^Error from server \(NotFound\): namespaces "y" not found$/,
  );
  fails(
    'NotFound',
    () => resolve('node/nope', 'x/web:80'),
    /^Error from server \(NotFound\): nodes "nope" not found$/,
  );
  // svc/NAME misses its namespace: a usage error with the form, not a namespace "svc" not found.
  fails(
    'InvalidUsage',
    () => resolve('x/web', 'svc/web:80'),
    /invalid TO "svc\/web:80": a Service is svc\/NS\/NAME\[:PORT\]/,
  );
});

test('trace ends: a pod without an address says why, from its status (scheduling, phase)', () => {
  fails(
    'NotFound',
    () => resolve('x/pending', 'x/web:80'),
    /^pod x\/pending has no IP: it is Pending and not scheduled to a node \(Unschedulable: 0\/3 nodes are available/,
  );
  fails(
    'NotFound',
    () => resolve('x/web', 'x/done:80'),
    /^pod x\/done has no IP: it is Failed \(Evicted: The node was low on memory.\), and a finished pod has released its IP$/,
  );
  fails(
    'NotFound',
    () => resolve('x/web', '[fd00::1]:80'),
    /^pod x\/web has no IPv6 address: its IPs are 10.244.1.10$/,
  );
  fails(
    'NotFound',
    () => resolve('x/web', '10.244.2.99:80'),
    /no pod holds 10.244.2.99 \(in the pod network 10.244.0.0\/16\)/,
  );
});

test('trace ends: --from-ip is an outside address of the destination family, held by no pod or node', () => {
  const from = (ip: string) => () => resolve(ip, 'x/web:8080');
  fails(
    'InvalidUsage',
    from('10.244.1.11'),
    /--from-ip 10.244.1.11 is the address of pod x\/one: trace from x\/one/,
  );
  fails(
    'InvalidUsage',
    from('172.18.0.3'),
    /is the address of node podnet-worker: trace from node\/podnet-worker/,
  );
  fails('InvalidUsage', from('10.244.9.9'), /is inside the cluster \(10.244.0.0\/16\)/);
  fails('InvalidUsage', from('10.96.0.10'), /is inside the cluster \(10.96.0.0\/16\)/);
  fails('InvalidUsage', from('2001:db8::1'), /is an IPv6 address, but the destination is IPv4/);
  fails('InvalidUsage', () => resolve('x/one', '8.8.8.8:53', 'IPv6'), /is an IPv4 address, not IPv6/);
});
