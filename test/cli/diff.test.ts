import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertGolden, podnet, REPO } from './cli.js';

const BASE = 'examples/netpol/base';
const PROPOSED = 'examples/netpol/proposed';

const dir = mkdtempSync(join(tmpdir(), 'podnet-diff-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of examples/netpol/base with `edit` applied to one of its files. */
function variant(name: string, file: string, edit: (text: string) => string): string {
  const target = join(dir, name);
  cpSync(join(REPO, BASE), target, { recursive: true });
  writeFileSync(join(target, file), edit(readFileSync(join(target, file), 'utf8')));
  return target;
}

const GOLDEN: { name: string; args: string[] }[] = [
  {
    name: 'netpol.txt',
    args: ['diff', '-A', '--port', '5432', '--port', '8080', '--port', '9090', BASE, PROPOSED],
  },
  {
    name: 'netpol.json',
    args: ['diff', '-A', '--port', '5432', '--port', '8080', '-o', 'json', BASE, PROPOSED],
  },
  { name: 'equal.txt', args: ['diff', '-A', BASE, BASE] },
];

for (const { name, args } of GOLDEN) {
  test(`diff golden ${name}: podnet ${args.join(' ')}`, () => {
    const r = podnet(args);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`diff/${name}`, r.stdout);
  });
}

test('diff -o json: the Diff document of docs/reach-and-diff.md', () => {
  const r = podnet(['diff', '-A', '--port', '5432', '--port', '8080', '-o', 'json', BASE, PROPOSED]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['kind', 'reachability', 'dns']);
  assert.equal(doc.kind, 'Diff');
  assert.deepEqual(Object.keys(doc.reachability), ['ports', 'changes', 'onlyInA', 'onlyInB']);
  assert.deepEqual(doc.reachability.ports, ['5432/TCP', '8080/TCP']);
  assert.deepEqual(
    doc.reachability.changes.map((c: Record<string, unknown>) => [
      c.from,
      c.to,
      c.port,
      c.before,
      c.after,
      c.pairs,
    ]),
    [
      // db-allow-api now admits 5432 only; web gets its own way to the database.
      ['Deployment/backend/api', 'StatefulSet/backend/db', '8080/TCP', true, false, 4],
      ['Deployment/frontend/web', 'StatefulSet/backend/db', '5432/TCP', false, true, 4],
    ],
  );
  for (const c of doc.reachability.changes) {
    assert.ok(c.pods.length >= 1 && c.pods.length <= 3);
    for (const p of c.pods) assert.deepEqual(Object.keys(p), ['from', 'to']);
  }
  assert.deepEqual(Object.keys(doc.dns), ['added', 'removed']);
  // The new metrics port of Service api: its SRV record, and the weights CoreDNS splits per port.
  assert.deepEqual(
    doc.dns.added.find((r: { name: string }) => r.name.startsWith('_metrics.')),
    {
      name: '_metrics._tcp.api.backend.svc.cluster.local.',
      type: 'SRV',
      data: '0 100 9090 api.backend.svc.cluster.local.',
    },
  );
  assert.ok(doc.dns.removed.every((r: { type: string }) => r.type === 'SRV'));
});

test('diff --exit-code: 0 when equal, 1 when different; without it 0 either way (git diff --exit-code)', () => {
  const equal = podnet(['diff', '-A', '--exit-code', BASE, BASE]);
  assert.equal(equal.code, 0, equal.stderr);
  assert.equal(equal.stdout, 'No differences.\n');
  assert.equal(podnet(['diff', '-A', '--exit-code', BASE, PROPOSED]).code, 1);
  assert.equal(podnet(['diff', '-A', BASE, PROPOSED]).code, 0);
  // Equal reachability between the web pods, but the DNS names still differ.
  const names = podnet(['diff', '-A', '-l', 'app=web', '--exit-code', '-o', 'json', BASE, PROPOSED]);
  assert.equal(names.code, 1);
  assert.deepEqual(JSON.parse(names.stdout).reachability.changes, []);
});

test('diff: pods present in one source only are listed, and their DNS names appear as added', () => {
  const scaled = variant('scaled', 'app.yaml', (t) =>
    t.replace('serviceName: db\n  replicas: 2', 'serviceName: db\n  replicas: 3'),
  );
  const r = podnet(['diff', '-n', 'backend', '--port', '5432', '-o', 'json', BASE, scaled]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.reachability.onlyInA, []);
  assert.deepEqual(doc.reachability.onlyInB, ['backend/db-2']);
  assert.ok(
    doc.dns.added.some(
      (x: { name: string; type: string }) =>
        x.name === 'db-2.db.backend.svc.cluster.local.' && x.type === 'A',
    ),
  );
  const text = podnet(['diff', '-n', 'backend', '--port', '5432', BASE, scaled]).stdout;
  assert.match(text, /^ {2}pods only in B: backend\/db-2$/m);
  assert.match(text, /^\+ db-2\.db\.backend\.svc\.cluster\.local\. A 10\.244\.\d+\.\d+$/m);
});

test('diff: a policy change reads as + (newly allowed in B) and - (no longer allowed) lines with pair counts and an example', () => {
  const opened = variant('opened', 'policies.yaml', (t) =>
    t.replace(
      / {2}podSelector:\n {4}matchLabels:\n {6}app: db\n {2}ingress:\n {4}- from:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: api\n/,
      '  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n    - {}\n',
    ),
  );
  const r = podnet(['diff', '-A', '--port', '5432', BASE, opened]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^\+ StatefulSet\/backend\/db -> StatefulSet\/backend\/db 5432\/TCP {2}\(2 pod pairs, e\.g\. backend\/db-0 -> backend\/db-1\)$/m,
  );
  assert.match(
    r.stdout,
    /^\+ Deployment\/kube-system\/coredns -> StatefulSet\/backend\/db 5432\/TCP {2}\(4 pod pairs, /m,
  );
  const back = podnet(['diff', '-A', '--port', '5432', opened, BASE]);
  assert.match(back.stdout, /^- StatefulSet\/backend\/db -> StatefulSet\/backend\/db 5432\/TCP /m);
  assert.match(back.stdout, /^--- A: .*opened\n\+\+\+ B: examples\/netpol\/base\n/);
});

test('diff --config-b: B read with its own cluster config (a different pod CIDR renames every pod record)', () => {
  const config = join(dir, 'cluster.yaml');
  writeFileSync(
    config,
    'apiVersion: podnet.dev/v1alpha1\nkind: Cluster\nnetworking:\n  podSubnet: 10.100.0.0/16\n',
  );
  const r = podnet(['diff', '-A', '--config-b', config, '-o', 'json', BASE, BASE]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.reachability.changes, []);
  assert.ok(doc.dns.added.some((x: { data: string }) => x.data.startsWith('10.100.')));
  assert.ok(doc.dns.removed.some((x: { data: string }) => x.data.startsWith('10.244.')));
  const both = podnet(['diff', '-A', '--config', config, BASE, BASE]);
  assert.equal(both.stdout, 'No differences.\n');
});

test('diff: A may be stdin (-)', () => {
  const text = ['app.yaml', 'policies.yaml']
    .map((f) => readFileSync(join(REPO, BASE, f), 'utf8'))
    .join('---\n');
  const r = podnet(['diff', '-A', '--exit-code', '-', BASE], { input: text });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'No differences.\n');
  const changed = podnet(['diff', '-A', '-', PROPOSED], { input: text });
  assert.match(changed.stdout, /^--- A: stdin\n\+\+\+ B: examples\/netpol\/proposed\n/);
});

test('diff: invalid input on both sides is reported for both (file:line), exit 2, nothing on stdout', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n');
  const r = podnet(['diff', bad, join(dir, 'missing')]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^error: .*bad\.yaml:\d+: /m);
  assert.match(r.stderr, /^error: the path ".*missing" does not exist$/m);
  assert.match(
    r.stderr,
    /^error: invalid input in A \(.*bad\.yaml\) and B \(.*missing\); nothing was compared/m,
  );
  const notYAML = join(dir, 'not-yaml.txt');
  writeFileSync(notYAML, '\u0000\u0001 binary \t: : [\n');
  const one = podnet(['diff', BASE, notYAML]);
  assert.equal(one.code, 2);
  assert.equal(one.stdout, '');
  assert.match(one.stderr, /invalid input in B \(/);
});

/** Bad usage: exit 2, a clear message, nothing on stdout. */
const BAD: { name: string; args: string[]; stderr: RegExp }[] = [
  { name: 'no sources', args: [], stderr: /missing required argument 'A'/ },
  { name: 'one source', args: [BASE], stderr: /missing required argument 'B'/ },
  { name: 'three sources', args: [BASE, BASE, BASE], stderr: /too many arguments/ },
  { name: 'stdin twice', args: ['-', '-'], stderr: /only one of A and B can be - \(stdin\)/ },
  { name: 'unknown -o', args: ['-o', 'csv', BASE, BASE], stderr: /allowed formats are: json,table/ },
  { name: 'bad port', args: ['--port', '80/ICMP', BASE, BASE], stderr: /Unsupported value: "ICMP"/ },
  { name: 'bad -l', args: ['-l', 'a in (', BASE, BASE], stderr: /unable to parse requirement/ },
  {
    name: 'no pods in scope',
    args: ['-n', 'nope', BASE, BASE],
    stderr: /no pods in namespace "nope" in A or in B/,
  },
];

for (const c of BAD) {
  test(`diff bad usage exits 2: ${c.name}`, () => {
    const r = podnet(['diff', ...c.args]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, c.stderr);
  });
}

test('diff: output is byte-identical across runs (DESIGN.md: deterministic)', () => {
  for (const o of ['table', 'json']) {
    const a = podnet(['diff', '-A', '-o', o, BASE, PROPOSED]);
    const b = podnet(['diff', '-A', '-o', o, BASE, PROPOSED]);
    assert.equal(a.stdout, b.stdout, `-o ${o}`);
  }
});
