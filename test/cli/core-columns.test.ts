import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoints, Node, Pod, PodStatus, Secret, Service, ServiceSpec } from '../../src/api/types.js';
import { COLUMNS } from '../../src/cli/printers/columns.js';
import {
  formatEndpoints,
  podSummary,
  serviceExternalIP,
  servicePorts,
} from '../../src/cli/printers/core-columns.js';

const now = Date.parse('2025-06-01T12:00:00Z');
const ctx = { now };
const running = { running: { startedAt: '2025-06-01T11:00:00Z' } };

function pod(
  status: PodStatus | undefined,
  extra: Partial<Pod['spec']> = {},
  meta: Partial<Pod['metadata']> = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-0', namespace: 'default', ...meta },
    spec: { containers: [{ name: 'web' }, { name: 'sidecar' }], ...extra },
    status,
  };
}

test('pods: READY, STATUS and RESTARTS as printers.go printPod derives them', () => {
  const ready = { type: 'Ready', status: 'True' as const };
  const cases: { name: string; pod: Pod; want: [string, string, string] }[] = [
    { name: 'no status yet', pod: pod(undefined), want: ['0/2', '', '0'] },
    { name: 'pending', pod: pod({ phase: 'Pending' }), want: ['0/2', 'Pending', '0'] },
    {
      name: 'running, containers ready',
      pod: pod({
        phase: 'Running',
        conditions: [ready],
        containerStatuses: [
          { name: 'web', ready: true, state: running, restartCount: 0 },
          { name: 'sidecar', ready: true, state: running, restartCount: 0 },
        ],
      }),
      want: ['2/2', 'Running', '0'],
    },
    // READY counts container statuses only: a Ready condition alone shows 0/N, as kubectl does.
    {
      name: 'running without containerStatuses',
      pod: pod({ phase: 'Running', conditions: [ready] }),
      want: ['0/2', 'Running', '0'],
    },
    {
      name: 'a waiting reason wins',
      pod: pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'web',
            ready: false,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            restartCount: 4,
            lastState: { terminated: { exitCode: 1, finishedAt: '2025-06-01T11:55:00Z' } },
          },
          { name: 'sidecar', ready: true, state: running, restartCount: 1 },
        ],
      }),
      want: ['1/2', 'CrashLoopBackOff', '5 (5m ago)'],
    },
    {
      name: 'completed container beside a running one, pod ready',
      pod: pod({
        phase: 'Running',
        conditions: [ready],
        containerStatuses: [
          { name: 'web', ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
          { name: 'sidecar', ready: true, state: running },
        ],
      }),
      want: ['1/2', 'Running', '0'],
    },
    {
      name: 'terminated without a reason',
      pod: pod({
        phase: 'Running',
        containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 137, signal: 9 } } }],
      }),
      want: ['0/2', 'Signal:9', '0'],
    },
    {
      name: 'init container still running',
      pod: pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: running }] },
        { initContainers: [{ name: 'init' }] },
      ),
      want: ['0/2', 'Init:0/1', '0'],
    },
    {
      name: 'init container failed',
      pod: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'init', state: { terminated: { reason: 'Error', exitCode: 1 } } }],
        },
        { initContainers: [{ name: 'init' }] },
      ),
      want: ['0/2', 'Init:Error', '0'],
    },
    {
      name: 'a started sidecar (restartable init container) counts as a container',
      pod: pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [
            { name: 'proxy', ready: true, started: true, state: running, restartCount: 2 },
          ],
          containerStatuses: [{ name: 'web', ready: true, state: running }],
        },
        { containers: [{ name: 'web' }], initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      ),
      want: ['2/2', 'Running', '2'],
    },
    {
      name: 'scheduling gated',
      pod: pod({
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      want: ['0/2', 'SchedulingGated', '0'],
    },
    {
      name: 'being deleted',
      pod: pod({ phase: 'Running' }, {}, { deletionTimestamp: '2025-06-01T11:59:00Z' }),
      want: ['0/2', 'Terminating', '0'],
    },
    {
      name: 'deleted on a lost node',
      pod: pod({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: '2025-06-01T11:59:00Z' }),
      want: ['0/2', 'Unknown', '0'],
    },
    {
      name: 'deleted after success',
      pod: pod({ phase: 'Succeeded' }, {}, { deletionTimestamp: '2025-06-01T11:59:00Z' }),
      want: ['0/2', 'Succeeded', '0'],
    },
    { name: 'evicted', pod: pod({ phase: 'Failed', reason: 'Evicted' }), want: ['0/2', 'Evicted', '0'] },
  ];
  for (const c of cases) {
    const { ready: r, status, restarts } = podSummary(c.pod, ctx);
    assert.deepEqual([r, status, restarts], c.want, c.name);
  }
});

test('pods -o wide: IP is the first of status.podIPs; <none> for missing IP, node, nominated node, readiness gates', () => {
  const p = pod(
    { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] },
    { nodeName: 'podnet-worker' },
  );
  assert.deepEqual(COLUMNS.Pod.cells(p, ctx).slice(3), [
    '<unknown>',
    '10.244.1.5',
    'podnet-worker',
    '<none>',
    '<none>',
  ]);
  assert.deepEqual(COLUMNS.Pod.cells(pod({ phase: 'Pending' }), ctx).slice(4), [
    '<none>',
    '<none>',
    '<none>',
    '<none>',
  ]);
  const gated = pod(
    { conditions: [{ type: 'example.com/lb', status: 'True' }] },
    { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'x/y' }] },
  );
  assert.equal(COLUMNS.Pod.cells(gated, ctx)[7], '1/2');
});

function svc(spec: Partial<ServiceSpec>, status?: Service['status']): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'default' },
    spec: { ...spec },
    status,
  };
}

test('services: EXTERNAL-IP per type (printers.go getServiceExternalIP)', () => {
  const cases: [string, Service, string][] = [
    ['ClusterIP', svc({ type: 'ClusterIP' }), '<none>'],
    [
      'ClusterIP with externalIPs',
      svc({ type: 'ClusterIP', externalIPs: ['198.51.100.7', '198.51.100.8'] }),
      '198.51.100.7,198.51.100.8',
    ],
    ['NodePort', svc({ type: 'NodePort' }), '<none>'],
    ['LoadBalancer not yet assigned', svc({ type: 'LoadBalancer' }), '<pending>'],
    [
      'LoadBalancer with IPs and hostnames, duplicates once',
      svc(
        { type: 'LoadBalancer' },
        {
          loadBalancer: {
            ingress: [{ ip: '172.18.255.200' }, { hostname: 'lb.example.com' }, { ip: '172.18.255.200' }],
          },
        },
      ),
      '172.18.255.200,lb.example.com',
    ],
    [
      'LoadBalancer address, then externalIPs',
      svc(
        { type: 'LoadBalancer', externalIPs: ['198.51.100.7'] },
        { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
      ),
      '172.18.255.200,198.51.100.7',
    ],
    [
      'LoadBalancer pending with externalIPs',
      svc({ type: 'LoadBalancer', externalIPs: ['198.51.100.7'] }),
      '198.51.100.7',
    ],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }), 'db.example.com'],
    ['no type', svc({}), '<unknown>'],
  ];
  for (const [name, s, want] of cases) assert.equal(serviceExternalIP(s, true), want, name);
});

test('services EXTERNAL-IP: load-balancer addresses sorted (a string set), clipped to 16 characters unless wide (loadBalancerStatusStringer)', () => {
  const s = svc(
    { type: 'LoadBalancer' },
    { loadBalancer: { ingress: [{ ip: '172.18.255.230' }, { ip: '172.18.255.201' }] } },
  );
  assert.equal(serviceExternalIP(s, true), '172.18.255.201,172.18.255.230');
  assert.equal(serviceExternalIP(s, false), '172.18.255.20...');
  const one = svc({ type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } });
  assert.equal(serviceExternalIP(one, false), '172.18.255.200');
});

test('services: PORT(S) as port[:nodePort]/protocol (printers.go makePortString); CLUSTER-IP the first of clusterIPs', () => {
  const s = svc({
    type: 'NodePort',
    clusterIP: '10.96.0.20',
    clusterIPs: ['10.96.0.20', 'fd00:10:96::20'],
    selector: { app: 'web', tier: 'front' },
    ports: [
      { port: 80, nodePort: 30080, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
    ],
  });
  assert.equal(servicePorts(s), '80:30080/TCP,53/UDP');
  assert.deepEqual(COLUMNS.Service.cells(s, ctx), [
    'NodePort',
    '10.96.0.20',
    '<none>',
    '80:30080/TCP,53/UDP',
    '<unknown>',
    'app=web,tier=front',
  ]);
  const headless = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
  assert.deepEqual(COLUMNS.Service.cells(headless, ctx), [
    'ClusterIP',
    'None',
    '<none>',
    '<none>',
    '<unknown>',
    '<none>',
  ]);
  assert.equal(
    COLUMNS.Service.cells(svc({ type: 'ExternalName', externalName: 'x.example' }), ctx)[1],
    '<none>',
  );
});

test('endpoints: first three ip:port pairs, then "+ N more..." (printers.go formatEndpoints)', () => {
  const ep = (subsets: Endpoints['subsets']): Endpoints => ({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'e', namespace: 'd' },
    subsets,
  });
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
  assert.equal(formatEndpoints(ep(undefined)), '<none>');
  assert.equal(
    formatEndpoints(ep([{ addresses: addrs('10.244.1.2'), ports: [{ port: 80 }] }])),
    '10.244.1.2:80',
  );
  assert.equal(
    formatEndpoints(
      ep([{ addresses: addrs('10.244.1.2', '10.244.2.2'), ports: [{ port: 80 }, { port: 443 }] }]),
    ),
    '10.244.1.2:80,10.244.2.2:80,10.244.1.2:443 + 1 more...',
  );
  assert.equal(formatEndpoints(ep([{ addresses: addrs('fd00::2'), ports: [{ port: 80 }] }])), '[fd00::2]:80');
  // A headless Service without ports: bare addresses. Not-ready addresses are not shown.
  assert.equal(
    formatEndpoints(ep([{ addresses: addrs('10.244.1.2'), notReadyAddresses: addrs('10.244.1.3') }])),
    '10.244.1.2',
  );
  assert.equal(formatEndpoints(ep([{ notReadyAddresses: addrs('10.244.1.3'), ports: [{ port: 80 }] }])), '');
});

test('nodes: STATUS from the Ready condition, ROLES from node-role labels, wide addresses and node info', () => {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'podnet-control-plane',
      labels: {
        'node-role.kubernetes.io/control-plane': '',
        'kubernetes.io/role': 'infra',
        'node-role.kubernetes.io/': '',
      },
    },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [
        { type: 'Hostname', address: 'podnet-control-plane' },
        { type: 'InternalIP', address: '172.18.0.2' },
      ],
      nodeInfo: { kubeletVersion: 'v1.32.2', osImage: 'Debian GNU/Linux 12 (bookworm)' },
    },
  };
  assert.deepEqual(COLUMNS.Node.cells(node, ctx), [
    'Ready,SchedulingDisabled',
    'control-plane,infra',
    '<unknown>',
    'v1.32.2',
    '172.18.0.2',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '<unknown>',
    '<unknown>',
  ]);
  const bare: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n' },
    status: { conditions: [{ type: 'Ready', status: 'Unknown' }] },
  };
  assert.deepEqual(COLUMNS.Node.cells(bare, ctx).slice(0, 4), ['NotReady', '<none>', '<unknown>', '']);
  assert.equal(COLUMNS.Node.cells({ ...bare, status: {} }, ctx)[0], 'Unknown');
});

test('namespaces and secrets: STATUS is the phase; DATA counts keys, stringData folded in as the API server stores it', () => {
  assert.deepEqual(
    COLUMNS.Namespace.cells(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' }, status: { phase: 'Active' } },
      ctx,
    ),
    ['Active', '<unknown>'],
  );
  const secret: Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds', namespace: 'shop', creationTimestamp: '2025-05-30T12:00:00Z' },
    type: 'Opaque',
    data: { a: 'YQ==', b: 'Yg==' },
    stringData: { b: 'b', c: 'c' },
  };
  assert.deepEqual(COLUMNS.Secret.cells(secret, ctx), ['Opaque', '3', '2d']);
});
