import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRows, container, errors, meta, object, pod, type Row } from './admission-fixtures.js';

const slice = (fields: Record<string, unknown>) =>
  object(
    'discovery.k8s.io/v1',
    'EndpointSlice',
    { addressType: 'IPv4', endpoints: [], ...fields },
    meta('web-abc12'),
  );
const endpoints = (subsets: unknown[]) => object('v1', 'Endpoints', { subsets }, meta('web'));
const node = (spec: Record<string, unknown>, status?: Record<string, unknown>) =>
  object('v1', 'Node', { spec, ...(status ? { status } : {}) }, meta('podnet-worker'));

test('EndpointSlice: address type, addresses valid for it, at most 1000 endpoints and 100 ports (discovery ValidateEndpointSlice)', () => {
  const ep = (addresses: string[], extra: Record<string, unknown> = {}) => ({ addresses, ...extra });
  const rows: Row[] = [
    [
      'valid',
      slice({
        endpoints: [ep(['10.244.1.5'], { conditions: { ready: true }, nodeName: 'podnet-worker' })],
        ports: [{ name: 'http', port: 80 }],
      }),
      null,
    ],
    [
      'addressType',
      slice({ addressType: 'IP' }),
      'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"',
    ],
    [
      'no address',
      slice({ endpoints: [ep([])] }),
      'endpoints[0].addresses: Required value: must contain at least 1 address',
    ],
    [
      'IPv6 in IPv4 slice',
      slice({ endpoints: [ep(['fd00::1'])] }),
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    ],
    ['IPv6 slice', slice({ addressType: 'IPv6', endpoints: [ep(['fd00:10:244:1::5'])] }), null],
    [
      'loopback',
      slice({ endpoints: [ep(['127.0.0.1'])] }),
      'endpoints[0].addresses[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ],
    [
      'link-local',
      slice({ endpoints: [ep(['169.254.1.1'])] }),
      'may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    ],
    ['FQDN', slice({ addressType: 'FQDN', endpoints: [ep(['db.example.com'])] }), null],
    [
      'FQDN single label',
      slice({ addressType: 'FQDN', endpoints: [ep(['db'])] }),
      'should be a domain with at least two segments separated by dots',
    ],
    [
      'hostname',
      slice({ endpoints: [ep(['10.244.1.5'], { hostname: 'web.0' })] }),
      'endpoints[0].hostname: Invalid value: "web.0": must not contain dots',
    ],
    [
      'nodeName',
      slice({ endpoints: [ep(['10.244.1.5'], { nodeName: 'Node_1' })] }),
      'endpoints[0].nodeName: Invalid value: "Node_1"',
    ],
    [
      '1001 endpoints',
      slice({ endpoints: Array.from({ length: 1001 }, () => ep(['10.244.1.5'])) }),
      'endpoints: Too many: 1001: must have at most 1000 items',
    ],
    [
      '101 ports',
      slice({ ports: Array.from({ length: 101 }, (_, i) => ({ name: `p${i}`, port: i + 1 })) }),
      'ports: Too many: 101: must have at most 100 items',
    ],
    [
      'duplicate port names',
      slice({ ports: [{ port: 80 }, { port: 81 }] }),
      'ports[1].name: Duplicate value: ""',
    ],
    ['port name', slice({ ports: [{ name: 'Web', port: 80 }] }), 'ports[0].name: Invalid value: "Web"'],
    [
      'protocol',
      slice({ ports: [{ port: 80, protocol: 'HTTP' }] }),
      'ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'port range',
      slice({ ports: [{ port: 0 }] }),
      'ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    ['all ports', slice({ ports: [{ name: 'all' }] }), null],
  ];
  checkRows(rows);
});

test('Endpoints: subsets need addresses; IPs valid and not special; ports named when several (ValidateEndpoints)', () => {
  checkRows([
    [
      'valid',
      endpoints([
        {
          addresses: [{ ip: '10.244.1.5', nodeName: 'podnet-worker' }],
          notReadyAddresses: [{ ip: '10.244.2.5' }],
          ports: [{ port: 80 }],
        },
      ]),
      null,
    ],
    [
      'no addresses',
      endpoints([{ ports: [{ port: 80 }] }]),
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    ],
    [
      'bad IP',
      endpoints([{ addresses: [{ ip: 'web' }] }]),
      'subsets[0].addresses[0].ip: Invalid value: "web": must be a valid IP address',
    ],
    [
      'unspecified',
      endpoints([{ notReadyAddresses: [{ ip: '0.0.0.0' }] }]),
      'subsets[0].notReadyAddresses[0].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    ],
    [
      'multicast',
      endpoints([{ addresses: [{ ip: '224.0.0.5' }] }]),
      'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ],
    [
      'names with 2 ports',
      endpoints([{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }, { name: 'b', port: 81 }] }]),
      'subsets[0].ports[0].name: Required value',
    ],
    [
      'port',
      endpoints([{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 0 }] }]),
      'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
  ]);
});

test('Node: taints, podCIDRs (one per family, canonical), addresses (ValidateNode)', () => {
  checkRows([
    [
      'valid',
      node({
        podCIDRs: ['10.244.1.0/24', 'fd00:10:244:1::/64'],
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      }),
      null,
    ],
    ['taint effect required', node({ taints: [{ key: 'a' }] }), 'spec.taints[0].effect: Required value'],
    [
      'taint effect',
      node({ taints: [{ key: 'a', effect: 'NoRun' }] }),
      'spec.taints[0].effect: Unsupported value: "NoRun"',
    ],
    [
      'taint key',
      node({ taints: [{ key: 'a b', effect: 'NoSchedule' }] }),
      'spec.taints[0].key: Invalid value: "a b"',
    ],
    [
      'taint duplicate',
      node({
        taints: [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'a', value: 'x', effect: 'NoSchedule' },
        ],
      }),
      'spec.taints[1]: Duplicate value: {"key":"a","value":"x","effect":"NoSchedule"}: taints must be unique by key and effect pair',
    ],
    [
      'same key other effect',
      node({
        taints: [
          { key: 'a', effect: 'NoSchedule' },
          { key: 'a', effect: 'NoExecute' },
        ],
      }),
      null,
    ],
    [
      'podCIDR host bits',
      node({ podCIDR: '10.244.1.1/24' }),
      'spec.podCIDRs[0]: Invalid value: "10.244.1.1/24": must not have bits set beyond the prefix length',
    ],
    [
      'podCIDR canonical',
      node({ podCIDRs: ['fd00:10:244:1:0::/64'] }),
      'spec.podCIDRs[0]: Invalid value: "fd00:10:244:1:0::/64": must be in canonical form ("fd00:10:244:1::/64")',
    ],
    [
      'two IPv4 podCIDRs',
      node({ podCIDRs: ['10.244.1.0/24', '10.244.2.0/24'] }),
      'spec.podCIDRs: Invalid value: ["10.244.1.0/24","10.244.2.0/24"]: may specify no more than one CIDR for each IP family',
    ],
    [
      'address type',
      node({}, { addresses: [{ type: 'PublicIP', address: '1.2.3.4' }] }),
      'status.addresses[0].type: Unsupported value: "PublicIP"',
    ],
    [
      'InternalIP',
      node({}, { addresses: [{ type: 'InternalIP', address: '172.18.0.300' }] }),
      'status.addresses[0].address: Invalid value: "172.18.0.300": must be a valid IP address',
    ],
    [
      'namespaced name rules',
      object('v1', 'Node', {}, meta('Worker')),
      'metadata.name: Invalid value: "Worker"',
    ],
  ]);
});

test('Namespace and Secret: names, TLS keys, data keys (ValidateNamespace, ValidateSecret)', () => {
  checkRows([
    ['namespace label name', object('v1', 'Namespace', {}, meta('shop')), null],
    [
      'namespace with dots',
      object('v1', 'Namespace', {}, meta('shop.prod')),
      'metadata.name: Invalid value: "shop.prod": must not contain dots',
    ],
    [
      'secret',
      object('v1', 'Secret', {
        data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' },
        type: 'kubernetes.io/tls',
      }),
      null,
    ],
    [
      'tls keys',
      object('v1', 'Secret', { data: { 'tls.crt': 'Y2VydA==' }, type: 'kubernetes.io/tls' }),
      'data[tls.key]: Required value',
    ],
    [
      'tls keys from stringData',
      object('v1', 'Secret', { stringData: { 'tls.crt': 'c', 'tls.key': 'k' }, type: 'kubernetes.io/tls' }),
      null,
    ],
    [
      'data key',
      object('v1', 'Secret', { stringData: { 'a/b': 'x' } }),
      'data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters',
    ],
    [
      'too big',
      object('v1', 'Secret', { data: { big: 'A'.repeat(1_500_000) } }),
      'data: Too long: may not be more than 1048576 bytes',
    ],
  ]);
});

test('metadata: labels, annotations, ownerReferences (ValidateObjectMeta)', () => {
  const p = (metadata: Record<string, unknown>) =>
    pod({ containers: [container()] }, { name: 'p', ...metadata });
  checkRows([
    ['label key', p({ labels: { 'app.kubernetes.io/name': 'web' } }), null],
    [
      'label key prefix',
      p({ labels: { 'App.io/name': 'web' } }),
      'metadata.labels: Invalid value: "App.io/name": prefix part a lowercase RFC 1123 subdomain',
    ],
    [
      'label value',
      p({ labels: { app: 'web server' } }),
      'metadata.labels: Invalid value: "web server": a valid label must be an empty string or consist of alphanumeric characters',
    ],
    [
      'annotation key',
      p({ annotations: { 'a b': 'x' } }),
      'metadata.annotations: Invalid value: "a b": name part must consist of alphanumeric characters',
    ],
    [
      'annotation size',
      p({ annotations: { big: 'x'.repeat(262_145) } }),
      'metadata.annotations: Too long: may not be more than 262144 bytes',
    ],
    ['annotation key case-insensitive', p({ annotations: { 'Example.com/Key': 'x' } }), null],
    [
      'generation',
      p({ generation: -1 }),
      'metadata.generation: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'owner uid',
      p({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }] }),
      'metadata.ownerReferences[0].uid: Invalid value: "": must not be empty',
    ],
    [
      'two controllers',
      p({
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      }),
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b',
    ],
  ]);
  assert.deepEqual(errors(p({ labels: { '': 'x' } })), [
    'metadata.labels: Invalid value: "": name part must be non-empty',
    "metadata.labels: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
});
