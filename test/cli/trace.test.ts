// `podnet trace` run as a user runs it: golden output for each policy verdict reason the shop
// example exercises, the JSON and YAML shapes, and the exit codes of every way the arguments can
// be wrong (trace-e2e.test.ts traces the tutorial and the shop through DNS, Services and Ingress).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden, podnet } from './cli.js';

const SHOP = ['-f', 'examples/shop'];
// Pod names are generated from a stable hash (DESIGN.md: deterministic), so they can be named.
const API = 'shop-api/api-5cd8464b9-47bbx';
const WORKER = 'shop-api/worker-c4f544784-dv27c';
const FRONTEND = 'shop-web/frontend-7d656b6974-kstsn';
const EXPORTER = 'monitoring/node-exporter-q27fz';

const GOLDEN: { name: string; args: string[] }[] = [
  // NetworkPolicy allow, a named port resolved on the destination pod.
  { name: 'policy-allow.txt', args: ['trace', 'shop-web/debug', `${API}:http`] },
  // Allowed by the source's egress policy, denied by the destination's ingress policies.
  { name: 'policy-deny.txt', args: ['trace', WORKER, 'shop-data/postgres-0:5432'] },
  { name: 'policy-deny.json', args: ['trace', WORKER, 'shop-data/postgres-0:5432', '-o', 'json'] },
  // An outside client matched by an ipBlock, through the load balancer to a node it picks.
  {
    name: 'external-ipblock.txt',
    args: [
      'trace',
      'external',
      '172.18.255.200:80',
      '--via-node',
      'podnet-worker2',
      '--from-ip',
      '198.51.100.7',
    ],
  },
  // Outside clients reach neither pod IPs nor cluster IPs, nor anything outside the cluster.
  { name: 'external-cluster-ip.txt', args: ['trace', 'external', 'svc/shop-web/frontend:80'] },
  { name: 'external-outside.txt', args: ['trace', 'external', '8.8.8.8:53/UDP'] },
  // The URL's scheme against the controller's listener: plain HTTP to 443, TLS to 80.
  { name: 'shop-http-to-tls-port.txt', args: ['trace', 'external', 'http://shop.example.com:443/'] },
  {
    name: 'shop-https-to-http-port.json',
    args: ['trace', 'external', 'https://shop.example.com:80/api', '-o', 'json'],
  },
  // From a pod, an Ingress host is outside the cluster zones: the hop says how to follow it.
  { name: 'pod-ingress-host-hint.txt', args: ['trace', FRONTEND, 'https://shop.example.com/api'] },
  // A hostNetwork pod is its node: own-node traffic to a pod on its node.
  { name: 'own-node.txt', args: ['trace', EXPORTER, 'shop-data/postgres-1'] },
  // Delivered where no container declares the port.
  { name: 'undeclared-port.txt', args: ['trace', FRONTEND, 'shop-web/debug:8080/UDP'] },
  // To a node's address, where a hostNetwork pod declares the port.
  { name: 'node-hostnetwork.yaml', args: ['trace', 'shop-web/debug', '172.18.0.3:9100', '-o', 'yaml'] },
  // Dual-stack, over IPv6: a pod address is not routed outside the cluster.
  {
    name: 'ipv6-external.txt',
    args: [
      'trace',
      'external',
      `${FRONTEND}:8080`,
      '--family',
      'IPv6',
      '--config',
      'test/fixtures/config/kind-dual.yaml',
    ],
  },
];

for (const { name, args } of GOLDEN) {
  test(`trace golden ${name}: podnet ${args.join(' ')}`, () => {
    const r = podnet([...args, ...SHOP]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`trace/${name}`, r.stdout);
  });
}

test('trace -o json is the Trace object of DESIGN.md: kind, verdict, hops, endpoint', () => {
  const r = podnet(['trace', 'shop-web/debug', `${API}:8080`, '-o', 'json', ...SHOP]);
  assert.equal(r.code, 0);
  const t = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(t), ['kind', 'verdict', 'hops', 'endpoint']);
  assert.equal(t.kind, 'Trace');
  assert.equal(t.verdict, 'delivered');
  assert.deepEqual(t.endpoint, { pod: API, ip: '10.244.2.2', port: 8080 });
  assert.deepEqual(
    t.hops.map((h: { kind: string }) => h.kind),
    ['source', 'egress-policy', 'ingress-policy', 'delivery'],
  );
});

test('trace: a denied connection is an answer, not a failure (exit 0)', () => {
  const r = podnet(['trace', WORKER, 'shop-data/postgres-0:5432', ...SHOP]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /verdict {3}denied at ingress to shop-data\/postgres-0\n$/);
});

/** Missing objects: kubectl's NotFound wording and exit 1, as `podnet get`. */
const NOT_FOUND: { args: string[]; stderr: string }[] = [
  { args: ['shop-web/nope', `${API}:80`], stderr: 'Error from server (NotFound): pods "nope" not found\n' },
  {
    args: ['shop-web/debug', 'nowhere/x:80'],
    stderr: 'Error from server (NotFound): namespaces "nowhere" not found\n',
  },
  { args: ['node/nope', `${API}:80`], stderr: 'Error from server (NotFound): nodes "nope" not found\n' },
  {
    args: ['external', '172.18.255.200:80', '--via-node', 'nope'],
    stderr: 'Error from server (NotFound): nodes "nope" not found\n',
  },
  {
    args: ['shop-web/debug', '10.244.1.99:80'],
    stderr: 'error: no pod holds 10.244.1.99 (in the pod network 10.244.0.0/16): nothing answers there\n',
  },
  {
    args: ['shop-web/debug', '[fd00::1]:80'],
    stderr: 'error: pod shop-web/debug has no IPv6 address: its IPs are 10.244.1.6\n',
  },
  {
    args: ['shop-web/debug', 'svc/shop-web/nope:80'],
    stderr: 'Error from server (NotFound): services "nope" not found\n',
  },
  {
    args: ['shop-web/debug', 'svc/nowhere/x:80'],
    stderr: 'Error from server (NotFound): namespaces "nowhere" not found\n',
  },
];

for (const { args, stderr } of NOT_FOUND) {
  test(`trace: podnet trace ${args.join(' ')} is not found (exit 1)`, () => {
    assert.deepEqual(podnet(['trace', ...args, ...SHOP]), { code: 1, stdout: '', stderr });
  });
}

/** Bad usage and hostile input: exit 2, a clear message, nothing on stdout. */
const USAGE: { args: string[]; stderr: RegExp }[] = [
  { args: [], stderr: /podnet trace takes FROM and TO, got 0 arguments/ },
  { args: ['shop-web/debug'], stderr: /got 1 argument:/ },
  {
    args: ['shop-web/debug', API],
    stderr: /declares several ports, give one .*8080\/TCP \(http, container api\)/,
  },
  { args: ['shop-web/debug', `${API}:0`], stderr: /invalid port 0 .*between 1 and 65535/ },
  { args: ['shop-web/debug', `${API}:65536`], stderr: /invalid port 65536/ },
  { args: ['shop-web/debug', `${API}:abc`], stderr: /has no port named "abc"/ },
  { args: ['shop-web/debug', `${API}:80/ICMP`], stderr: /invalid protocol "ICMP"/ },
  {
    args: ['shop-web/debug', 'svc/shop-api'],
    stderr: /invalid TO "svc\/shop-api": a Service is svc\/NS\/NAME\[:PORT\]/,
  },
  { args: ['shop-web/debug', 'svc/frontend:80'], stderr: /a Service is svc\/NS\/NAME\[:PORT\]/ },
  { args: ['shop-web/debug', 'service/'], stderr: /a Service is service\/NS\/NAME\[:PORT\]/ },
  {
    args: ['shop-web/debug', `${API}:80`, '--via-node', 'podnet-worker'],
    stderr: /--via-node .* needs FROM external/,
  },
  { args: ['shop-web/debug', ''], stderr: /empty TO/ },
  { args: ['', API], stderr: /empty FROM/ },
  { args: ['shop-web/debug', '10.244.300.1:80'], stderr: /is not an IP address/ },
  {
    args: ['shop-web/debug', 'svc/shop-api/api'],
    stderr:
      /Service shop-api\/api has several ports, give one \(svc\/shop-api\/api:PORT\): http 80\/TCP, metrics 9090\/TCP/,
  },
  {
    args: ['shop-web/debug', 'svc/shop-api/api:grpc'],
    stderr: /has no port named "grpc" \(its ports: http 80\/TCP, metrics 9090\/TCP\)/,
  },
  { args: ['shop-web/debug', 'api.shop-api'], stderr: /is a DNS name: give the port, api.shop-api:PORT/ },
  { args: ['shop-web/debug', 'api.shop-api:http'], stderr: /a client connects to a port number, not a name/ },
  { args: ['shop-web/debug', 'api.shop-api:65536'], stderr: /invalid port 65536/ },
  { args: ['shop-web/debug', 'ftp://shop.example.com/'], stderr: /unsupported scheme ftp/ },
  { args: ['shop-web/debug', 'http://admin:hunter2@shop.example.com/'], stderr: /carries credentials/ },
  { args: ['shop-web/debug', 'https://shop.example.com:70000/'], stderr: /invalid port 70000 in URL/ },
  { args: ['shop-web/debug', 'http://[fd00::1/'], stderr: /invalid URL/ },
  { args: ['shop-web/debug', 'http://shop example.com/'], stderr: /invalid URL/ },
  { args: ['shop-web/debug', 'shop.example.com/api'], stderr: /a URL needs its scheme/ },
  {
    args: ['external', `${API}:80`, '--from-ip', '10.244.1.6'],
    stderr: /is the address of pod shop-web\/debug/,
  },
  { args: ['external', `${API}:80`, '--from-ip', 'nope'], stderr: /invalid --from-ip "nope"/ },
  {
    args: ['shop-web/debug', `${API}:80`, '--from-ip', '198.51.100.7'],
    stderr: /--from-ip gives an address to FROM external only/,
  },
  { args: ['shop-web/debug', `${API}:80`, '--family', 'IPv7'], stderr: /invalid --family "IPv7"/ },
  {
    args: ['shop-web/debug', `${API}:80`, '-o', 'table'],
    stderr: /unable to match a printer suitable for the output format "table"/,
  },
];

for (const { args, stderr } of USAGE) {
  test(`trace: podnet trace ${args.map((a) => JSON.stringify(a)).join(' ')} is bad usage (exit 2)`, () => {
    const r = podnet(['trace', ...args, ...SHOP]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, stderr);
  });
}

test('trace: without -f there is no lab to read (exit 3)', () => {
  const r = podnet(['trace', 'shop-web/debug', `${API}:80`]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /no lab "podnet" is running/);
});

test('trace: --help says which errors exit 1 (not found) and which exit 2 (usage)', () => {
  const r = podnet(['trace', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^ {2}1 {2}not found: a pod, Service, namespace or node/m);
  assert.match(r.stdout, /^ {2}2 {2}usage: .*svc\/ without/m);
  assert.match(r.stdout, /--via-node <name>/);
});
