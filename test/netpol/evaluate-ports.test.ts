// Ports: which destination ports and protocols a rule admits (networking.k8s.io/v1
// NetworkPolicyPort: port number or name, endPort, protocol defaulting to TCP; an empty or
// missing ports list matches every port).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkPolicyPort, Protocol } from '../../src/api/types.js';
import { engine, namespace, pod, policy, xyz } from './engine-fixtures.js';

type Probe = [port: number, protocol: Protocol];

const PROBES: Probe[] = [
  [79, 'TCP'],
  [80, 'TCP'],
  [81, 'TCP'],
  [82, 'TCP'],
  [80, 'UDP'],
  [81, 'UDP'],
  [80, 'SCTP'],
  [81, 'SCTP'],
];

/** The probes y/b -> x/a allows when x/a admits ingress only on `ports`. */
function admitted(ports: NetworkPolicyPort[] | undefined): string[] {
  const c = xyz([
    policy('x/ports', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [ports ? { ports } : {}] }),
  ]);
  return PROBES.filter(([port, proto]) => c.allowed('y/b', 'x/a', port, proto)).map(
    ([p, proto]) => `${p}/${proto}`,
  );
}

const CASES: { name: string; ports: NetworkPolicyPort[] | undefined; want: string[] }[] = [
  {
    name: 'a port number admits that port of its protocol',
    ports: [{ port: 80, protocol: 'TCP' }],
    want: ['80/TCP'],
  },
  {
    name: 'protocol defaults to TCP (SetDefaults_NetworkPolicyPort)',
    ports: [{ port: 81 }],
    want: ['81/TCP'],
  },
  {
    name: 'UDP and SCTP are matched by protocol',
    ports: [
      { port: 80, protocol: 'UDP' },
      { port: 81, protocol: 'SCTP' },
    ],
    want: ['80/UDP', '81/SCTP'],
  },
  {
    name: 'endPort admits the inclusive range port..endPort',
    ports: [{ port: 80, endPort: 81, protocol: 'TCP' }],
    want: ['80/TCP', '81/TCP'],
  },
  {
    name: 'an entry with only a protocol admits every port of that protocol',
    ports: [{ protocol: 'UDP' }],
    want: ['80/UDP', '81/UDP'],
  },
  {
    name: 'a named port resolves against the destination pod (serve-81-tcp is 81/TCP on x/a)',
    ports: [{ port: 'serve-81-tcp', protocol: 'TCP' }],
    want: ['81/TCP'],
  },
  {
    name: 'a named port needs the protocol of the container port (serve-80-tcp over UDP names nothing)',
    ports: [{ port: 'serve-80-tcp', protocol: 'UDP' }],
    want: [],
  },
  {
    name: 'a named port of SCTP resolves with protocol SCTP',
    ports: [{ port: 'serve-80-sctp', protocol: 'SCTP' }],
    want: ['80/SCTP'],
  },
  {
    name: 'a named port the destination does not declare admits nothing',
    ports: [{ port: 'metrics', protocol: 'TCP' }],
    want: [],
  },
  {
    name: 'an empty ports list admits every port and protocol',
    ports: [],
    want: PROBES.map(([p, proto]) => `${p}/${proto}`),
  },
  {
    name: 'missing ports admit every port and protocol',
    ports: undefined,
    want: PROBES.map(([p, proto]) => `${p}/${proto}`),
  },
];

for (const { name, ports, want } of CASES) {
  test(`Ports: ${name} (NetworkPolicyPort)`, () => {
    assert.deepEqual(admitted(ports), want);
  });
}

test('Ports: endPort edges: a range of one port, and a range ending at 65535 (NetworkPolicyPort endPort)', () => {
  const c = xyz([
    policy('x/ranges', {
      ingress: [
        {
          ports: [
            { port: 443, endPort: 443, protocol: 'TCP' },
            { port: 65000, endPort: 65535, protocol: 'UDP' },
          ],
        },
      ],
    }),
  ]);
  const probe = (port: number, proto: Protocol) => c.allowed('y/a', 'x/a', port, proto);
  assert.deepEqual([probe(442, 'TCP'), probe(443, 'TCP'), probe(444, 'TCP')], [false, true, false]);
  assert.deepEqual(
    [probe(64999, 'UDP'), probe(65000, 'UDP'), probe(65535, 'UDP'), probe(65535, 'TCP')],
    [false, true, true, false],
  );
});

test('Ports: peers and ports of one rule must both match (a rule is from AND ports)', () => {
  const c = xyz([
    policy('x/y-on-80', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }], ports: [{ port: 80 }] }],
    }),
  ]);
  assert.equal(c.allowed('y/b', 'x/a', 80), true);
  assert.equal(c.allowed('y/b', 'x/a', 81), false);
  assert.equal(c.allowed('z/b', 'x/a', 80), false);
});

test('Ports: an egress named port resolves against the destination pod (upstream e2e "named port" egress)', () => {
  const c = xyz([
    policy('x/egress-named', {
      podSelector: { matchLabels: { pod: 'a' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }],
    }),
  ]);
  assert.equal(c.allowed('x/a', 'y/b', 81, 'UDP'), true);
  assert.equal(c.allowed('x/a', 'y/b', 80, 'UDP'), false);
  assert.equal(c.allowed('x/a', 'y/b', 81, 'TCP'), false);
});

test('Ports: a named port never matches a destination that is not a pod on the pod network', () => {
  const c = engine([
    namespace('x'),
    pod('x/client', { labels: { app: 'client' }, ips: ['10.244.1.10'] }),
    pod('x/agent', {
      hostNetwork: true,
      node: 'podnet-worker2',
      ports: [{ name: 'metrics', containerPort: 9100 }],
    }),
    policy('x/egress-named', {
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ ports: [{ port: 'metrics' }] }],
    }),
  ]);
  assert.equal(c.end('x/agent').kind, 'node');
  assert.equal(c.allowed('x/client', 'x/agent', 9100), false);
  assert.equal(c.allowed('x/client', '203.0.113.9', 9100), false);
});

test('Ports: one name may mean different numbers on different destination pods (named ports resolve per pod)', () => {
  const c = engine([
    namespace('x'),
    pod('x/client', { labels: { app: 'client' }, ips: ['10.244.1.10'] }),
    pod('x/web-1', {
      labels: { app: 'web' },
      ips: ['10.244.1.11'],
      ports: [{ name: 'http', containerPort: 8080 }],
    }),
    pod('x/web-2', {
      labels: { app: 'web' },
      ips: ['10.244.1.12'],
      ports: [{ name: 'http', containerPort: 9090 }],
    }),
    pod('x/web-3', { labels: { app: 'web' }, ips: ['10.244.1.13'] }),
    policy('x/http', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ ports: [{ port: 'http' }] }],
    }),
  ]);
  assert.deepEqual(
    [c.allowed('x/client', 'x/web-1', 8080), c.allowed('x/client', 'x/web-1', 9090)],
    [true, false],
  );
  assert.deepEqual(
    [c.allowed('x/client', 'x/web-2', 8080), c.allowed('x/client', 'x/web-2', 9090)],
    [false, true],
  );
  assert.equal(c.allowed('x/client', 'x/web-3', 8080), false);
});

test('Ports: a named port resolves against sidecar containers too, as a Service targetPort does (podutil.FindPort: init containers with restartPolicy Always)', () => {
  const server = pod('x/server', { labels: { app: 'server' }, ips: ['10.244.1.20'] });
  server.spec.initContainers = [
    {
      name: 'proxy',
      image: 'envoy',
      restartPolicy: 'Always',
      ports: [{ name: 'mesh', containerPort: 15001 }],
    },
    { name: 'setup', image: 'busybox', ports: [{ name: 'setup', containerPort: 9999 }] },
  ];
  const c = engine([
    namespace('x'),
    pod('x/client', { labels: { app: 'client' }, ips: ['10.244.1.10'] }),
    server,
    policy('x/named', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress: [{ ports: [{ port: 'mesh' }, { port: 'setup' }] }],
    }),
  ]);
  assert.equal(c.allowed('x/client', 'x/server', 15001), true);
  // A plain init container has exited before the app starts: its port names nothing.
  assert.equal(c.allowed('x/client', 'x/server', 9999), false);
});
