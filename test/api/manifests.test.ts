import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ReadResult } from '../../src/api/manifests.js';
import { MAX_MANIFEST_BYTES, parseManifests, readManifests } from '../../src/api/manifests.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/manifests/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

function names(r: ReadResult): string[] {
  return r.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`);
}

function errors(r: ReadResult): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line ?? '-'}: ${d.message}`);
}

test('kubectl apply -f: multi-document YAML, empty documents skipped, each object located at its first line', async () => {
  const r = await readManifests([fixture('multi.yaml')]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(names(r), ['Namespace/shop', 'Service/web', 'Pod/web-0']);
  assert.deepEqual(
    r.objects.map((o) => [o.origin.file, o.origin.line]),
    [
      [fixture('multi.yaml'), 2],
      [fixture('multi.yaml'), 9],
      [fixture('multi.yaml'), 27],
    ],
  );
});

test('field lines: an error in spec.ports[1].port of the second document names that line', async () => {
  const r = await readManifests([fixture('multi.yaml')]);
  const [, service, pod] = r.objects;
  const cases: [typeof service, (string | number)[], number][] = [
    [service, ['spec', 'ports', 1, 'port'], 24],
    [service, ['spec', 'ports', 1], 23],
    [service, ['metadata', 'labels', 'app'], 15],
    // The deepest field that exists: spec.ports[7] does not, spec.ports does.
    [service, ['spec', 'ports', 7, 'port'], 19],
    [service, [], 9],
    [pod, ['spec', 'enableServiceLinks'], 34],
    [pod, ['spec', 'containers', 0, 'ports', 0, 'containerPort'], 44],
    [pod, ['metadata', 'labels', 'app'], 32],
  ];
  for (const [obj, path, line] of cases) assert.equal(obj.origin.lineOf?.(path), line, path.join('.'));
});

test('kind: List (kubectl get -o yaml): items are objects, each located at its own line', async () => {
  const r = await readManifests([fixture('list.yaml')]);
  assert.deepEqual(names(r), ['Service/a', 'Service/b', 'Pod/p1']);
  assert.deepEqual(
    r.objects.map((o) => o.origin.line),
    [3, 16, 32],
  );
  const [a, b, p1] = r.objects;
  assert.equal(a.origin.lineOf?.(['spec', 'ports', 1, 'port']), 11);
  assert.equal(b.origin.lineOf?.(['spec', 'ports', 0, 'port']), 22);
  assert.equal(p1.origin.lineOf?.(['spec', 'containers', 0, 'name']), 37);
});

test('typed lists (PodList): items without apiVersion and kind take the list item kind, as kubectl does', async () => {
  const r = await readManifests([fixture('list.yaml')]);
  const pod = r.objects[2].object;
  assert.equal(pod.apiVersion, 'v1');
  assert.equal(pod.kind, 'Pod');
});

test('JSON files: a List is read like YAML, with item and field lines', async () => {
  const r = await readManifests([fixture('list.json')]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(names(r), ['Service/j', 'NetworkPolicy/deny']);
  assert.deepEqual(
    r.objects.map((o) => o.origin.line),
    [5, 22],
  );
  assert.equal(r.objects[0].origin.lineOf?.(['spec', 'ports', 1, 'port']), 17);
});

test('unknown kinds (ConfigMap, CRDs, Knative Service) are skipped with one warning per kind', async () => {
  const r = await readManifests([fixture('unknown-kinds.yaml')]);
  assert.deepEqual(names(r), ['Service/real']);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.severity, d.line, d.message]),
    [
      [
        'warning',
        1,
        'skipping 3 objects of kind ConfigMap, the first here (podnet does not model this kind)',
      ],
      [
        'warning',
        6,
        'skipping 1 object of kind Certificate.cert-manager.io, the first here (podnet does not model this kind)',
      ],
      [
        'warning',
        16,
        'skipping 1 object of kind Service.serving.knative.dev, the first here (podnet does not model this kind)',
      ],
    ],
  );
});

test('unknown kinds are counted across files, warned about once', async () => {
  const r = await readManifests([fixture('unknown-kinds.yaml'), fixture('list.yaml')]);
  const configMaps = r.diagnostics.filter((d) => d.message.includes('kind ConfigMap,'));
  assert.equal(configMaps.length, 1);
  assert.match(configMaps[0].message, /^skipping 4 objects/);
  assert.equal(configMaps[0].file, fixture('unknown-kinds.yaml'));
});

test('apimachinery: a document must be an object with kind and apiVersion; the others still load', async () => {
  const r = await readManifests([fixture('invalid-documents.yaml')]);
  assert.deepEqual(names(r), ['Service/ok', 'Service/also-ok']);
  assert.deepEqual(errors(r), [
    '6: invalid document: expected an object with apiVersion and kind, found a list',
    `9: Object 'Kind' is missing in '{"metadata":{"name":"no-kind"}}'`,
    `12: Object 'apiVersion' is missing in '{"kind":"Pod","metadata":{"name":"no-api-version"}}'`,
    '22: error parsing YAML: mapping key "app" already defined at line 21 (column 5)',
  ]);
});

test('kubectl: a path that does not exist is an error naming it', async () => {
  const r = await readManifests(['no/such/file.yaml', fixture('dir/a.yaml')]);
  assert.deepEqual(errors(r), ['-: the path "no/such/file.yaml" does not exist']);
  assert.deepEqual(names(r), ['Namespace/a']);
});

test('directories: read recursively in path order; only .json, .yaml, .yml; hidden entries skipped', async () => {
  const r = await readManifests([fixture('dir')]);
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(names(r), ['Namespace/a', 'Namespace/c', 'Namespace/b']);
  assert.deepEqual(
    r.objects.map((o) => o.origin.file),
    [fixture('dir/a.yaml'), fixture('dir/c.json'), fixture('dir/sub/b.yml')],
  );
});

test('directories: symlinked files are read, symlinked directories are not followed (as filepath.Walk)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podnet-manifests-'));
  try {
    await mkdir(join(dir, 'real'));
    await writeFile(
      join(dir, 'real', 'ns.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: real\n',
    );
    await symlink(join(dir, 'real', 'ns.yaml'), join(dir, 'link.yaml'));
    await symlink(join(dir, 'real'), join(dir, 'loop'));
    const r = await readManifests([dir]);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.objects.map((o) => o.origin.file),
      [join(dir, 'link.yaml'), join(dir, 'real', 'ns.yaml')],
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('a directory without manifests is an error naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podnet-manifests-'));
  try {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const r = await readManifests([dir]);
    assert.deepEqual(errors(r), [
      `-: no manifests in directory "${dir}" (looked for files ending .json, .yaml, .yml)`,
    ]);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('stdin: "-" reads standard input, named <stdin> in messages, once', async () => {
  const stdin = Readable.from([
    Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: piped\n---\nkind: Pod\n'),
  ]);
  const r = await readManifests(['-', '-'], stdin);
  assert.deepEqual(names(r), ['Namespace/piped']);
  assert.equal(r.objects[0].origin.file, '<stdin>');
  assert.deepEqual(
    r.diagnostics.map((d) => [d.file, d.line, d.message]),
    [
      ['<stdin>', 6, `Object 'apiVersion' is missing in '{"kind":"Pod"}'`],
      [undefined, undefined, 'standard input ("-") can be read only once'],
    ],
  );
});

test('files larger than the limit are refused without being read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podnet-manifests-'));
  try {
    const file = join(dir, 'huge.yaml');
    await writeFile(file, '');
    await truncate(file, MAX_MANIFEST_BYTES + 1); // sparse: no disk used
    const r = await readManifests([file]);
    assert.deepEqual(errors(r), ['-: file is 257 MiB, larger than the limit of 256 MiB']);
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('encodings: a UTF-8 BOM is dropped, UTF-16 with a BOM is decoded, invalid UTF-8 is an error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'podnet-manifests-'));
  const doc = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bom\n';
  try {
    await writeFile(join(dir, 'a.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc)]));
    await writeFile(
      join(dir, 'b.yaml'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')]),
    );
    await writeFile(join(dir, 'c.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    const r = await readManifests([dir]);
    assert.deepEqual(names(r), ['Namespace/bom', 'Namespace/bom']);
    assert.deepEqual(
      r.objects.map((o) => o.origin.line),
      [1, 1],
    );
    assert.deepEqual(
      r.diagnostics.map((d) => [d.file, d.message]),
      [[join(dir, 'c.yaml'), 'not a text file (invalid UTF-8)']],
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n';

// Hostile input: every case must end in diagnostics, never an exception or a hang.
const HOSTILE: { name: string; text: string; error: RegExp; line?: number }[] = [
  {
    name: 'YAML syntax error, with line and column',
    text: 'apiVersion: v1\nkind: Pod\nmetadata: name: x\n',
    error: /^error parsing YAML: .+ \(column 11\)$/,
    line: 3,
  },
  {
    name: 'tabs as indentation',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n',
    error: /^error parsing YAML: Tabs are not allowed as indentation/,
    line: 4,
  },
  {
    name: 'duplicate key (strict decoding)',
    text: `${POD}  name: q\n`,
    error: /^error parsing YAML: mapping key "name" already defined at line 4 \(column 3\)$/,
    line: 5,
  },
  {
    name: 'custom tag',
    text: `${POD}spec: !!js/function 'function () {}'\n`,
    error: /unsupported YAML tag !!js\/function/,
    line: 5,
  },
  { name: 'local tag', text: `${POD}spec: !Ref other\n`, error: /unsupported YAML tag !Ref/, line: 5 },
  {
    name: 'binary tag',
    text: `${POD}data: !!binary aGVsbG8=\n`,
    error: /unsupported YAML tag !!binary/,
    line: 5,
  },
  {
    name: 'NaN cannot be JSON',
    text: `${POD}spec: {x: .nan}\n`,
    error: /\.nan cannot be represented in JSON/,
    line: 5,
  },
  { name: 'unknown alias', text: `${POD}spec: *nowhere\n`, error: /unknown anchor|nowhere/, line: 5 },
  { name: 'non-scalar key', text: `${POD}spec: {[a, b]: c}\n`, error: /invalid map key/, line: 5 },
  { name: 'null key', text: `${POD}spec: {~: c}\n`, error: /invalid map key/, line: 5 },
  {
    name: 'billion laughs',
    text: `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 9 }, (_, i) => `${'bcdefghij'[i]}: &${'bcdefghij'[i]} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(',')}]`).join('\n')}\n`,
    error: /aliases expand to more than 100000 nodes/,
  },
  {
    name: 'deeply nested flow (10,000 levels)',
    text: `${'['.repeat(10000)}${']'.repeat(10000)}\n`,
    error: /nested deeper than 256 levels|error parsing YAML/,
  },
  {
    name: 'deeply nested JSON (10,000 levels)',
    text: `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}\n`,
    error: /nested deeper than 256 levels|error parsing YAML/,
  },
  {
    name: 'deeply nested block mappings (3,000 levels)',
    text: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    error: /nested deeper than 256 levels|error parsing YAML/,
  },
  {
    name: 'binary garbage',
    text: `\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00${'\x00'.repeat(20)}`,
    error: /^not a text file \(it contains NUL bytes\)$/,
    line: 1,
  },
  { name: 'a document that is a scalar', text: 'just some text\n', error: /found a string/, line: 1 },
];

for (const c of HOSTILE) {
  test(`hostile input: ${c.name} is a located error, not a crash`, () => {
    const r = parseManifests(c.text, 'x.yaml');
    assert.equal(r.objects.length, 0);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errs.length >= 1, 'an error');
    assert.match(errs[0].message, c.error);
    assert.equal(errs[0].file, 'x.yaml');
    if (c.line !== undefined) assert.equal(errs[0].line, c.line);
  });
}

test('hostile input: __proto__ keys stay plain own properties and never reach a prototype', () => {
  for (const text of [
    `${POD}spec:\n  __proto__: {polluted: yes}\n  constructor: {prototype: {polluted: yes}}\n`,
    '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"__proto__": {"polluted": true}}}\n',
    `${POD}spec: !!map\n  __proto__: {polluted: yes}\n`,
  ]) {
    const r = parseManifests(text, 'x.yaml');
    assert.deepEqual(r.diagnostics, []);
    const spec = r.objects[0].object.spec as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(spec), Object.prototype);
    assert.ok(Object.hasOwn(spec, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(spec, '__proto__')?.value, { polluted: true });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});

test('CRLF line endings: objects and lines as with LF', () => {
  const text = readFixtureLines('multi.yaml').join('\r\n');
  const r = parseManifests(text, 'crlf.yaml');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(names(r), ['Namespace/shop', 'Service/web', 'Pod/web-0']);
  assert.equal(r.objects[1].origin.lineOf?.(['spec', 'ports', 1, 'port']), 24);
  const args = (r.objects[2].object.spec as { containers: { args: string[] }[] }).containers[0].args;
  assert.deepEqual(args, ['multi\nline\n']);
});

test('a 50 MB manifest loads (150,000 pods scale)', () => {
  const pod = (i: number) =>
    `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: ns-${i % 1000}\n  labels:\n    app: app-${i % 5000}\n    tier: web\nspec:\n  containers:\n  - name: main\n    image: registry.example.com/team/app:1.2.3\n    ports:\n    - containerPort: 8080\n      name: http\n      protocol: TCP\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 50 * 2 ** 20; i++) {
    parts.push(pod(i));
    size += parts[i].length;
  }
  const r = parseManifests(parts.join(''), 'big.yaml');
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.objects.length, parts.length);
  const last = r.objects[r.objects.length - 1];
  assert.equal(last.object.metadata.name, `pod-${parts.length - 1}`);
  assert.equal(last.origin.line, (parts.length - 1) * 17 + 2);
});

function readFixtureLines(name: string): string[] {
  return readFileSync(fixture(name), 'utf8').split('\n');
}
