import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertGolden, podnet, REPO } from './cli.js';

const BASE = ['-f', 'examples/netpol/base'];

/** One golden file per format; stderr quiet, exit 0. */
const GOLDEN: { name: string; args: string[] }[] = [
  { name: 'table-backend.txt', args: ['reach', '-n', 'backend', ...BASE] },
  { name: 'wide.txt', args: ['reach', '-A', '--port', '8080', '--port', '53/UDP', '-o', 'wide', ...BASE] },
  { name: 'summary.txt', args: ['reach', '-A', '--summary', ...BASE] },
  {
    name: 'frontend-to-backend.json',
    args: ['reach', '-A', '--from', 'frontend/*', '--to', 'backend/*', '-o', 'json', ...BASE],
  },
  { name: 'web.csv', args: ['reach', '-A', '--from', 'app=web', '--port', '8080', '-o', 'csv', ...BASE] },
  { name: 'backend.md', args: ['reach', '-n', 'backend', '--port', '5432', '-o', 'md', ...BASE] },
  { name: 'http.dot', args: ['reach', '-A', '--port', '8080', '-o', 'dot', ...BASE] },
  { name: 'backend.html', args: ['reach', '-n', 'backend', '-o', 'html', ...BASE] },
];

for (const { name, args } of GOLDEN) {
  test(`reach golden ${name}: podnet ${args.join(' ')}`, () => {
    const r = podnet(args);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`reach/${name}`, r.stdout);
  });
}

test('reach table: the upstream e2e truth table (truthtable.go PrettyPrint: "-" then the to pods, tab-separated, "." allowed, "X" denied)', () => {
  const r = podnet(['reach', '-n', 'backend', '--port', '5432', ...BASE]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'port 5432/TCP:');
  const header = lines[1].split('\t');
  assert.equal(header[0], '-');
  const to = header.slice(1);
  assert.equal(to.length, 4);
  assert.ok(to.every((p) => p.startsWith('backend/')));
  const rows = lines.slice(2).map((l) => l.split('\t'));
  assert.deepEqual(
    rows.map((r) => r[0]),
    to,
  );
  for (const row of rows) for (const mark of row.slice(1)) assert.match(mark, /^[.X]$/);
  // The api pods reach the database (db-allow-api); the database pods reach no api pod
  // (default-deny-ingress); every pod reaches itself (e2e AllowLoopback).
  const cell = (from: string, toName: string) =>
    rows.find((r) => r[0].startsWith(from))?.[to.findIndex((t) => t.startsWith(toName)) + 1];
  assert.equal(cell('backend/api-', 'backend/db-0'), '.');
  assert.equal(cell('backend/db-0', 'backend/api-'), 'X');
  rows.forEach((row, i) => {
    assert.equal(row[i + 1], '.');
  });
});

test('reach -o json: exactly the DESIGN.md shape, every ordered pair (self included) in from, to, port order', () => {
  const r = podnet(['reach', '-A', '-o', 'json', '--port', '8080', '--port', '5432', ...BASE]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(doc), ['kind', 'ports', 'items']);
  assert.equal(doc.kind, 'Reachability');
  assert.deepEqual(doc.ports, ['8080/TCP', '5432/TCP']);
  const pods: string[] = [...new Set<string>(doc.items.map((i: { from: string }) => i.from))];
  assert.equal(pods.length, 8);
  assert.deepEqual(pods, [...pods].sort());
  assert.equal(doc.items.length, pods.length * pods.length * 2);
  let n = 0;
  for (const from of pods) {
    for (const to of pods) {
      for (const port of doc.ports) {
        const item = doc.items[n++];
        assert.deepEqual(Object.keys(item), ['from', 'to', 'port', 'allowed']);
        assert.deepEqual([item.from, item.to, item.port], [from, to, port]);
        assert.equal(typeof item.allowed, 'boolean');
      }
    }
  }
  const allowed = (from: string, to: string, port: string) =>
    doc.items.find(
      (i: { from: string; to: string; port: string }) =>
        i.from.startsWith(from) && i.to.startsWith(to) && i.port === port,
    ).allowed;
  // web-egress allows 8080 to the api pods only; api-allow-web admits web on its named port http.
  assert.equal(allowed('frontend/web-', 'backend/api-', '8080/TCP'), true);
  assert.equal(allowed('frontend/web-', 'backend/db-', '5432/TCP'), false);
  assert.equal(allowed('backend/api-', 'backend/db-', '5432/TCP'), true);
});

test('reach -o csv: the json rows as from,to,port,allowed (RFC 4180)', () => {
  const args = ['reach', '-A', '--port', '8080', ...BASE];
  const json = JSON.parse(podnet([...args, '-o', 'json']).stdout);
  const csv = podnet([...args, '-o', 'csv'])
    .stdout.trimEnd()
    .split('\n');
  assert.equal(csv[0], 'from,to,port,allowed');
  assert.deepEqual(
    csv.slice(1),
    json.items.map(
      (i: { from: string; to: string; port: string; allowed: boolean }) =>
        `${i.from},${i.to},${i.port},${i.allowed}`,
    ),
  );
});

test('reach -o dot: one edge per allowed pair and port, none for self pairs; the table count agrees', () => {
  const args = ['reach', '-A', '--port', '8080', '--port', '5432', ...BASE];
  const dot = podnet([...args, '-o', 'dot']).stdout;
  assert.match(dot, /^digraph reach \{\n/);
  assert.match(dot, /\}\n$/);
  const edges = dot.split('\n').filter((l) => l.includes(' -> '));
  const json = JSON.parse(podnet([...args, '-o', 'json']).stdout);
  const expected = json.items.filter(
    (i: { from: string; to: string; allowed: boolean }) => i.allowed && i.from !== i.to,
  );
  assert.equal(edges.length, expected.length);
  assert.ok(edges.every((e) => /^ {4}"[^"]+" -> "[^"]+" \[label="(8080|5432)\/TCP"\];$/.test(e)));
});

test('reach --summary and -o wide: counts per port from the classes agree with the expanded pairs', () => {
  const args = ['reach', '-A', '--port', '8080', '--port', '53/UDP', ...BASE];
  const json = JSON.parse(podnet([...args, '-o', 'json']).stdout);
  const summary = podnet([...args, '--summary']).stdout;
  for (const port of json.ports) {
    const items = json.items.filter((i: { port: string }) => i.port === port);
    const allowed = items.filter((i: { allowed: boolean }) => i.allowed).length;
    assert.match(summary, new RegExp(`^${port}: ${allowed} allowed, ${items.length - allowed} denied$`, 'm'));
  }
  assert.ok(podnet([...args, '-o', 'wide']).stdout.endsWith(`\n\n${summary}`));
});

test('reach selection: NS/POD, NS/* and label selectors; -n applies to selectors only', () => {
  const json = (extra: string[]) => JSON.parse(podnet(['reach', '-o', 'json', ...extra, ...BASE]).stdout);
  const pods = (doc: { items: { from: string; to: string }[] }, side: 'from' | 'to') => [
    ...new Set(doc.items.map((i) => i[side])),
  ];
  // -n frontend scopes the label selector; backend/* names its namespace itself.
  const doc = json(['-n', 'frontend', '--from', 'app=web', '--to', 'backend/*', '--port', '8080']);
  assert.equal(pods(doc, 'from').length, 2);
  assert.ok(pods(doc, 'from').every((p) => p.startsWith('frontend/web-')));
  assert.deepEqual(
    pods(doc, 'to').map((p) => p.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')),
    ['backend/api', 'backend/api', 'backend/db-0', 'backend/db-1'],
  );
  const one = json(['--from', 'backend/db-0', '--to', 'backend/db-1']);
  assert.deepEqual(one.ports, ['5432/TCP']);
  assert.deepEqual(one.items, [
    { from: 'backend/db-0', to: 'backend/db-1', port: '5432/TCP', allowed: false },
  ]);
  // -l narrows the pods in scope on both sides.
  const db = json(['-A', '-l', 'app=db']);
  assert.deepEqual(pods(db, 'from'), ['backend/db-0', 'backend/db-1']);
});

test('reach default ports: every containerPort/protocol of the --to pods, sorted by number then protocol', () => {
  const doc = JSON.parse(podnet(['reach', '-A', '--to', 'kube-system/*', '-o', 'json', ...BASE]).stdout);
  assert.deepEqual(doc.ports, ['53/TCP', '53/UDP', '9153/TCP']);
  const given = JSON.parse(
    podnet(['reach', '-A', '--port', '81/udp', '--port', '80', '--port', '80/TCP', '-o', 'json', ...BASE])
      .stdout,
  );
  assert.deepEqual(given.ports, ['81/UDP', '80/TCP'], 'given ports keep their order, each once');
});

/** Bad usage: exit 2, one clear line on stderr, nothing on stdout. */
const BAD: { name: string; args: string[]; stderr: RegExp }[] = [
  {
    name: 'port 0',
    args: ['--port', '0'],
    stderr: /invalid --port "0": the port must be between 1 and 65535/,
  },
  {
    name: 'port 65536',
    args: ['--port', '65536'],
    stderr: /invalid --port "65536": the port must be between 1/,
  },
  {
    name: 'unknown protocol',
    args: ['--port', '80/ICMP'],
    stderr: /invalid --port "80\/ICMP": Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"/,
  },
  { name: 'not a number', args: ['--port', 'abc'], stderr: /invalid --port "abc": give a port number/ },
  { name: 'empty protocol', args: ['--port', '80/'], stderr: /invalid --port "80\/"/ },
  { name: 'negative port', args: ['--port', '-1'], stderr: /invalid --port "-1"/ },
  { name: 'bad -l', args: ['-l', 'a in ('], stderr: /unable to parse requirement/ },
  { name: 'bad --from selector', args: ['-A', '--from', 'a in ('], stderr: /unable to parse requirement/ },
  {
    name: 'bad --to selector',
    args: ['-A', '--to', '!!x'],
    stderr: /unable to parse requirement: expected a label key/,
  },
  {
    name: 'unknown namespace',
    args: ['--from', 'nope/*'],
    stderr: /--from "nope\/\*": namespace "nope" not found/,
  },
  {
    name: 'unknown pod',
    args: ['-A', '--to', 'backend/nope'],
    stderr: /--to "backend\/nope": pod "nope" not found in namespace "backend"/,
  },
  {
    name: 'selector matching nothing',
    args: ['-A', '--from', 'app=nope'],
    stderr: /selects no pod in any namespace/,
  },
  { name: 'empty namespace', args: [], stderr: /there are no pods in namespace "default" \(-n NS .*-A/ },
  {
    name: 'unknown -o',
    args: ['-o', 'yaml'],
    stderr: /output format "yaml", allowed formats are: csv,dot,html,json/,
  },
  {
    name: 'bad --family',
    args: ['-A', '--family', 'ipx'],
    stderr: /invalid --family "ipx": give IPv4 or IPv6/,
  },
  {
    name: '--family the cluster lacks',
    args: ['-A', '--family', 'IPv6'],
    stderr: /--family IPv6: the cluster has no IPv6 addresses/,
  },
  { name: '--summary with -o json', args: ['-A', '--summary', '-o', 'json'], stderr: /--summary .* -o json/ },
  { name: 'a positional argument', args: ['extra'], stderr: /too many arguments/ },
];

for (const c of BAD) {
  test(`reach bad usage exits 2: ${c.name}`, () => {
    const r = podnet(['reach', ...c.args, ...BASE]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, c.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('reach with invalid or missing input: the located errors and exit 2, nothing printed', () => {
  const missing = podnet(['reach', '-A', '-f', 'examples/netpol/nope']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /does not exist/);
  const notYAML = podnet(['reach', '-A', '-f', '-'], { input: 'kind: [Pod\n' });
  assert.equal(notYAML.code, 2);
  assert.equal(notYAML.stdout, '');
  assert.match(notYAML.stderr, /^error: <stdin>:\d+: error parsing YAML/m);
});

test('reach: pods without an address of the family are left out, with a warning (no sandbox, no IP)', () => {
  const pods = ['a', 'b']
    .map(
      (name) =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n`,
    )
    .join('---\n');
  const done = `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: done\nspec:\n  containers:\n  - name: c\n    image: nginx\nstatus:\n  phase: Succeeded\n`;
  const r = podnet(['reach', '-o', 'json', '-f', '-'], { input: pods + done });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: 1 pod has no IPv4 address and takes part in no connection: default\/done\n$/,
  );
  assert.deepEqual(
    [...new Set(JSON.parse(r.stdout).items.map((i: { from: string }) => i.from))],
    ['default/a', 'default/b'],
  );
});

test('reach: --to pods that declare no containerPort need --port (exit 2)', () => {
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
  const r = podnet(['reach', '-f', '-'], { input: pod });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /declare no containerPort; give the ports to check with --port/);
  const given = podnet(['reach', '--port', '80', '-f', '-'], { input: pod });
  assert.equal(given.code, 0, given.stderr);
  assert.equal(given.stdout, 'port 80/TCP:\n-\tdefault/a\ndefault/a\t.\n');
});

test('reach: output is byte-identical across runs (DESIGN.md: deterministic)', () => {
  for (const o of ['table', 'json', 'html']) {
    const a = podnet(['reach', '-A', '-o', o, ...BASE]);
    const b = podnet(['reach', '-A', '-o', o, ...BASE]);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout, `-o ${o}`);
  }
});

test('reach: a matrix too large for a cell-by-cell format is refused with the ways out; --summary still answers', () => {
  const workers = '- role: worker\n'.repeat(6);
  const config = `apiVersion: podnet.dev/v1alpha1\nkind: Cluster\nnodes:\n- role: control-plane\n${workers}`;
  const deployment =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 501\n  selector:\n    matchLabels:\n      app: web\n' +
    '  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
  const dir = mkdtempSync(join(tmpdir(), 'podnet-reach-'));
  try {
    writeFileSync(join(dir, 'cluster.yaml'), config);
    const args = ['reach', '--port', '80', '--config', join(dir, 'cluster.yaml'), '-f', '-'];
    const html = podnet([...args, '-o', 'html'], { input: deployment });
    assert.equal(html.code, 2, html.stderr);
    assert.equal(html.stdout, '');
    assert.match(
      html.stderr,
      /501 x 501 pods on 1 port\(s\) make 251001 cells, too many for -o html \(at most 250000\); narrow .* --summary, .* -o json or -o csv/,
    );
    const summary = podnet([...args, '--summary'], { input: deployment });
    assert.equal(summary.code, 0, summary.stderr);
    assert.equal(
      summary.stdout,
      '501 pods x 501 pods = 251001 pairs per port (1 class x 1 class)\n80/TCP: 251001 allowed, 0 denied\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reach --family: one address family of a dual-stack cluster; an IPv4 ipBlock does not match the IPv6 addresses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-reach-'));
  try {
    const config = join(dir, 'kind.yaml');
    writeFileSync(
      config,
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  ipFamily: dual\nnodes:\n- role: control-plane\n- role: worker\n',
    );
    writeFileSync(
      join(dir, 'ipblock.yaml'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-allow-pod-cidr-v4\n  namespace: backend\n' +
        'spec:\n  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: 10.244.0.0/16\n',
    );
    for (const f of ['app.yaml', 'policies.yaml'])
      cpSync(join(REPO, 'examples/netpol/base', f), join(dir, f));
    const allowed = (family: string) => {
      const r = podnet([
        'reach',
        '--from',
        'kube-system/*',
        '--to',
        'backend/db-0',
        '--port',
        '5432',
        '--family',
        family,
        '-o',
        'json',
        '--config',
        config,
        '-f',
        join(dir, 'app.yaml'),
        '-f',
        join(dir, 'policies.yaml'),
        '-f',
        join(dir, 'ipblock.yaml'),
      ]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).items.map((i: { allowed: boolean }) => i.allowed);
    };
    assert.deepEqual(allowed('IPv4'), [true, true]);
    assert.deepEqual(allowed('IPv6'), [false, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
