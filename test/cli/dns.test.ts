import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { test } from 'node:test';
import { PodnetError } from '../../src/api/errors.js';
import { checkName, exposureWarnings, parseListen, parseQueryType } from '../../src/cli/dns.js';
import { assertGolden, podnet, REPO } from './cli.js';

const SHOP = ['-f', 'examples/shop'];
const TUTORIAL = ['-f', 'examples/connect-apps'];

/** The first pod of a Deployment, by name prefix (pod names are deterministic, but computed). */
function podOf(prefix: string, source: string[]): string {
  const names = podnet(['get', 'pods', '-A', '-o', 'json', ...source]);
  const pod = JSON.parse(names.stdout).items.find((p: { metadata: { name: string } }) =>
    p.metadata.name.startsWith(prefix),
  );
  assert.ok(pod, `no pod named ${prefix}*`);
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

const NGINX = podOf('my-nginx-', TUTORIAL);
const API = podOf('api-', SHOP);

const GOLDEN: { name: string; args: string[] }[] = [
  { name: 'search-my-nginx.txt', args: ['dns', 'my-nginx', '--from', NGINX, ...TUTORIAL] },
  {
    name: 'search-kubernetes-default.txt',
    args: ['dns', 'kubernetes.default', '--from', NGINX, ...TUTORIAL],
  },
  { name: 'search-not-found.txt', args: ['dns', 'nothere', '--from', API, ...SHOP] },
  { name: 'statefulset-pod.txt', args: ['dns', 'postgres-0.postgres.shop-data.svc.cluster.local', ...SHOP] },
  {
    name: 'srv.json',
    args: ['dns', '_http._tcp.frontend.shop-web.svc.cluster.local', 'SRV', '-o', 'json', ...SHOP],
  },
  { name: 'zone-shop.txt', args: ['dns', 'zone', ...SHOP] },
  { name: 'zone-shop-reverse.txt', args: ['dns', 'zone', 'in-addr.arpa', ...SHOP] },
];

for (const { name, args } of GOLDEN) {
  test(`dns golden ${name}: podnet ${args.join(' ')}`, () => {
    const r = podnet(args);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`dns/${name}`, r.stdout);
  });
}

/** `podnet dns ... -o json`, parsed. */
function dnsJSON(args: string[]) {
  const r = podnet(['dns', ...args, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('dns --from: the pod resolv.conf search list is tried in order, and the first name with data answers (glibc res_nsearch, ndots:5)', () => {
  const r = dnsJSON(['my-nginx', '--from', NGINX, ...TUTORIAL]);
  assert.deepEqual(r.searched, ['my-nginx.default.svc.cluster.local.']);
  assert.equal(r.question.name, 'my-nginx.default.svc.cluster.local.');
  assert.equal(r.rcode, 'NOERROR');
  const svc = JSON.parse(podnet(['get', 'svc', 'my-nginx', '-o', 'json', ...TUTORIAL]).stdout).items[0];
  assert.deepEqual(r.answers, [
    { name: 'my-nginx.default.svc.cluster.local.', type: 'A', ttl: 30, data: svc.spec.clusterIP },
  ]);
});

test('dns --from: kubernetes.default is searched as kubernetes.default.<ns>.svc.<zone> first (NXDOMAIN), then kubernetes.default.svc.<zone> (DNS for Services and Pods: namespaces of Services)', () => {
  const r = dnsJSON(['kubernetes.default', '--from', NGINX, ...TUTORIAL]);
  assert.deepEqual(r.searched, [
    'kubernetes.default.default.svc.cluster.local.',
    'kubernetes.default.svc.cluster.local.',
  ]);
  assert.equal(r.answers[0].data, '10.96.0.1');
});

test('dns --from: a Service of another namespace needs its namespace (svc.ns), found through the pod search list', () => {
  const r = dnsJSON(['postgres-0.postgres.shop-data', '--from', API, ...SHOP]);
  assert.deepEqual(r.searched, [
    'postgres-0.postgres.shop-data.shop-api.svc.cluster.local.',
    'postgres-0.postgres.shop-data.svc.cluster.local.',
  ]);
  assert.equal(r.rcode, 'NOERROR');
});

test('dns: without --from NAME is absolute, as dig takes it: one name, no search (a name outside the zone is REFUSED: no forwarding)', () => {
  const r = dnsJSON(['my-nginx', ...TUTORIAL]);
  assert.deepEqual(r.searched, ['my-nginx.']);
  assert.equal(r.rcode, 'REFUSED');
  assert.deepEqual(r.answers, []);
});

test('dns: NXDOMAIN and NOERROR-without-data are answers: exit 0, as dig', () => {
  const nx = podnet(['dns', 'nothere.default.svc.cluster.local', ...TUTORIAL]);
  assert.equal(nx.code, 0);
  assert.match(nx.stdout, /status: NXDOMAIN/);
  assert.match(nx.stdout, /;; AUTHORITY SECTION:\ncluster\.local\.\t\d+\tIN\tSOA\t/);
  const nodata = dnsJSON(['my-nginx.default.svc.cluster.local', 'MX', ...TUTORIAL]);
  assert.equal(nodata.rcode, 'NOERROR');
  assert.equal(nodata.question.type, 'MX');
  assert.deepEqual(nodata.answers, []);
});

test('dns -o json: exactly the DESIGN.md DNSAnswer shape, names fully qualified', () => {
  const r = dnsJSON(['kube-dns.kube-system.svc.cluster.local', ...TUTORIAL]);
  assert.deepEqual(Object.keys(r), ['kind', 'question', 'rcode', 'answers', 'searched']);
  assert.equal(r.kind, 'DNSAnswer');
  assert.deepEqual(r.question, { name: 'kube-dns.kube-system.svc.cluster.local.', type: 'A' });
  for (const a of r.answers) assert.deepEqual(Object.keys(a), ['name', 'type', 'ttl', 'data']);
  assert.deepEqual(r.answers[0].data, '10.96.0.10');
});

test('dns: the type may be a name in any case, TYPEn or a number (RFC 3597)', () => {
  assert.equal(dnsJSON(['kubernetes.default.svc.cluster.local', 'aaaa', ...TUTORIAL]).question.type, 'AAAA');
  assert.equal(dnsJSON(['kubernetes.default.svc.cluster.local', '33', ...TUTORIAL]).question.type, 'SRV');
  assert.equal(
    dnsJSON(['kubernetes.default.svc.cluster.local', 'TYPE65280', ...TUTORIAL]).question.type,
    'TYPE65280',
  );
});

const POD_WITH_POLICY = (name: string, extra: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
spec:
${extra}  containers:
  - name: c
    image: busybox
`;

test('dns --from: a pod not using the cluster DNS (dnsPolicy Default, hostNetwork) is said so, and the cluster DNS answer is marked as such (DNS for Services and Pods: Pod DNS policy)', () => {
  const input = [
    POD_WITH_POLICY('host-dns', '  dnsPolicy: Default\n'),
    POD_WITH_POLICY('host-net', '  hostNetwork: true\n'),
  ].join('---\n');
  for (const pod of ['host-dns', 'host-net']) {
    const r = podnet(['dns', 'kubernetes', '--from', `default/${pod}`, '-f', '-'], { input });
    assert.equal(r.code, 0);
    assert.match(
      r.stderr,
      new RegExp(
        `^warning: pod default/${pod} \\(.*\\) sends its queries to the node's resolver \\(172\\.18\\.0\\.1\\), not to the cluster DNS \\(10\\.96\\.0\\.10\\)`,
      ),
    );
    assert.match(r.stdout, /;; SERVER: not the cluster DNS: /);
  }
  // ClusterFirstWithHostNet uses the cluster DNS: no warning.
  const withHostNet = POD_WITH_POLICY('hn', '  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet\n');
  const r = podnet(['dns', 'kubernetes', '--from', 'default/hn', '-f', '-'], { input: withHostNet });
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /<- answered/);
});

test('dns --from: dnsConfig searches and options (ndots) drive the expansion (Pod DNS config)', () => {
  const input = POD_WITH_POLICY(
    'tuned',
    '  dnsConfig:\n    searches: [shop-api.svc.cluster.local]\n    options:\n    - name: ndots\n      value: "1"\n',
  );
  const r = podnet(['dns', 'api.x', '--from', 'default/tuned', '-o', 'json', '-f', '-'], { input });
  assert.equal(r.code, 0, r.stderr);
  // ndots:1: one dot goes as is first, then the search list (the pod's four domains).
  assert.deepEqual(JSON.parse(r.stdout).searched, [
    'api.x.',
    'api.x.default.svc.cluster.local.',
    'api.x.svc.cluster.local.',
    'api.x.cluster.local.',
    'api.x.shop-api.svc.cluster.local.',
  ]);
});

test('dns --from: a search name too long to send ends the search without an answer: exit 1 (glibc res_mkquery fails: NO_RECOVERY)', () => {
  const domain = Array.from({ length: 4 }, () => 'b'.repeat(62)).join('.'); // 251 characters
  const input = POD_WITH_POLICY(
    'long',
    `  dnsConfig:\n    searches: [${domain}]\n    options:\n    - name: no-tld-query\n`,
  );
  const r = podnet(['dns', 'nothere', '--from', 'default/long', '-f', '-'], { input });
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    new RegExp(`;nothere\\.${domain.replaceAll('.', '\\.')}\\.\tnot sent: .*\t<- returned\n`),
  );
  assert.match(r.stderr, /^error: nothere\.b+.* is longer than a domain name may be/);
  const json = podnet(['dns', 'nothere', '--from', 'default/long', '-o', 'json', '-f', '-'], { input });
  assert.equal(json.code, 1);
  assert.equal(json.stdout, '');
});

const BAD: { why: string; args: string[]; message: RegExp }[] = [
  { why: 'no name', args: ['dns'], message: /give a NAME/ },
  { why: 'an empty name', args: ['dns', ''], message: /invalid name "": empty/ },
  { why: 'an empty label', args: ['dns', 'a..b'], message: /empty label/ },
  { why: 'a leading dot', args: ['dns', '.a'], message: /empty label/ },
  { why: 'a label over 63 characters', args: ['dns', `${'a'.repeat(64)}.svc`], message: /longer than 63/ },
  {
    why: 'a name over 253 characters',
    args: ['dns', Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.')],
    message: /longer than 253/,
  },
  { why: 'a control character', args: ['dns', 'a\u0007b'], message: /invalid name "a\\u0007b": label/ },
  { why: 'a space', args: ['dns', 'a b'], message: /may contain only letters/ },
  { why: 'an unknown type', args: ['dns', 'a', 'BOGUS'], message: /invalid record type "BOGUS"/ },
  { why: 'a type over 65535', args: ['dns', 'a', '65536'], message: /invalid record type "65536"/ },
  { why: 'a zone transfer', args: ['dns', 'a', 'AXFR'], message: /zone transfer/ },
  { why: 'a third argument', args: ['dns', 'a', 'A', 'B'], message: /too many arguments/ },
  {
    why: 'an unknown pod',
    args: ['dns', 'a', '--from', 'default/ghost'],
    message: /pod "default\/ghost" not found/,
  },
  {
    why: '--from without a namespace',
    args: ['dns', 'a', '--from', 'ghost'],
    message: /--from takes NS\/POD/,
  },
  { why: 'an unknown output format', args: ['dns', 'a', '-o', 'yaml'], message: /output format "yaml"/ },
  {
    why: '--from with zone',
    args: ['dns', 'zone', '--from', 'default/x'],
    message: /--from is for podnet dns NAME/,
  },
  {
    why: 'a zone not served',
    args: ['dns', 'zone', 'example.com'],
    message: /no zone "example\.com"; its zones are: /,
  },
  {
    why: 'a bad listen address',
    args: ['dns', 'serve', '--listen', 'localhost:53'],
    message: /invalid --listen/,
  },
];

for (const { why, args, message } of BAD) {
  test(`dns: bad usage exits 2 with a message: ${why}`, () => {
    const r = podnet([...args, ...TUTORIAL]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  });
}

test('dns: type parsing (IANA mnemonics, TYPEn, numbers)', () => {
  assert.deepEqual(parseQueryType('srv'), { name: 'SRV', lookup: 'SRV' });
  assert.deepEqual(parseQueryType('MX'), { name: 'MX', lookup: 15 });
  assert.deepEqual(parseQueryType('type1'), { name: 'A', lookup: 'A' });
  assert.deepEqual(parseQueryType('0'), { name: 'TYPE0', lookup: 0 });
  assert.throws(() => parseQueryType('TYPE'), PodnetError);
  assert.throws(() => parseQueryType('-1'), PodnetError);
});

test('dns: names: the root alone, a trailing dot, _ and * labels are accepted', () => {
  for (const name of ['.', 'a.', '_http._tcp.web.default.svc.cluster.local', '*.svc.cluster.local']) {
    assert.doesNotThrow(() => checkName(name), name);
  }
});

test('dns serve: --listen takes IPv4 ADDRESS:PORT and [IPv6]:PORT', () => {
  assert.deepEqual(parseListen('127.0.0.1:5353'), { address: '127.0.0.1', port: 5353 });
  assert.deepEqual(parseListen('[::1]:0'), { address: '::1', port: 0 });
  for (const bad of ['::1:53', '127.0.0.1', '127.0.0.1:65536', '[127.0.0.1]:53', 'host:53', ':53']) {
    assert.throws(() => parseListen(bad), PodnetError, bad);
  }
});

/** dig, when installed; in CI (CI=true) its absence is a failure, elsewhere the test is skipped. */
function digAvailable(): boolean {
  const r = spawnSync('dig', ['-v'], { encoding: 'utf8' });
  if (r.error && process.env.CI === 'true') assert.fail('dig is required in CI (bind9-dnsutils)');
  return !r.error;
}

/** Starts `podnet dns serve` on 127.0.0.1, port 0; resolves with the child and the bound port. */
function serve(args: string[]): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [join(REPO, 'dist/src/cli/main.js'), 'dns', 'serve', ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      const m = /on 127\.0\.0\.1:(\d+) \(UDP and TCP\)/.exec(stderr);
      if (m) resolve({ child, port: Number(m[1]), stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`podnet dns serve exited ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

test('dns serve: dig over UDP and TCP gets the answers podnet dns prints; SIGTERM stops it with exit 0', async (t) => {
  if (!digAvailable()) {
    t.skip('dig is not installed (bind9-dnsutils)');
    return;
  }
  const { child, port, stderr } = await serve(['--listen', '127.0.0.1:0', ...SHOP]);
  try {
    const expected = podnet(['dns', 'postgres.shop-data.svc.cluster.local', ...SHOP])
      .stdout.split('\n')
      .filter((l) => l.startsWith('postgres.'))
      .sort();
    assert.equal(expected.length, 3);
    for (const transport of ['+notcp', '+tcp']) {
      const dig = spawnSync(
        'dig',
        [
          '@127.0.0.1',
          '-p',
          String(port),
          transport,
          '+noall',
          '+answer',
          '+tries=1',
          '+time=2',
          'postgres.shop-data.svc.cluster.local',
          'A',
        ],
        { encoding: 'utf8' },
      );
      assert.equal(dig.status, 0, dig.stderr);
      const got = dig.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).join('\t'))
        .sort();
      assert.deepEqual(got, expected, transport);
    }
    assert.doesNotMatch(stderr(), /warning/);
  } finally {
    assert.equal(await stop(child), 0);
  }
});

test('dns serve: any address may be listened on, but one other hosts can reach gets a warning', () => {
  assert.deepEqual(
    exposureWarnings([parseListen('127.0.0.1:53'), parseListen('127.1.2.3:53'), parseListen('[::1]:53')]),
    [],
  );
  assert.deepEqual(exposureWarnings([parseListen('0.0.0.0:5353'), parseListen('[::]:53')]), [
    'listening on 0.0.0.0:5353: other hosts that reach this address can query the cluster zone',
    'listening on [::]:53: other hosts that reach this address can query the cluster zone',
  ]);
});

test('dns serve: a port already taken is a clear error, exit 2', async () => {
  const taken = createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
  try {
    const port = taken.address().port;
    const args = [
      join(REPO, 'dist/src/cli/main.js'),
      'dns',
      'serve',
      '--listen',
      `127.0.0.1:${port}`,
      ...TUTORIAL,
    ];
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, args, { cwd: REPO }, (_e, _out, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `error: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
  } finally {
    taken.close();
  }
});
