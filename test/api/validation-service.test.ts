import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dualStackClusterConfig } from '../../src/api/cluster-config.js';
import { checkRows, errors, meta, type Row, service, warnings } from './admission-fixtures.js';

const p80 = [{ port: 80 }];

test('Service: name is a DNS-1035 label (ValidateServiceName)', () => {
  checkRows([
    ['letters first', service({ ports: p80 }, meta('web-1')), null],
    [
      'digit first',
      service({ ports: p80 }, meta('1web')),
      'metadata.name: Invalid value: "1web": a DNS-1035 label must consist',
    ],
    [
      'dots',
      service({ ports: p80 }, meta('web.shop')),
      'metadata.name: Invalid value: "web.shop": a DNS-1035 label',
    ],
    [
      'bad namespace',
      service({ ports: p80 }, meta('web', { namespace: 'Shop' })),
      'metadata.namespace: Invalid value: "Shop": a lowercase RFC 1123 label',
    ],
  ]);
});

test('Service: ports — required unless headless or ExternalName, names, ranges, protocols, duplicates (validateServicePort)', () => {
  const rows: Row[] = [
    ['no ports', service({ selector: { a: 'b' } }), 'spec.ports: Required value'],
    ['headless needs no ports', service({ clusterIP: 'None' }), null],
    ['ExternalName needs no ports', service({ type: 'ExternalName', externalName: 'db.example.com' }), null],
    [
      'port 0',
      service({ ports: [{ port: 0 }] }),
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
    [
      'port 65536',
      service({ ports: [{ port: 65536 }] }),
      'spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
    ],
    [
      'protocol',
      service({ ports: [{ port: 80, protocol: 'ICMP' }] }),
      'spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'names required with >1 port',
      service({ ports: [{ port: 80 }, { port: 443, name: 'https' }] }),
      'spec.ports[0].name: Required value',
    ],
    [
      'name is a DNS label',
      service({ ports: [{ port: 80, name: 'Web_1' }] }),
      'spec.ports[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label',
    ],
    [
      'unique names',
      service({
        ports: [
          { port: 80, name: 'web' },
          { port: 81, name: 'web' },
        ],
      }),
      'spec.ports[1].name: Duplicate value: "web"',
    ],
    [
      'unique port/protocol',
      service({
        ports: [
          { port: 80, name: 'a' },
          { port: 80, name: 'b' },
        ],
      }),
      'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
    ],
    [
      'same port, other protocol',
      service({
        ports: [
          { port: 53, name: 'dns' },
          { port: 53, name: 'dns-tcp', protocol: 'UDP' },
        ],
      }),
      null,
    ],
    [
      'targetPort range',
      service({ ports: [{ port: 80, targetPort: 70000 }] }),
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'targetPort name',
      service({ ports: [{ port: 80, targetPort: 'HTTP' }] }),
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    ['named targetPort', service({ ports: [{ port: 80, targetPort: 'http' }] }), null],
    ['appProtocol', service({ ports: [{ port: 80, appProtocol: 'kubernetes.io/h2c' }] }), null],
    [
      'bad appProtocol',
      service({ ports: [{ port: 80, appProtocol: 'h t t p' }] }),
      'spec.ports[0].appProtocol: Invalid value: "h t t p"',
    ],
  ];
  checkRows(rows);
});

test('Service: nodePort only for NodePort/LoadBalancer, unique per protocol, within the cluster node port range', () => {
  checkRows([
    [
      'ClusterIP with nodePort',
      service({ ports: [{ port: 80, nodePort: 30080 }] }),
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ],
    ['NodePort', service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), null],
    [
      'duplicate nodePort',
      service({
        type: 'NodePort',
        ports: [
          { port: 80, name: 'a', nodePort: 30080 },
          { port: 81, name: 'b', nodePort: 30080 },
        ],
      }),
      'spec.ports[1].nodePort: Duplicate value: 30080',
    ],
    [
      'same nodePort for TCP and UDP',
      service({
        type: 'NodePort',
        ports: [
          { port: 53, name: 'a', nodePort: 30053 },
          { port: 53, name: 'b', protocol: 'UDP', nodePort: 30053 },
        ],
      }),
      null,
    ],
    [
      'outside the range',
      service({ type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] }),
      'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767; if the manifests come from a cluster with another node port range, give it in the cluster config file (--config)',
    ],
  ]);
});

test('Service: clusterIP / clusterIPs / ipFamilies / ipFamilyPolicy (ValidateServiceClusterIPsRelatedFields)', () => {
  checkRows([
    ['valid clusterIP', service({ ports: p80, clusterIP: '10.96.0.20' }), null],
    ['headless', service({ ports: p80, clusterIP: 'None' }), null],
    [
      'bad IP',
      service({ ports: p80, clusterIP: '10.96.0' }),
      'spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'leading zeros',
      service({ ports: p80, clusterIP: '10.96.0.020' }),
      'spec.clusterIPs[0]: Invalid value: "10.96.0.020": must not have leading 0s',
    ],
    [
      'clusterIPs without clusterIP',
      service({ ports: p80, clusterIPs: ['10.96.0.20'] }),
      'spec.clusterIPs: Invalid value: ["10.96.0.20"]: must be empty when `clusterIP` is not specified',
    ],
    [
      'mismatch',
      service({ ports: p80, clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.21'] }),
      'spec.clusterIPs: Invalid value: ["10.96.0.21"]: first value must match `clusterIP`',
    ],
    [
      'None not alone',
      service({ ports: p80, clusterIP: 'None', clusterIPs: ['None', '10.96.0.1'] }),
      "'None' must be the first and only value",
    ],
    [
      'two IPv4',
      service({
        ports: p80,
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20', '10.96.0.21'],
        ipFamilyPolicy: 'PreferDualStack',
      }),
      'may specify no more than one IP for each IP family',
    ],
    [
      'family value',
      service({ ports: p80, ipFamilies: ['IPv5'] }),
      'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
    ],
    [
      'family duplicate',
      service({ ports: p80, ipFamilies: ['IPv4', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' }),
      'spec.ipFamilies[1]: Duplicate value: "IPv4"',
    ],
    [
      'policy value',
      service({ ports: p80, ipFamilyPolicy: 'DualStack' }),
      'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ],
    [
      'family vs IP',
      service({ ports: p80, clusterIP: '10.96.0.20', ipFamilies: ['IPv6'] }),
      'spec.clusterIPs[0]: Invalid value: "10.96.0.20": expected an IPv6 value as indicated by `ipFamilies[0]`',
    ],
    [
      'LoadBalancer headless',
      service({ type: 'LoadBalancer', ports: p80, clusterIP: 'None' }),
      'spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services',
    ],
  ]);
});

test('Service: a clusterIP outside the cluster service CIDR is refused, naming the range and the config file', () => {
  const [msg] = errors(service({ ports: p80, clusterIP: '10.0.0.10' }));
  assert.equal(
    msg,
    'spec.clusterIPs: Invalid value: ["10.0.0.10"]: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/16; if the manifests come from a cluster with other service CIDRs, give them in the cluster config file (--config)',
  );
  assert.equal(
    errors(service({ ports: p80, clusterIP: '10.96.0.0' })).length,
    1,
    'the network address is never allocated',
  );
  assert.equal(
    errors(service({ ports: p80, clusterIP: '10.96.255.255' })).length,
    1,
    'nor the IPv4 broadcast address',
  );
  assert.equal(
    errors(service({ ports: p80, clusterIP: 'fd00:10:96::20' })).length,
    1,
    'a family the cluster lacks',
  );
  const dual = dualStackClusterConfig();
  assert.deepEqual(
    errors(
      service({
        ports: p80,
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20', 'fd00:10:96::20'],
        ipFamilyPolicy: 'RequireDualStack',
      }),
      dual,
    ),
    [],
  );
});

test('Service: ExternalName — a DNS name, and no cluster IP fields', () => {
  checkRows([
    ['fully qualified with dot', service({ type: 'ExternalName', externalName: 'db.example.com.' }), null],
    ['missing', service({ type: 'ExternalName' }), 'spec.externalName: Required value'],
    [
      'bad',
      service({ type: 'ExternalName', externalName: 'db_1.example.com' }),
      'spec.externalName: Invalid value: "db_1.example.com"',
    ],
    [
      'clusterIP',
      service({ type: 'ExternalName', externalName: 'a.b', clusterIP: '10.96.0.5' }),
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    ],
    [
      'ipFamilies',
      service({ type: 'ExternalName', externalName: 'a.b', ipFamilies: ['IPv4'] }),
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
    ],
    [
      'ipFamilyPolicy',
      service({ type: 'ExternalName', externalName: 'a.b', ipFamilyPolicy: 'SingleStack' }),
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ],
    [
      'type',
      service({ type: 'Headless', ports: p80 }),
      'spec.type: Unsupported value: "Headless": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ],
  ]);
});

test('Service: traffic policies, session affinity, load balancer fields, externalIPs', () => {
  checkRows([
    [
      'ETP on ClusterIP',
      service({ ports: p80, externalTrafficPolicy: 'Local' }),
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ],
    [
      'ETP value',
      service({ type: 'NodePort', ports: p80, externalTrafficPolicy: 'Node' }),
      'spec.externalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ],
    [
      'ITP value',
      service({ ports: p80, internalTrafficPolicy: 'Node' }),
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ],
    ['ITP Local', service({ ports: p80, internalTrafficPolicy: 'Local' }), null],
    [
      'healthCheckNodePort needs LB + Local',
      service({ type: 'NodePort', ports: p80, healthCheckNodePort: 30500 }),
      "spec.healthCheckNodePort: Invalid value: 30500: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ],
    [
      'affinity value',
      service({ ports: p80, sessionAffinity: 'Cookie' }),
      'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"',
    ],
    [
      'affinity timeout',
      service({
        ports: p80,
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } },
      }),
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
    ],
    [
      'affinity timeout max',
      service({
        ports: p80,
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } },
      }),
      null,
    ],
    [
      'source ranges on ClusterIP',
      service({ ports: p80, loadBalancerSourceRanges: ['10.0.0.0/8'] }),
      "spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
    [
      'source range host bits',
      service({ type: 'LoadBalancer', ports: p80, loadBalancerSourceRanges: ['10.0.0.1/8'] }),
      'spec.loadBalancerSourceRanges[0]: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
    ],
    [
      'source range padded',
      service({ type: 'LoadBalancer', ports: p80, loadBalancerSourceRanges: [' 10.0.0.0/8 '] }),
      null,
    ],
    [
      'source range garbage',
      service({ type: 'LoadBalancer', ports: p80, loadBalancerSourceRanges: ['everywhere'] }),
      'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'allocateLoadBalancerNodePorts',
      service({ type: 'NodePort', ports: p80, allocateLoadBalancerNodePorts: false }),
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
    [
      'loadBalancerClass',
      service({ ports: p80, loadBalancerClass: 'example.com/lb' }),
      "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
    [
      'externalIP loopback',
      service({ ports: p80, externalIPs: ['127.0.0.1'] }),
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ],
    [
      'externalIP canonical',
      service({ ports: p80, externalIPs: ['2001:DB8::1'] }),
      'spec.externalIPs[0]: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")',
    ],
    [
      'selector keys',
      service({ ports: p80, selector: { 'app/x/y': 'a' } }),
      'spec.selector: Invalid value: "app/x/y": a valid label key must consist',
    ],
    [
      'trafficDistribution',
      service({ ports: p80, trafficDistribution: 'Nearest' }),
      'spec.trafficDistribution: Unsupported value: "Nearest"',
    ],
  ]);
});

test('Service: the API server warnings for ignored fields (pkg/api/service/warnings.go)', () => {
  assert.deepEqual(
    warnings(service({ clusterIP: 'None', externalIPs: ['192.0.2.1'], sessionAffinity: 'ClientIP' })),
    [
      'spec.externalIPs is ignored for headless services',
      'spec.SessionAffinity is ignored for headless services',
    ],
  );
  assert.deepEqual(warnings(service({ ports: p80, externalName: 'x.example.com' })), [
    'spec.externalName is ignored when spec.type is not "ExternalName"',
  ]);
  assert.deepEqual(warnings(service({ ports: p80 })), []);
});
