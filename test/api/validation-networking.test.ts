import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRows, object, type Row, warnings } from './admission-fixtures.js';

const netpol = (spec: Record<string, unknown>) =>
  object('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, ...spec } });
const ingress = (spec: Record<string, unknown>, metadata?: Record<string, unknown>) =>
  object('networking.k8s.io/v1', 'Ingress', { spec }, metadata);
const ingressClass = (spec: Record<string, unknown>) =>
  object('networking.k8s.io/v1', 'IngressClass', { spec });
const backend = { service: { name: 'web', port: { number: 80 } } };
const path = (p: Record<string, unknown>) => ({
  rules: [{ host: 'shop.example.com', http: { paths: [{ backend, ...p }] } }],
});

test('NetworkPolicy: peers — one kind of peer with ipBlock, valid CIDRs, except strictly inside cidr (ValidateNetworkPolicyPeer, ValidateIPBlock)', () => {
  const from = (...peers: unknown[]) => netpol({ ingress: [{ from: peers }] });
  const rows: Row[] = [
    [
      'pod and namespace selector together',
      from({ podSelector: { matchLabels: { a: 'b' } }, namespaceSelector: {} }),
      null,
    ],
    ['empty peer', from({}), 'spec.ingress[0].from[0]: Required value: must specify a peer'],
    [
      'ipBlock with selector',
      from({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }),
      'spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ],
    [
      'cidr required',
      from({ ipBlock: { cidr: '' } }),
      'spec.ingress[0].from[0].ipBlock.cidr: Required value',
    ],
    [
      'cidr garbage',
      from({ ipBlock: { cidr: '10.0.0.0' } }),
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'cidr host bits',
      from({ ipBlock: { cidr: '10.1.2.3/8' } }),
      'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.1.2.3/8": must not have bits set beyond the prefix length',
    ],
    [
      'cidr leading zeros',
      from({ ipBlock: { cidr: '010.0.0.0/8' } }),
      'must not have leading 0s in IP or prefix length',
    ],
    ['except inside', from({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }), null],
    [
      'except equal',
      from({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }),
      'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    ],
    [
      'except outside',
      from({ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }),
      'must be a strict subset of `cidr`',
    ],
    [
      'except other family',
      from({ ipBlock: { cidr: '10.0.0.0/8', except: ['fd00::/64'] } }),
      'must be a strict subset of `cidr`',
    ],
    ['IPv6', netpol({ egress: [{ to: [{ ipBlock: { cidr: 'fd00::/48', except: ['fd00::/64'] } }] }] }), null],
    [
      'selector values',
      from({ podSelector: { matchLabels: { app: 'a b' } } }),
      'spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "a b"',
    ],
    [
      'podSelector',
      netpol({ podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] } }),
      "spec.podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
  ];
  checkRows(rows);
});

test('NetworkPolicy: ports — protocol, port range or name, endPort needs a numeric port and is >= port (ValidateNetworkPolicyPort)', () => {
  const ports = (...p: unknown[]) => netpol({ ingress: [{ ports: p }] });
  checkRows([
    ['range', ports({ port: 32000, endPort: 32768 }), null],
    ['named', ports({ port: 'http' }), null],
    [
      'protocol',
      ports({ protocol: 'ICMP', port: 1 }),
      'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    ],
    [
      'port 0',
      ports({ port: 0 }),
      'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    ['bad name', ports({ port: 'HTTP' }), 'spec.ingress[0].ports[0].port: Invalid value: "HTTP"'],
    [
      'endPort < port',
      ports({ port: 100, endPort: 99 }),
      'spec.ingress[0].ports[0].endPort: Invalid value: 100: must be greater than or equal to `port`',
    ],
    [
      'endPort range',
      ports({ port: 100, endPort: 70000 }),
      'spec.ingress[0].ports[0].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'endPort with name',
      ports({ port: 'http', endPort: 90 }),
      'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
    ],
    [
      'endPort alone',
      ports({ endPort: 90 }),
      'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is not specified',
    ],
    [
      'policyTypes',
      netpol({ policyTypes: ['Ingress', 'Outbound'] }),
      'spec.policyTypes[1]: Unsupported value: "Outbound": supported values: "Ingress", "Egress"',
    ],
    [
      'three policyTypes',
      netpol({ policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
      'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
    ],
  ]);
});

test('Ingress: rules, hosts, paths and backends (validateIngressSpec, validateHTTPIngressPath, validateIngressBackend)', () => {
  const rows: Row[] = [
    ['valid', ingress(path({ path: '/', pathType: 'Prefix' })), null],
    ['nothing', ingress({}), 'spec: Invalid value: []: either `defaultBackend` or `rules` must be specified'],
    ['default backend only', ingress({ defaultBackend: backend }), null],
    [
      'wildcard host',
      ingress({
        rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }],
      }),
      null,
    ],
    [
      'wildcard inside',
      ingress({ rules: [{ host: 'shop.*.com' }] }),
      'spec.rules[0].host: Invalid value: "shop.*.com": a wildcard DNS-1123 subdomain must start with',
    ],
    [
      'IP host',
      ingress({ rules: [{ host: '192.0.2.1' }] }),
      'spec.rules[0].host: Invalid value: "192.0.2.1": must be a DNS name, not an IP address',
    ],
    [
      'host with port',
      ingress({ rules: [{ host: 'shop.example.com:8080' }] }),
      'spec.rules[0].host: Invalid value: "shop.example.com:8080"',
    ],
    [
      'http without paths',
      ingress({ rules: [{ host: 'a.b', http: { paths: [] } }] }),
      'spec.rules[0].http.paths: Required value',
    ],
    [
      'pathType required',
      ingress(path({ path: '/' })),
      'spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    ],
    [
      'pathType value',
      ingress(path({ path: '/', pathType: 'Regex' })),
      'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
    ],
    [
      'relative Prefix',
      ingress(path({ path: 'api', pathType: 'Prefix' })),
      'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    ],
    [
      'empty Exact',
      ingress(path({ pathType: 'Exact' })),
      'spec.rules[0].http.paths[0].path: Invalid value: "": must be an absolute path',
    ],
    [
      'dot segments',
      ingress(path({ path: '/a/../b', pathType: 'Prefix' })),
      'spec.rules[0].http.paths[0].path: Invalid value: "/a/../b": must not contain \'/../\'',
    ],
    ['trailing dot', ingress(path({ path: '/a/.', pathType: 'Exact' })), "cannot end with '/.'"],
    ['ImplementationSpecific empty', ingress(path({ pathType: 'ImplementationSpecific' })), null],
    [
      'ImplementationSpecific regex',
      ingress(path({ path: '/api/(.*)', pathType: 'ImplementationSpecific' })),
      null,
    ],
    [
      'both backends',
      ingress({ defaultBackend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } }),
      'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends',
    ],
    [
      'no backend',
      ingress({ defaultBackend: {} }),
      'spec.defaultBackend: Invalid value: "": resource or service backend is required',
    ],
    [
      'port name and number',
      ingress({ defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }),
      'spec.defaultBackend: Invalid value: "": cannot set both port name & port number',
    ],
    [
      'no port',
      ingress({ defaultBackend: { service: { name: 'web' } } }),
      'spec.defaultBackend: Required value: port name or number is required',
    ],
    [
      'service name',
      ingress({ defaultBackend: { service: { name: '1web', port: { number: 80 } } } }),
      'spec.defaultBackend.service.name: Invalid value: "1web": a DNS-1035 label',
    ],
    [
      'port number',
      ingress({ defaultBackend: { service: { name: 'web', port: { number: 70000 } } } }),
      'spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'resource',
      ingress({ defaultBackend: { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'a/b' } } }),
      'spec.defaultBackend.resource.name: Invalid value: "a/b": may not contain \'/\'',
    ],
    [
      'TLS host',
      ingress({ defaultBackend: backend, tls: [{ hosts: ['Shop.example.com'], secretName: 'tls' }] }),
      'spec.tls[0].hosts[0]: Invalid value: "Shop.example.com"',
    ],
    [
      'TLS secret',
      ingress({ defaultBackend: backend, tls: [{ hosts: ['*.example.com'], secretName: 'TLS' }] }),
      'spec.tls[0].secretName: Invalid value: "TLS"',
    ],
    [
      'class name',
      ingress({ defaultBackend: backend, ingressClassName: 'Nginx' }),
      'spec.ingressClassName: Invalid value: "Nginx"',
    ],
  ];
  checkRows(rows);
});

test('Ingress: the kubernetes.io/ingress.class annotation is deprecated (registry warning)', () => {
  assert.deepEqual(
    warnings(
      ingress(
        { defaultBackend: backend },
        { name: 'x', annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      ),
    ),
    [`annotation "kubernetes.io/ingress.class" is deprecated, please use 'spec.ingressClassName' instead`],
  );
});

test('IngressClass: a domain-prefixed controller and well-scoped parameters (validateIngressClassSpec)', () => {
  checkRows([
    ['valid', ingressClass({ controller: 'k8s.io/ingress-nginx' }), null],
    ['controller required', ingressClass({}), 'spec.controller: Required value'],
    [
      'not prefixed',
      ingressClass({ controller: 'nginx' }),
      'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")',
    ],
    [
      'too long',
      ingressClass({ controller: `k8s.io/${'a'.repeat(250)}` }),
      'spec.controller: Too long: may not be more than 250 bytes',
    ],
    [
      'namespaced params',
      ingressClass({
        controller: 'a.io/b',
        parameters: { kind: 'P', name: 'p', scope: 'Namespace', namespace: 'ops' },
      }),
      null,
    ],
    [
      'namespace required',
      ingressClass({ controller: 'a.io/b', parameters: { kind: 'P', name: 'p', scope: 'Namespace' } }),
      "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
    ],
    [
      'namespace forbidden',
      ingressClass({ controller: 'a.io/b', parameters: { kind: 'P', name: 'p', namespace: 'ops' } }),
      "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
    ],
    [
      'scope',
      ingressClass({ controller: 'a.io/b', parameters: { kind: 'P', name: 'p', scope: 'Global' } }),
      'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", "Namespace"',
    ],
    [
      'kind required',
      ingressClass({ controller: 'a.io/b', parameters: { name: 'p' } }),
      'spec.parameters.kind: Required value: kind is required',
    ],
  ]);
});
