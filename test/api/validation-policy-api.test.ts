import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminNetworkPolicy } from '../../src/api/types.js';
import { admitted, checkRows, errors, meta, object, type Row, warnings } from './admission-fixtures.js';

type Json = Record<string, unknown>;

/** As the object would be written: a field set to undefined is a field left out. */
const written = (spec: Json): Json => JSON.parse(JSON.stringify(spec));

const GRYFFINDOR = { matchLabels: { 'conformance-house': 'gryffindor' } };
const SLYTHERIN = { matchLabels: { 'conformance-house': 'slytherin' } };

const cnp = (spec: Json, name = 'gress-rules') =>
  object(
    'policy.networking.k8s.io/v1alpha2',
    'ClusterNetworkPolicy',
    { spec: written({ tier: 'Admin', priority: 10, subject: { namespaces: GRYFFINDOR }, ...spec }) },
    meta(name),
  );
const anp = (spec: Json) =>
  object(
    'policy.networking.k8s.io/v1alpha1',
    'AdminNetworkPolicy',
    { spec: written({ priority: 10, subject: { namespaces: GRYFFINDOR }, ...spec }) },
    meta('pass-example'),
  );
const banp = (spec: Json, name = 'default') =>
  object(
    'policy.networking.k8s.io/v1alpha1',
    'BaselineAdminNetworkPolicy',
    { spec: written({ subject: { namespaces: GRYFFINDOR }, ...spec }) },
    meta(name),
  );

const egress = (rule: Json) => ({
  egress: [written({ action: 'Deny', to: [{ namespaces: SLYTHERIN }], ...rule })],
});
const ingress = (rule: Json) => ({
  ingress: [written({ action: 'Deny', from: [{ namespaces: SLYTHERIN }], ...rule })],
});
const many = (n: number, item: unknown) => Array.from({ length: n }, () => item);

test('ClusterNetworkPolicy: tier, priority 0-1000, exactly one subject (v1alpha2 CRD schema)', () => {
  const rows: Row[] = [
    ['valid admin policy', cnp(ingress({})), null],
    [
      'subject pods without namespaceSelector (optional in v1alpha2)',
      cnp({ subject: { pods: { podSelector: {} } } }),
      null,
    ],
    ['tier required', cnp({ tier: undefined }), 'spec.tier: Required value'],
    [
      'tier enum',
      cnp({ tier: 'Developer' }),
      'spec.tier: Unsupported value: "Developer": supported values: "Admin", "Baseline"',
    ],
    ['priority required', cnp({ priority: undefined }), 'spec.priority: Required value'],
    ['priority 0', cnp({ priority: 0 }), null],
    ['priority 1000', cnp({ priority: 1000 }), null],
    [
      'priority above 1000',
      cnp({ priority: 1001 }),
      'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    ],
    [
      'negative priority',
      cnp({ priority: -1 }),
      'spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0',
    ],
    ['subject required', cnp({ subject: undefined }), 'spec.subject: Required value'],
    [
      'empty subject',
      cnp({ subject: {} }),
      'spec.subject: Invalid value: 0: spec.subject in body should have at least 1 properties',
    ],
    [
      'two subjects',
      cnp({ subject: { namespaces: {}, pods: { podSelector: {} } } }),
      'spec.subject: Too many: 2: must have at most 1 items',
    ],
    [
      'subject pods need a podSelector',
      cnp({ subject: { pods: { namespaceSelector: {} } } }),
      'spec.subject.pods.podSelector: Required value',
    ],
    [
      'label selectors are checked as apimachinery checks them',
      cnp({ subject: { namespaces: { matchExpressions: [{ key: 'a', operator: 'In' }] } } }),
      "spec.subject.namespaces.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'spec required',
      object('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', {}, meta('x')),
      'spec: Required value',
    ],
    ['unknown field refused (strict decoding)', cnp({ ports: [] }), 'spec.ports'],
    [
      'served version only',
      object('policy.networking.k8s.io/v1alpha1', 'ClusterNetworkPolicy', { spec: {} }, meta('x')),
      'no matches for kind "ClusterNetworkPolicy" in version "policy.networking.k8s.io/v1alpha1"',
    ],
  ];
  checkRows(rows);
});

test('ClusterNetworkPolicy: rules — action enum, 1-25 peers, at most 25 rules, names up to 100 characters (v1alpha2 CRD schema)', () => {
  const rows: Row[] = [
    ['Pass in the Baseline tier is valid', cnp({ tier: 'Baseline', ...ingress({ action: 'Pass' }) }), null],
    [
      'v1alpha1 action name',
      cnp(ingress({ action: 'Allow' })),
      'spec.ingress[0].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"',
    ],
    ['action required', cnp(ingress({ action: undefined })), 'spec.ingress[0].action: Required value'],
    ['from required', cnp(ingress({ from: undefined })), 'spec.ingress[0].from: Required value'],
    [
      'empty from',
      cnp(ingress({ from: [] })),
      'spec.ingress[0].from: Invalid value: 0: spec.ingress[0].from in body should have at least 1 items',
    ],
    [
      '26 peers',
      cnp(ingress({ from: many(26, { namespaces: {} }) })),
      'spec.ingress[0].from: Too many: 26: must have at most 25 items',
    ],
    [
      '26 rules',
      cnp({ egress: many(26, { action: 'Deny', to: [{ namespaces: {} }] }) }),
      'spec.egress: Too many: 26: must have at most 25 items',
    ],
    [
      'rule name of 101 characters',
      cnp(ingress({ name: 'n'.repeat(101) })),
      'spec.ingress[0].name: Too long: may not be more than 100 bytes',
    ],
    [
      'empty peer',
      cnp(egress({ to: [{}] })),
      'spec.egress[0].to[0]: Invalid value: 0: spec.egress[0].to[0] in body should have at least 1 properties',
    ],
    [
      'peer with two fields',
      cnp(egress({ to: [{ namespaces: {}, nodes: {} }] })),
      'spec.egress[0].to[0]: Too many: 2: must have at most 1 items',
    ],
    [
      'ingress peers have no networks',
      cnp(ingress({ from: [{ networks: ['10.0.0.0/8'] }] })),
      'spec.ingress[0].from[0].networks',
    ],
  ];
  checkRows(rows);
});

test('ClusterNetworkPolicy: egress peers — networks are CIDRs (isCIDR), a set of 1-25; domainNames match the pattern (v1alpha2 CRD schema)', () => {
  const to = (peer: Json) => cnp(egress({ to: [peer] }));
  const rows: Row[] = [
    ['IPv4 and IPv6 networks', to({ networks: ['0.0.0.0/0', '::/0'] }), null],
    ['host bits are accepted (isCIDR parses the prefix)', to({ networks: ['10.1.2.3/8'] }), null],
    [
      'not a CIDR',
      to({ networks: ['10.0.0.0'] }),
      'spec.egress[0].to[0].networks[0]: Invalid value: "string": Invalid CIDR format provided',
    ],
    [
      'longer than 43 characters',
      to({ networks: [`${'1'.repeat(44)}`] }),
      'spec.egress[0].to[0].networks[0]: Too long: may not be more than 43 bytes',
    ],
    [
      'duplicate network (listType set)',
      to({ networks: ['10.0.0.0/8', '10.0.0.0/8'] }),
      'spec.egress[0].to[0].networks[1]: Duplicate value: "10.0.0.0/8"',
    ],
    [
      'empty networks',
      to({ networks: [] }),
      'spec.egress[0].to[0].networks: Invalid value: 0: spec.egress[0].to[0].networks in body should have at least 1 items',
    ],
    [
      '26 networks',
      to({ networks: Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`) }),
      'spec.egress[0].to[0].networks: Too many: 26: must have at most 25 items',
    ],
    ['nodes selector', to({ nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } }), null],
    [
      'domain names with a wildcard prefix',
      cnp(egress({ action: 'Accept', to: [{ domainNames: ['kubernetes.io', '*.kubernetes.io'] }] })),
      null,
    ],
    [
      'wildcard inside a name',
      cnp(egress({ action: 'Accept', to: [{ domainNames: ['www.*.io'] }] })),
      'spec.egress[0].to[0].domainNames[0]: Invalid value: "www.*.io": spec.egress[0].to[0].domainNames[0] in body should match \'^(\\*\\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\\.?$\'',
    ],
    [
      'single label',
      cnp(egress({ action: 'Accept', to: [{ domainNames: ['localhost'] }] })),
      'spec.egress[0].to[0].domainNames[0]: Invalid value: "localhost"',
    ],
  ];
  checkRows(rows);
  assert.deepEqual(warnings(cnp(egress({ to: [{ domainNames: ['kubernetes.io'] }] }))), [
    'spec.egress[0].to[0].domainNames: only supported in Accept rules',
  ]);
});

test('ClusterNetworkPolicy: protocols — exactly one of tcp/udp/sctp/destinationNamedPort, number 1-65535 or range with start < end (v1alpha2 CRD schema and CEL)', () => {
  const protocols = (...p: unknown[]) => cnp(ingress({ protocols: p }));
  const rows: Row[] = [
    [
      'one of each',
      protocols(
        { tcp: { destinationPort: { number: 80 } } },
        { udp: { destinationPort: { range: { start: 53, end: 5353 } } } },
        { sctp: { destinationPort: { number: 9003 } } },
        { destinationNamedPort: 'web' },
      ),
      null,
    ],
    [
      'empty protocols',
      protocols(),
      'spec.ingress[0].protocols: Invalid value: 0: spec.ingress[0].protocols in body should have at least 1 items',
    ],
    [
      'tcp and udp in one entry',
      protocols({ tcp: { destinationPort: { number: 80 } }, udp: { destinationPort: { number: 53 } } }),
      'spec.ingress[0].protocols[0]: Too many: 2: must have at most 1 items',
    ],
    [
      'tcp without a destination port',
      protocols({ tcp: {} }),
      'spec.ingress[0].protocols[0].tcp: Invalid value: 0: spec.ingress[0].protocols[0].tcp in body should have at least 1 properties',
    ],
    [
      'port 0',
      protocols({ tcp: { destinationPort: { number: 0 } } }),
      'spec.ingress[0].protocols[0].tcp.destinationPort.number: Invalid value: 0: spec.ingress[0].protocols[0].tcp.destinationPort.number in body should be greater than or equal to 1',
    ],
    [
      'number and range',
      protocols({ tcp: { destinationPort: { number: 80, range: { start: 1, end: 2 } } } }),
      'spec.ingress[0].protocols[0].tcp.destinationPort: Too many: 2: must have at most 1 items',
    ],
    [
      'range start equal to end',
      protocols({ udp: { destinationPort: { range: { start: 53, end: 53 } } } }),
      'spec.ingress[0].protocols[0].udp.destinationPort.range: Invalid value: "object": Start port must be less than End port',
    ],
    [
      'range end above 65535',
      protocols({ sctp: { destinationPort: { range: { start: 1, end: 65536 } } } }),
      'spec.ingress[0].protocols[0].sctp.destinationPort.range.end: Invalid value: 65536: spec.ingress[0].protocols[0].sctp.destinationPort.range.end in body should be less than or equal to 65535',
    ],
    [
      'range start required',
      protocols({ tcp: { destinationPort: { range: { end: 90 } } } }),
      'spec.ingress[0].protocols[0].tcp.destinationPort.range.start: Required value',
    ],
    [
      'named port beside a networks peer',
      cnp(egress({ to: [{ networks: ['10.0.0.0/8'] }], protocols: [{ destinationNamedPort: 'web' }] })),
      'spec.egress[0]: Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
    ],
    [
      'named port beside a nodes peer',
      cnp(egress({ to: [{ namespaces: {} }, { nodes: {} }], protocols: [{ destinationNamedPort: 'web' }] })),
      'spec.egress[0]: Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts',
    ],
    [
      'named port beside pod peers',
      cnp(egress({ to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'web' }] })),
      null,
    ],
  ];
  checkRows(rows);
});

test('AdminNetworkPolicy: priority 0-1000, actions Allow/Deny/Pass, 100 rules and peers, ports portNumber/namedPort/portRange (v1alpha1 CRD)', () => {
  const rows: Row[] = [
    ['valid', anp(ingress({ action: 'Allow', ports: [{ portNumber: { port: 80 } }] })), null],
    [
      'v1alpha2 action name',
      anp(ingress({ action: 'Accept' })),
      'spec.ingress[0].action: Unsupported value: "Accept": supported values: "Allow", "Deny", "Pass"',
    ],
    [
      'priority above 1000',
      anp({ priority: 1001 }),
      'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    ],
    [
      'subject pods require a namespaceSelector in v1alpha1',
      anp({ subject: { pods: { podSelector: {} } } }),
      'spec.subject.pods.namespaceSelector: Required value',
    ],
    [
      '101 rules',
      anp({ ingress: many(101, { action: 'Deny', from: [{ namespaces: {} }] }) }),
      'spec.ingress: Too many: 101: must have at most 100 items',
    ],
    ['100 peers', anp(ingress({ from: many(100, { namespaces: {} }) })), null],
    [
      'empty port entry',
      anp(ingress({ ports: [{}] })),
      'spec.ingress[0].ports[0]: Invalid value: 0: spec.ingress[0].ports[0] in body should have at least 1 properties',
    ],
    [
      'port 65536',
      anp(ingress({ ports: [{ portNumber: { port: 65536 } }] })),
      'spec.ingress[0].ports[0].portNumber.port: Invalid value: 65536: spec.ingress[0].ports[0].portNumber.port in body should be less than or equal to 65535',
    ],
    [
      'range end required',
      anp(ingress({ ports: [{ portRange: { start: 80 } }] })),
      'spec.ingress[0].ports[0].portRange.end: Required value',
    ],
    [
      'named port beside a networks peer (v1alpha1 CEL)',
      anp(egress({ to: [{ networks: ['10.0.0.0/8'] }], ports: [{ namedPort: 'web' }] })),
      'spec.egress[0]: Invalid value: "object": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
    ],
  ];
  checkRows(rows);
});

test('AdminNetworkPolicy: portNumber and portRange protocols default to TCP (CRD default)', () => {
  const a = admitted(
    anp(
      ingress({
        ports: [{ portNumber: { port: 80 } }, { portRange: { start: 8080, end: 8090, protocol: 'UDP' } }],
      }),
    ),
  );
  assert.deepEqual(a.errors, []);
  const ports = (a.object as AdminNetworkPolicy).spec.ingress?.[0].ports;
  assert.deepEqual(ports, [
    { portNumber: { port: 80, protocol: 'TCP' } },
    { portRange: { start: 8080, end: 8090, protocol: 'UDP' } },
  ]);
});

test('AdminNetworkPolicy: what the CRD stores but matches nothing is warned about (protocol is a plain string; start <= end is documented, not enforced)', () => {
  assert.deepEqual(warnings(anp(ingress({ ports: [{ portNumber: { port: 80, protocol: 'ICMP' } }] }))), [
    'spec.ingress[0].ports[0].portNumber.protocol: unsupported protocol "ICMP": this port matches no traffic',
  ]);
  assert.deepEqual(warnings(anp(ingress({ ports: [{ portRange: { start: 90, end: 80 } }] }))), [
    'spec.ingress[0].ports[0].portRange: start 90 is greater than end 80: this range matches no port',
  ]);
});

test('BaselineAdminNetworkPolicy: named `default`, actions Allow/Deny only, no domainNames peers (v1alpha1 CRD and its CEL rule)', () => {
  const rows: Row[] = [
    ['valid', banp(egress({ action: 'Allow', to: [{ networks: ['0.0.0.0/0'] }] })), null],
    [
      'another name',
      banp({}, 'baseline'),
      'metadata.name: Invalid value: "object": Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    ],
    [
      'no Pass in the baseline',
      banp(ingress({ action: 'Pass' })),
      'spec.ingress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"',
    ],
    ['no priority field', banp({ priority: 10 }), 'spec.priority'],
    [
      'no domainNames peer',
      banp(egress({ action: 'Allow', to: [{ domainNames: ['kubernetes.io'] }] })),
      'domainNames',
    ],
    [
      'named port beside a nodes peer',
      banp(egress({ to: [{ nodes: {} }], ports: [{ namedPort: 'web' }] })),
      'spec.egress[0]: Invalid value: "object": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
    ],
  ];
  checkRows(rows);
});

test('policy.networking.k8s.io objects are cluster-scoped: a namespace sent with one is cleared (rest.BeforeCreate)', () => {
  const obj = cnp(ingress({}));
  obj.metadata.namespace = 'default';
  const a = admitted(obj);
  assert.deepEqual(errors(obj), []);
  assert.equal(a.object?.metadata.namespace, undefined);
});
