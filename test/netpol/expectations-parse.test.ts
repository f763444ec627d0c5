// Parsing expectation files (src/netpol/expectations-parse.ts): the documented format, and every
// way a file can be wrong, each error located by line and field path in the API server's words.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSelector } from '../../src/api/labels.js';
import { formatIP } from '../../src/ip/index.js';
import { parseExpectations } from '../../src/netpol/expectations-parse.js';

const HEAD = 'apiVersion: podnet.dev/v1alpha1\nkind: Expectations\nexpectations:\n';

/** `line: message` of every diagnostic. */
function errors(text: string): string[] {
  const r = parseExpectations(text, 'expect.yaml');
  assert.ok(r.diagnostics.every((d) => d.severity === 'error' && d.file === 'expect.yaml'));
  if (r.diagnostics.length > 0)
    assert.equal(r.expectations.length, 0, 'nothing is returned from a file with errors');
  return r.diagnostics.map((d) => `${d.line}: ${d.message}`);
}

test('expectations: every documented form of an end and a port parses (docs/expectations.md)', () => {
  const r = parseExpectations(
    `${HEAD}- name: web to api
  from: {namespace: web, selector: app=frontend}
  to: {namespace: api, selector: {matchLabels: {app: api}, matchExpressions: [{key: tier, operator: Exists}]}}
  port: [80, "53/udp", http, "grpc/TCP"]
  allowed: true
- from: {namespaceSelector: {matchLabels: {team: a}}, pod: db-0}
  to: {ip: "fd00::1"}
  port: 443
  allowed: false
  allowEmpty: true
- from: {node: podnet-worker}
  to: {namespaceSelector: {}}
  port: "8080"
  allowed: true
  family: IPv6
`,
    'expect.yaml',
  );
  assert.deepEqual(r.diagnostics, []);
  const [a, b, c] = r.expectations;
  assert.equal(a.name, 'web to api');
  assert.deepEqual(a.ports, [
    { port: 80, protocol: 'TCP' },
    { port: 53, protocol: 'UDP' },
    { name: 'http' },
    { name: 'grpc', protocol: 'TCP' },
  ]);
  assert.equal(a.from.kind === 'pods' && a.from.selector && formatSelector(a.from.selector), 'app=frontend');
  assert.equal(a.to.kind === 'pods' && a.to.selector && formatSelector(a.to.selector), 'app=api,tier');
  assert.deepEqual(
    [a.allowed, a.allowEmpty, a.origin.line, a.origin.field],
    [true, false, 4, 'expectations[0]'],
  );
  assert.equal(a.origin.lineOf(['port']), 7);
  // Unnamed expectations are called by what they say; an address end fixes the family.
  assert.equal(b.name, 'namespaces(team=a)/db-0 -> fd00::1 443/TCP denied');
  assert.equal(b.to.kind === 'ip' && formatIP(b.to.ip), 'fd00::1');
  assert.deepEqual([b.allowed, b.allowEmpty, b.family], [false, true, 'IPv6']);
  assert.equal(c.name, 'node/podnet-worker -> namespaces(*)/* 8080/TCP allowed');
  assert.equal(c.family, 'IPv6');
});

test('expectations: several documents in one file are read in order', () => {
  const doc = (name: string) =>
    `${HEAD}- {name: ${name}, from: {namespace: a}, to: {namespace: b}, port: 80, allowed: true}\n`;
  const r = parseExpectations(`${doc('one')}---\n${doc('two')}`, 'expect.yaml');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.expectations.map((e) => [e.name, e.origin.line]),
    [
      ['one', 4],
      ['two', 9],
    ],
  );
});

test('expectations: a file that is not an expectations file is refused whole, with the line of each problem', () => {
  const cases: [string, string, string[]][] = [
    ['empty file', '', ['1: no expectations: the file has no Expectations document']],
    ['comments only', '# nothing\n', ['1: no expectations: the file has no Expectations document']],
    [
      'not YAML',
      'a: [\n',
      [
        '2: error parsing YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (column 1)',
      ],
    ],
    [
      'a list',
      '- 1\n',
      ['1: expected a mapping with apiVersion: podnet.dev/v1alpha1, kind: Expectations and expectations'],
    ],
    ['binary', 'a\0b', ['1: not a text file (it contains NUL bytes)']],
    [
      'a manifest',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n',
      [
        '1: apiVersion: Unsupported value: "v1": supported values: "podnet.dev/v1alpha1"',
        '1: expectations: Required value: at least one expectation',
        '2: kind: Unsupported value: "Pod": supported values: "Expectations"',
        '3: unknown field "metadata"',
      ],
    ],
    [
      'no expectations',
      'apiVersion: podnet.dev/v1alpha1\nkind: Expectations\n',
      ['1: expectations: Required value: at least one expectation'],
    ],
    [
      'duplicate keys',
      `${HEAD}- from: {namespace: a}\n  from: {namespace: b}\n`,
      ['5: error parsing YAML: mapping key "from" already defined at line 4 (column 3)'],
    ],
    [
      'an alias bomb',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n`,
      [
        '1: error parsing YAML: aliases expand to more than 100000 nodes (refusing a possible alias bomb) (column 14)',
      ],
    ],
  ];
  for (const [what, text, want] of cases) assert.deepEqual(errors(text), want, what);
});

test('expectations: wrong types and unknown fields are reported as kubectl apply --validate=strict reports them', () => {
  assert.deepEqual(
    errors(`${HEAD}- from: {namespace: a, namepsace: b}
  to: [a]
  port: {number: 80}
  allowed: "true"
  allowEmpty: 1
- name: 7
  from: {namespace: a}
  to: {namespace: b}
  port: 80
  allowed: yes
  extra: true
`),
    [
      '4: unknown field "expectations[0].from.namepsace"',
      '5: expectations[0].to: Invalid value: "array": expectations[0].to in body must be of type object: "array"',
      '7: expectations[0].allowed: Invalid value: "true": expectations[0].allowed in body must be of type boolean: "string"',
      '8: expectations[0].allowEmpty: Invalid value: 1: expectations[0].allowEmpty in body must be of type boolean: "integer"',
      '9: expectations[1].name: Invalid value: 7: expectations[1].name in body must be of type string: "integer"',
      '14: unknown field "expectations[1].extra"',
    ],
  );
});

test('expectations: every invalid value is reported, each at its line and field path', () => {
  assert.deepEqual(
    errors(`${HEAD}- name: dup
  from: {namespace: Web_1, pod: x, selector: a=b}
  to: {namespace: b, namespaceSelector: {}}
  port: [0, 65536, "80/ICMP", "-x", 99999999999999999999, 1.5, true, 80, "80/TCP"]
  allowed: true
  family: ipv4
- name: dup
  from: {ip: 10.0.0.300}
  to: {node: Bad_Node}
  port: http
  allowed: false
- from: {namespace: a, selector: "app in (a"}
  to: {namespace: b, selector: {matchExpressions: [{key: app, operator: In}]}}
  port: []
- from: {ip: 10.0.0.1}
  to: {ip: "fd00::1", namespace: x}
  allowed: true
- {}
- name: ""
  from: {ip: 10.0.0.1}
  to: {ip: "fd00::1"}
  port: 80
  allowed: true
`),
    [
      '5: expectations[0].from.selector: Invalid value: "selector": may not be set together with pod',
      "5: expectations[0].from.namespace: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      '6: expectations[0].to.namespaceSelector: Invalid value: "namespaceSelector": may not be set together with namespace',
      '7: expectations[0].port[0]: Invalid value: 0: must be between 1 and 65535, inclusive',
      '7: expectations[0].port[1]: Invalid value: 65536: must be between 1 and 65535, inclusive',
      '7: expectations[0].port[2]: Invalid value: "80/ICMP": the protocol must be one of "TCP", "UDP", "SCTP"',
      '7: expectations[0].port[3]: Invalid value: "-x": must be a port number or a port name: must not begin or end with a hyphen',
      '7: expectations[0].port[4]: Invalid value: 100000000000000000000: must be between 1 and 65535, inclusive',
      '7: expectations[0].port[5]: Invalid value: 1.5: must be between 1 and 65535, inclusive',
      '7: expectations[0].port[6]: Invalid value: true: must be a port (80), a port and protocol ("53/UDP"), a port name (http), or a list of them',
      '7: expectations[0].port[8]: Duplicate value: "80/TCP"',
      '9: expectations[0].family: Unsupported value: "ipv4": supported values: "IPv4", "IPv6"',
      '10: expectations[1].name: Duplicate value: "dup": also the name of expectations[0] (line 4)',
      '11: expectations[1].from.ip: Invalid value: "10.0.0.300": must be a valid IP address',
      "12: expectations[1].to.node: Invalid value: \"Bad_Node\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '15: expectations[2].from.selector: Invalid value: "app in (a": unable to parse requirement: expected \',\' or \')\' at the end in "app in (a"',
      // A missing field is located at its entry.
      '15: expectations[2].allowed: Required value: true (every connection allowed) or false (every one denied)',
      "16: expectations[2].to.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      '17: expectations[2].port: Required value: a port (80), a port and protocol ("53/UDP"), a port name (http), or a list of them',
      '18: expectations[3].port: Required value: a port (80), a port and protocol ("53/UDP"), a port name (http), or a list of them',
      '19: expectations[3].to: Invalid value: "pods, ip": give namespace or namespaceSelector (with pod or selector), ip, or node: only one of them',
      '21: expectations[4].from: Required value: give namespace or namespaceSelector (with pod or selector), ip, or node',
      '21: expectations[4].to: Required value: give namespace or namespaceSelector (with pod or selector), ip, or node',
      '21: expectations[4].port: Required value: a port (80), a port and protocol ("53/UDP"), a port name (http), or a list of them',
      '21: expectations[4].allowed: Required value: true (every connection allowed) or false (every one denied)',
      '22: expectations[5].name: Invalid value: "": must not be empty',
      '24: expectations[5].to.ip: Invalid value: "fd00::1": is not an IPv4 address, as the other end or family is',
    ],
  );
});

test('expectations: a port name needs destination pods (it is resolved on their containers)', () => {
  assert.deepEqual(
    errors(`${HEAD}- {from: {namespace: a}, to: {ip: 10.0.0.1}, port: [80, http], allowed: true}\n`),
    [
      '4: expectations[0].port: Invalid value: [80,"http"]: a port name is a port of the destination pods: `to` must select pods',
    ],
  );
});

test('expectations: values echoed in messages are cut short (hostile input)', () => {
  const long = 'a'.repeat(10_000);
  const [message] = errors(
    `${HEAD}- {from: {namespace: a}, to: {namespace: b}, port: "${long}", allowed: true}\n`,
  );
  assert.ok(message.length < 600, `${message.length} characters`);
  assert.match(message, /\.\.\.\(9744 more characters\)/);
});
