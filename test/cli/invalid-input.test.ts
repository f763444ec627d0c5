import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { podnet } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'podnet-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const service = (name: string, port: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - port: ${port}\n`;

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;

/** A Service whose annotation nests `depth` flow sequences: rejected however far the parser gets. */
function nest(depth: number): string {
  return `${service('deep', '80')}`.replace(
    'metadata:\n',
    `metadata:\n  annotations:\n    x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
  );
}

const bomb = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: lol',
  '  annotations:',
  '    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'spec:',
  '  ports:',
  '  - port: 80',
  '',
].join('\n');

/** Invalid or hostile input: exit 2, located errors on stderr, nothing at all on stdout. */
const CASES: { name: string; files: Record<string, string>; stderr: RegExp }[] = [
  {
    name: 'bad YAML',
    files: { 'bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web\nspec: {}\n' },
    stderr: /bad\.yaml:\d+/,
  },
  {
    name: 'a wrong type, located at its line',
    files: { 'types.yaml': service('web', '"eighty"') },
    stderr: /types\.yaml:9: .*spec\.ports\[0\]\.port/,
  },
  {
    name: 'a port out of range',
    files: { 'range.yaml': service('web', '0') },
    stderr: /range\.yaml:9: .*spec\.ports\[0\]\.port: Invalid value: 0/,
  },
  {
    name: 'an unknown field',
    files: {
      'unknown.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containerz: []\n  containers:\n  - name: c\n',
    },
    stderr: /unknown\.yaml:\d+: .*containerz/,
  },
  {
    name: 'the same object twice',
    files: { 'a.yaml': service('web', '80'), 'b.yaml': service('web', '8080') },
    stderr: /b\.yaml:1: .*AlreadyExists: services "web" already exists \(first defined at .*a\.yaml:1\)/,
  },
  {
    name: 'a huge label value',
    files: { 'huge.yaml': service('web', '80').replace('app: web', `app: ${'x'.repeat(1 << 20)}`) },
    stderr:
      /huge\.yaml:6: Service default\/web: spec\.selector: Invalid value: .*must be no more than 63 characters/,
  },
  { name: '10,000 levels of nesting', files: { 'deep.yaml': nest(10_000) }, stderr: /deep\.yaml/ },
  { name: 'an alias bomb (billion laughs)', files: { 'bomb.yaml': bomb }, stderr: /bomb\.yaml/ },
  { name: 'a path that does not exist', files: {}, stderr: /does not exist/ },
];

for (const c of CASES) {
  test(`invalid input exits 2 with file:line and prints nothing: ${c.name}`, () => {
    const sub = join(dir, c.name.replace(/\W+/g, '-'));
    mkdirSync(sub, { recursive: true });
    for (const [name, text] of Object.entries(c.files)) writeFileSync(join(sub, name), text);
    const target = Object.keys(c.files).length > 0 ? sub : join(sub, 'missing.yaml');
    const r = podnet(['get', 'all', '-A', '-f', target]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, c.stderr);
    assert.match(r.stderr, /^error: /m);
    // A clean message, never a crash: no stack trace.
    assert.doesNotMatch(r.stderr, /\n\s+at |RangeError|internal error/);
  });
}

test('--skip-invalid computes from the valid objects and still reports the invalid ones', () => {
  const path = file('mixed/all.yaml', `${deployment}---\n${service('broken', '0')}`);
  const refused = podnet(['get', 'deploy', '-f', path]);
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /--skip-invalid/);
  const r = podnet(['get', 'deploy,svc', '-o', 'name', '--skip-invalid', '-f', path]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^deployment\.apps\/web$/m);
  assert.doesNotMatch(r.stdout, /broken/);
  assert.match(r.stderr, /^error: .*all\.yaml:\d+: Service default\/broken: spec\.ports\[0\]\.port/m);
});

test('--config: a kind cluster config sets the pod and service CIDRs', () => {
  const config = file(
    'kind.yaml',
    'apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnetworking:\n  podSubnet: 10.32.0.0/16\n  serviceSubnet: 10.33.0.0/16\n',
  );
  const manifests = file('cfg/app.yaml', `${deployment}---\n${service('web', '80')}`);
  const list = JSON.parse(
    podnet(['get', 'pods,svc', '-o', 'json', '--config', config, '-f', manifests]).stdout,
  );
  for (const o of list.items) {
    if (o.kind === 'Pod') assert.match(o.status.podIP, /^10\.32\./);
    if (o.kind === 'Service') assert.match(o.spec.clusterIP, /^10\.33\./);
  }
  const bad = podnet([
    'get',
    'pods',
    '--config',
    file('bad-config.yaml', 'kind: Cluster\nbogus: 1\n'),
    '-f',
    manifests,
  ]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /bad-config\.yaml:\d+/);
});
