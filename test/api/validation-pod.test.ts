import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../src/api/types.js';
import { checkRows, container, errors, meta, pod, type Row, warnings } from './admission-fixtures.js';

const c = container;

test('Pod: containers — required, DNS-label names unique across init and app containers, image required (validateContainers)', () => {
  checkRows([
    ['no containers', pod({}), 'spec.containers: Required value'],
    ['empty containers', pod({ containers: [] }), 'spec.containers: Required value'],
    [
      'bad name',
      pod({ containers: [c({ name: 'App_1' })] }),
      'spec.containers[0].name: Invalid value: "App_1": a lowercase RFC 1123 label',
    ],
    ['missing name', pod({ containers: [{ image: 'x' }] }), 'spec.containers[0].name: Required value'],
    ['duplicate name', pod({ containers: [c(), c()] }), 'spec.containers[1].name: Duplicate value: "app"'],
    [
      'init shares names',
      pod({ containers: [c()], initContainers: [c()] }),
      'spec.initContainers[0].name: Duplicate value: "app"',
    ],
    ['image required', pod({ containers: [{ name: 'a' }] }), 'spec.containers[0].image: Required value'],
    [
      'pod name',
      pod({ containers: [c()] }, meta('Web')),
      'metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain',
    ],
    ['pod name with dots', pod({ containers: [c()] }, meta('web.v1')), null],
  ]);
});

test('Pod: container ports — ranges, IANA names unique per container, protocols, hostIP (validateContainerPorts)', () => {
  const ports = (...p: Record<string, unknown>[]) => pod({ containers: [c({ ports: p })] });
  const rows: Row[] = [
    [
      'containerPort required',
      ports({ name: 'http' }),
      'spec.containers[0].ports[0].containerPort: Required value',
    ],
    [
      'containerPort range',
      ports({ containerPort: 70000 }),
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'hostPort range',
      ports({ containerPort: 80, hostPort: -1 }),
      'spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive',
    ],
    [
      'protocol',
      ports({ containerPort: 80, protocol: 'tcp' }),
      'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    ],
    [
      'name format',
      ports({ containerPort: 80, name: 'web_http' }),
      'spec.containers[0].ports[0].name: Invalid value: "web_http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    ],
    [
      'name too long',
      ports({ containerPort: 80, name: 'a-very-long-port-name' }),
      'spec.containers[0].ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters',
    ],
    [
      'name unique',
      ports({ containerPort: 80, name: 'http' }, { containerPort: 81, name: 'http' }),
      'spec.containers[0].ports[1].name: Duplicate value: "http"',
    ],
    [
      'hostIP',
      ports({ containerPort: 80, hostPort: 80, hostIP: '1.2.3' }),
      'spec.containers[0].ports[0].hostIP: Invalid value: "1.2.3": must be a valid IP address',
    ],
    [
      'hostPort conflict in one pod',
      pod({
        containers: [
          c({ ports: [{ containerPort: 80, hostPort: 8080 }] }),
          c({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] }),
        ],
      }),
      'spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/8080"',
    ],
    [
      'same hostPort, other protocol',
      pod({
        containers: [
          c({
            ports: [
              { containerPort: 53, hostPort: 53 },
              { containerPort: 53, hostPort: 53, protocol: 'UDP' },
            ],
          }),
        ],
      }),
      null,
    ],
  ];
  checkRows(rows);
});

test('Pod: hostNetwork — hostPort must equal containerPort (validateHostNetwork)', () => {
  checkRows([
    ['defaulted', pod({ hostNetwork: true, containers: [c({ ports: [{ containerPort: 8080 }] })] }), null],
    [
      'mismatch',
      pod({ hostNetwork: true, containers: [c({ ports: [{ containerPort: 8080, hostPort: 80 }] })] }),
      'spec.containers[0].ports[0].hostPort: Invalid value: 80: must match `containerPort` when `hostNetwork` is true',
    ],
    [
      'init containers are not checked (upstream checks app containers only)',
      pod({
        hostNetwork: true,
        containers: [c()],
        initContainers: [c({ name: 'i', ports: [{ containerPort: 1, hostPort: 2 }] })],
      }),
      null,
    ],
  ]);
});

test('Pod: DNS — dnsPolicy values, dnsConfig limits, None needs nameservers, hostname/subdomain labels, hostAliases (validatePodDNSConfig)', () => {
  checkRows([
    [
      'policy',
      pod({ containers: [c()], dnsPolicy: 'ClusterFirstWithHostnet' }),
      'spec.dnsPolicy: Unsupported value: "ClusterFirstWithHostnet": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
    [
      'None without config',
      pod({ containers: [c()], dnsPolicy: 'None' }),
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    ],
    [
      'None without nameservers',
      pod({ containers: [c()], dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } }),
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
    [
      'None with nameserver',
      pod({ containers: [c()], dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }),
      null,
    ],
    [
      'four nameservers',
      pod({ containers: [c()], dnsConfig: { nameservers: ['1.1.1.1', '1.0.0.1', '8.8.8.8', '9.9.9.9'] } }),
      'spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","1.0.0.1","8.8.8.8","9.9.9.9"]: must not have more than 3 nameservers',
    ],
    [
      'nameserver IP',
      pod({ containers: [c()], dnsConfig: { nameservers: ['dns.google'] } }),
      'spec.dnsConfig.nameservers[0]: Invalid value: "dns.google": must be a valid IP address',
    ],
    [
      '33 searches',
      pod({
        containers: [c()],
        dnsConfig: { searches: Array.from({ length: 33 }, (_, i) => `s${i}.example`) },
      }),
      'must not have more than 32 search paths',
    ],
    [
      'search list chars',
      pod({
        containers: [c()],
        dnsConfig: {
          searches: Array.from(
            { length: 11 },
            () => `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.dd`,
          ),
        },
      }),
      'must not have more than 2048 characters (including spaces) in the search list',
    ],
    [
      'search with underscore and dot',
      pod({ containers: [c()], dnsConfig: { searches: ['_sip._tcp.example.com.', '.'] } }),
      null,
    ],
    [
      'bad search',
      pod({ containers: [c()], dnsConfig: { searches: ['Example.com'] } }),
      'spec.dnsConfig.searches[0]: Invalid value: "Example.com"',
    ],
    [
      'option name',
      pod({ containers: [c()], dnsConfig: { options: [{ value: '2' }] } }),
      'spec.dnsConfig.options[0]: Required value: must not be empty',
    ],
    [
      'hostname',
      pod({ containers: [c()], hostname: 'web.1' }),
      'spec.hostname: Invalid value: "web.1": must not contain dots',
    ],
    ['subdomain', pod({ containers: [c()], subdomain: 'Web' }), 'spec.subdomain: Invalid value: "Web"'],
    [
      'hostAlias IP',
      pod({ containers: [c()], hostAliases: [{ ip: '010.1.1.1', hostnames: ['a'] }] }),
      'spec.hostAliases[0].ip: Invalid value: "010.1.1.1": must not have leading 0s',
    ],
    [
      'hostAlias name',
      pod({ containers: [c()], hostAliases: [{ ip: '10.1.1.1', hostnames: ['A_B'] }] }),
      'spec.hostAliases[0].hostnames[0]: Invalid value: "A_B"',
    ],
    [
      'restartPolicy',
      pod({ containers: [c()], restartPolicy: 'Sometimes' }),
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
  ]);
});

test('Pod: scheduling fields — nodeName, nodeSelector, tolerations, required node affinity (ValidateTolerations, ValidateNodeSelector)', () => {
  const affinity = (terms: unknown) =>
    pod({
      containers: [c()],
      affinity: {
        nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
      },
    });
  checkRows([
    [
      'nodeName',
      pod({ containers: [c()], nodeName: 'Worker_1' }),
      'spec.nodeName: Invalid value: "Worker_1"',
    ],
    [
      'nodeSelector value',
      pod({ containers: [c()], nodeSelector: { zone: 'a b' } }),
      'spec.nodeSelector: Invalid value: "a b": a valid label must be an empty string',
    ],
    [
      'toleration without key',
      pod({ containers: [c()], tolerations: [{ operator: 'Equal', value: 'x' }] }),
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
    [
      'toleration Exists with value',
      pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }),
      "value must be empty when `operator` is 'Exists'",
    ],
    [
      'toleration seconds',
      pod({ containers: [c()], tolerations: [{ key: 'k', tolerationSeconds: 10, effect: 'NoSchedule' }] }),
      'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
    [
      'toleration effect',
      pod({ containers: [c()], tolerations: [{ key: 'k', effect: 'NoRun' }] }),
      'spec.tolerations[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
    ['match all', pod({ containers: [c()], tolerations: [{ operator: 'Exists' }] }), null],
    [
      'no terms',
      affinity([]),
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ],
    [
      'In without values',
      affinity([{ matchExpressions: [{ key: 'zone', operator: 'In' }] }]),
      "nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'Gt with two values',
      affinity([{ matchExpressions: [{ key: 'n', operator: 'Gt', values: ['1', '2'] }] }]),
      "must be specified single value when `operator` is 'Lt' or 'Gt'",
    ],
    [
      'bad operator',
      affinity([{ matchExpressions: [{ key: 'n', operator: 'Equals' }] }]),
      'matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator',
    ],
    [
      'matchFields key',
      affinity([{ matchFields: [{ key: 'metadata.namespace', operator: 'In', values: ['x'] }] }]),
      'matchFields[0].key: Invalid value: "metadata.namespace": not a valid field selector key',
    ],
    [
      'matchFields name',
      affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['podnet-worker'] }] }]),
      null,
    ],
  ]);
});

test('Pod: status podIPs/hostIPs — valid, one per family, no duplicates (validatePodIPs)', () => {
  const withIPs = (podIPs: unknown) => {
    const p = pod({ containers: [c()] }) as KubeObject & Record<string, unknown>;
    p.status = { podIPs };
    return p;
  };
  checkRows([
    ['dual-stack', withIPs([{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }]), null],
    [
      'bad',
      withIPs([{ ip: '10.244.1' }]),
      'status.podIPs[0]: Invalid value: "10.244.1": must be a valid IP address',
    ],
    [
      'two IPv4',
      withIPs([{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }]),
      'status.podIPs: Invalid value: [{"ip":"10.244.1.5"},{"ip":"10.244.1.6"}]: may specify no more than one IP for each IP family',
    ],
    [
      'duplicate',
      withIPs([{ ip: '10.244.1.5' }, { ip: '10.244.1.5' }]),
      'status.podIPs[1]: Duplicate value: {"ip":"10.244.1.5"}',
    ],
    ['4in6', withIPs([{ ip: '::ffff:10.0.0.1' }]), 'must not be an IPv4-mapped IPv6 address'],
  ]);
});

test('Pod: the API server warns about a containerPort/protocol declared twice in one pod (pkg/api/pod/warnings.go)', () => {
  const w = (containers: unknown[], extra: Record<string, unknown> = {}) =>
    warnings(pod({ containers, ...extra }));
  assert.deepEqual(
    w([c({ ports: [{ containerPort: 80 }] }), c({ name: 'b', ports: [{ containerPort: 80 }] })]),
    ['spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]'],
  );
  assert.deepEqual(
    w([c({ ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }] })]),
    [],
    'other protocol',
  );
  assert.deepEqual(w([c({ ports: [{ containerPort: 80 }, { containerPort: 80, hostPort: 8080 }] })]), [
    'spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]',
  ]);
  assert.deepEqual(
    w([
      c({
        ports: [
          { containerPort: 80, hostPort: 80, hostIP: '10.0.0.1' },
          { containerPort: 80, hostPort: 80 },
        ],
      }),
    ]),
    ['spec.containers[0].ports[1]: dangerously ambiguous port definition with spec.containers[0].ports[0]'],
  );
  assert.deepEqual(w([c({ ports: [{ containerPort: 80, hostIP: '10.0.0.1' }] })]), [
    'spec.containers[0].ports[0]: hostIP set without hostPort: {Name: HostPort:0 ContainerPort:80 Protocol:TCP HostIP:10.0.0.1}',
  ]);
  assert.deepEqual(
    w([c({ ports: [{ containerPort: 80 }] })], {
      initContainers: [c({ name: 'i', ports: [{ containerPort: 80 }] })],
    }),
    ['spec.containers[0].ports[0]: duplicate port definition with spec.initContainers[0].ports[0]'],
  );
  assert.deepEqual(
    w([c()], {
      hostAliases: [
        { ip: '10.0.0.1', hostnames: ['a'] },
        { ip: '10.0.0.1', hostnames: ['b'] },
      ],
    }),
    ['spec.hostAliases[1].ip: duplicate ip "10.0.0.1"'],
  );
  assert.deepEqual(
    errors(
      pod({
        containers: [c({ ports: [{ containerPort: 80 }] }), c({ name: 'b', ports: [{ containerPort: 80 }] })],
      }),
    ),
    [],
    'a warning, not an error',
  );
});
