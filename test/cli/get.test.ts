import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertGolden, podnet } from './cli.js';

const SHOP = ['-f', 'examples/shop'];
const TUTORIAL = ['-f', 'examples/connect-apps'];

/** Golden tables and listings, one golden file each; stderr must stay quiet and the exit 0. */
const GOLDEN: { name: string; args: string[] }[] = [
  { name: 'all-shop.txt', args: ['get', 'all', '-A', ...SHOP] },
  { name: 'all-connect-apps.txt', args: ['get', 'all', ...TUTORIAL] },
  { name: 'pods-wide.txt', args: ['get', 'pods', '-o', 'wide', ...TUTORIAL] },
  { name: 'pods-shop-wide.txt', args: ['get', 'pods', '-A', '-o', 'wide', ...SHOP] },
  { name: 'svc-wide-shop.txt', args: ['get', 'svc', '-A', '-o', 'wide', ...SHOP] },
  { name: 'endpointslices-shop.txt', args: ['get', 'endpointslices', '-A', ...SHOP] },
  { name: 'endpoints-shop.txt', args: ['get', 'ep', '-A', ...SHOP] },
  { name: 'nodes-wide.txt', args: ['get', 'nodes', '-o', 'wide', ...SHOP] },
  { name: 'networking-shop.txt', args: ['get', 'ingressclasses,ing,netpol,secrets,ns', '-A', ...SHOP] },
  {
    name: 'deploy-wide-labels.txt',
    args: ['get', 'deploy,rs', '-A', '-o', 'wide', '--show-labels', ...SHOP],
  },
  { name: 'all-name.txt', args: ['get', 'all', '-o', 'name', ...TUTORIAL] },
  { name: 'list.json', args: ['get', 'deploy,svc', '-o', 'json', ...TUTORIAL] },
  { name: 'svc.yaml', args: ['get', 'svc', 'my-nginx', '-o', 'yaml', ...TUTORIAL] },
];

for (const { name, args } of GOLDEN) {
  test(`get golden ${name}: podnet ${args.join(' ')}`, () => {
    const r = podnet(args);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assertGolden(`get/${name}`, r.stdout);
  });
}

test('get: output is byte-identical across runs (DESIGN.md: deterministic)', () => {
  const a = podnet(['get', 'all', '-A', '-o', 'json', ...SHOP]);
  const b = podnet(['get', 'all', '-A', '-o', 'json', ...SHOP]);
  assert.equal(a.code, 0);
  assert.equal(a.stdout, b.stdout);
});

test('get -o json: a v1 List of objects with status filled (DESIGN.md JSON shapes)', () => {
  const r = podnet(['get', 'pods,svc', '-o', 'json', ...TUTORIAL]);
  assert.equal(r.code, 0);
  const list = JSON.parse(r.stdout);
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.kind, 'List');
  assert.deepEqual(list.metadata, { resourceVersion: '' });
  const pods = list.items.filter((o: { kind: string }) => o.kind === 'Pod');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.match(p.status.podIP, /^10\.244\.\d+\.\d+$/);
    assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
    assert.ok(p.spec.nodeName);
  }
  const svc = list.items.find(
    (o: { kind: string; metadata: { name: string } }) =>
      o.kind === 'Service' && o.metadata.name === 'my-nginx',
  );
  assert.match(svc.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
});

test('get NAME -o json is always a v1 List (DESIGN.md JSON contract); -o yaml prints one named object bare (kubectl printGeneric)', () => {
  const json = JSON.parse(podnet(['get', 'svc', 'my-nginx', '-o', 'json', ...TUTORIAL]).stdout);
  assert.equal(json.kind, 'List');
  assert.deepEqual(
    json.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`),
    ['Service/my-nginx'],
  );
  const yaml = podnet(['get', 'deploy/my-nginx', '-o', 'yaml', ...TUTORIAL]).stdout;
  assert.match(yaml, /^apiVersion: apps\/v1\nkind: Deployment\n/);
  // Two names: a List in YAML too.
  assert.match(
    podnet(['get', 'svc', 'my-nginx', 'kubernetes', '-o', 'yaml', ...TUTORIAL]).stdout,
    /^apiVersion: v1\nkind: List\n/,
  );
});

test('get -l: label selectors as kubectl (=, !=, in, notin, exists)', () => {
  const names = (sel: string) =>
    podnet(['get', 'pods', '-A', '-l', sel, '-o', 'name', ...SHOP])
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
  assert.equal(names('app=api').length, 2);
  assert.equal(names('app in (api,worker)').length, 3);
  assert.equal(names('tier=data,app!=postgres').length, 1);
  assert.ok(names('!app').every((n) => !n.includes('frontend')));
  assert.equal(names('app=nothing').length, 0);
});

test('get TYPE NAME...: found objects print first, then kubectl NotFound errors; exit 1', () => {
  const r = podnet(['get', 'svc', 'my-nginx', 'nope', 'kubernetes', ...TUTORIAL]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^NAME\s+TYPE\s+CLUSTER-IP/);
  assert.match(r.stdout, /\nmy-nginx\s+ClusterIP/);
  assert.match(r.stdout, /\nkubernetes\s+ClusterIP/);
  assert.equal(r.stderr, 'Error from server (NotFound): services "nope" not found\n');
  const d = podnet(['get', 'deploy/nope', 'deployment/my-nginx', ...TUTORIAL]);
  assert.equal(d.code, 1);
  assert.equal(d.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  // The one object asked for is missing: yaml prints nothing but the error; json an empty List.
  const y = podnet(['get', 'pod', 'nope', '-o', 'yaml', ...TUTORIAL]);
  assert.deepEqual(
    [y.code, y.stdout, y.stderr],
    [1, '', 'Error from server (NotFound): pods "nope" not found\n'],
  );
  const j = podnet(['get', 'pod', 'nope', '-o', 'json', ...TUTORIAL]);
  assert.deepEqual([j.code, JSON.parse(j.stdout).items], [1, []]);
});

test('get: several kinds print one table each, separated by a blank line, names as kind.group/name', () => {
  const r = podnet(['get', 'svc,deploy', ...TUTORIAL]);
  assert.equal(r.code, 0);
  const [svc, deploy] = r.stdout.split('\n\n');
  assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nservice\/kubernetes\s/);
  assert.match(deploy, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/my-nginx\s+2\/2\s/);
});

test('get: nothing found says so on stderr, as kubectl (empty stdout, exit 0)', () => {
  const cases: [string[], string][] = [
    [['get', 'pods', '-n', 'nowhere', ...TUTORIAL], 'No resources found in nowhere namespace.\n'],
    [['get', 'ing', ...TUTORIAL], 'No resources found in default namespace.\n'],
    [['get', 'pods', '-A', '-l', 'app=nothing', ...TUTORIAL], 'No resources found\n'],
  ];
  for (const [args, stderr] of cases)
    assert.deepEqual(podnet(args), { code: 0, stdout: '', stderr }, args.join(' '));
  const json = podnet(['get', 'ing', '-o', 'json', ...TUTORIAL]);
  assert.deepEqual(JSON.parse(json.stdout), {
    apiVersion: 'v1',
    kind: 'List',
    items: [],
    metadata: { resourceVersion: '' },
  });
});

test('get -f -: manifests from stdin', () => {
  const manifest =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
  const r = podnet(['get', 'pods', '-o', 'name', '-f', '-'], { input: manifest });
  assert.deepEqual([r.code, r.stdout], [0, 'pod/solo\n']);
});

/** Bad usage: exit 2, a clear message on stderr, nothing on stdout. */
const USAGE: { args: string[]; stderr: RegExp }[] = [
  { args: ['get', 'foo', ...TUTORIAL], stderr: /^error: the server doesn't have a resource type "foo"\n$/ },
  { args: ['get', 'pods', '--bogus', ...TUTORIAL], stderr: /^error: unknown option '--bogus'/ },
  { args: ['get', 'pods', '-l', 'a in (x', ...TUTORIAL], stderr: /^error: unable to parse requirement: / },
  { args: ['get', 'pods', '-l', 'a b', ...TUTORIAL], stderr: /^error: unable to parse requirement: / },
  {
    args: ['get', 'pods', '-o', 'xml', ...TUTORIAL],
    stderr:
      /^error: unable to match a printer suitable for the output format "xml", allowed formats are: json,name,wide,yaml\n$/,
  },
  {
    args: ['get', ...TUTORIAL],
    stderr:
      /^error: you must specify the type of resource to get; one of: all, adminnetworkpolicies, baselineadminnetworkpolicies, clusternetworkpolicies, daemonsets, /,
  },
  {
    args: ['get', 'pods', 'x', '-l', 'a=b', ...TUTORIAL],
    stderr: /^error: name cannot be provided when a selector is specified\n$/,
  },
  {
    args: ['get', 'pods', 'x', '-A', ...TUTORIAL],
    stderr: /^error: a resource cannot be retrieved by name across all namespaces\n$/,
  },
  {
    args: ['get', 'pods', 'pods/x', ...TUTORIAL],
    stderr: /^error: there is no need to specify a resource type/,
  },
  { args: ['get', 'pods', '-f'], stderr: /^error: option '-f, --filename <path>' argument missing/ },
  {
    args: ['get', 'pods', '--kubeconfig', '/dev/null'],
    stderr: /^error: reading a live cluster \(--kubeconfig, --context\) is not supported yet/,
  },
  { args: ['frobnicate'], stderr: /^error: unknown command 'frobnicate'/ },
  { args: [], stderr: /^Usage: podnet / },
];

for (const { args, stderr } of USAGE) {
  test(`bad usage exits 2: podnet ${args.join(' ')}`, () => {
    const r = podnet(args);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, stderr);
  });
}

test('no -f and no lab: exit 3 naming the lab (--lab, PODNET_LAB, default "podnet")', () => {
  const message = (lab: string) =>
    `error: no lab "${lab}" is running (start one with podnet up, or read manifests with -f PATH)\n`;
  assert.deepEqual(podnet(['get', 'pods']), { code: 3, stdout: '', stderr: message('podnet') });
  assert.deepEqual(podnet(['get', 'pods'], { env: { PODNET_LAB: 'blue' } }), {
    code: 3,
    stdout: '',
    stderr: message('blue'),
  });
  assert.deepEqual(podnet(['get', 'pods', '--lab', 'green'], { env: { PODNET_LAB: 'blue' } }), {
    code: 3,
    stdout: '',
    stderr: message('green'),
  });
});

test('help and version exit 0', () => {
  const help = podnet(['get', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Resource types: all, namespaces \(ns\), nodes \(no\), pods \(po\)/);
  assert.match(podnet(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});
