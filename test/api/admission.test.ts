import assert from 'node:assert/strict';
import { test } from 'node:test';
import { admit } from '../../src/api/admission.js';
import type { KubeObject } from '../../src/api/types.js';
import {
  admitted,
  config,
  container,
  deployment,
  errors,
  meta,
  object,
  pod,
  service,
} from './admission-fixtures.js';

test('admission: a kind is served only at its group/version (kubectl: no matches for kind)', () => {
  const rows: [string, string, string | null][] = [
    ['Ingress', 'extensions/v1beta1', 'no matches for kind "Ingress" in version "extensions/v1beta1"'],
    [
      'Ingress',
      'networking.k8s.io/v1beta1',
      'no matches for kind "Ingress" in version "networking.k8s.io/v1beta1"',
    ],
    ['Deployment', 'v1', 'no matches for kind "Deployment" in version "v1"'],
    ['Deployment', 'extensions/v1beta1', 'no matches for kind "Deployment" in version "extensions/v1beta1"'],
    [
      'EndpointSlice',
      'discovery.k8s.io/v1beta1',
      'no matches for kind "EndpointSlice" in version "discovery.k8s.io/v1beta1"',
    ],
    ['NetworkPolicy', 'networking.k8s.io/v1', null],
    ['Namespace', '', 'apiVersion not set'],
  ];
  for (const [kind, apiVersion, want] of rows) {
    const got = errors(object(apiVersion, kind, {}));
    if (want === null) assert.ok(!got.some((m) => m.includes('no matches')), `${kind} ${apiVersion}`);
    else assert.deepEqual(got, [want], `${kind} ${apiVersion}`);
  }
});

test('admission: a wrong JSON type is a decoding error, in the openapi wording, at every level', () => {
  const rows: [KubeObject, string][] = [
    [
      service({ ports: [{ port: '80' }] }),
      'spec.ports[0].port: Invalid value: "80": spec.ports[0].port in body must be of type integer: "string"',
    ],
    [
      service({ ports: [{ port: 80.5 }] }),
      'spec.ports[0].port: Invalid value: 80.5: spec.ports[0].port in body must be of type integer: "number"',
    ],
    [
      service({ ports: [{ port: 2 ** 40 }] }),
      'spec.ports[0].port: Invalid value: 1099511627776: spec.ports[0].port in body must be of type int32',
    ],
    [
      service({ ports: { port: 80 } }),
      'spec.ports: Invalid value: "object": spec.ports in body must be of type array: "object"',
    ],
    [
      service({ selector: { app: 1 } }),
      'spec.selector[app]: Invalid value: 1: spec.selector[app] in body must be of type string: "integer"',
    ],
    [
      service({ ports: [{ port: 80, targetPort: true }] }),
      'spec.ports[0].targetPort in body must be of type integer or string: "boolean"',
    ],
    [
      service({ publishNotReadyAddresses: 'yes' }),
      'spec.publishNotReadyAddresses in body must be of type boolean: "string"',
    ],
    [service('spec' as never), 'spec in body must be of type object: "string"'],
    [
      pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: [80] }] }] }),
      'spec.containers[0].ports[0].containerPort in body must be of type integer: "array"',
    ],
    [pod({ containers: ['nginx'] }), 'spec.containers[0] in body must be of type object: "string"'],
    [
      pod({ containers: [container()] }, { name: 'p', labels: ['a'] }),
      'metadata.labels in body must be of type object: "array"',
    ],
    [
      pod({ containers: [container()] }, { name: 'p', creationTimestamp: 'yesterday' }),
      'metadata.creationTimestamp in body must be of type date-time: "yesterday"',
    ],
    [
      pod({ containers: [container({ livenessProbe: 'tcp' })] }),
      'spec.containers[0].livenessProbe in body must be of type object: "string"',
    ],
    [
      pod({ containers: [container({ env: [{ name: 'A', value: 1 }] })] }),
      'spec.containers[0].env[0].value in body must be of type string: "integer"',
    ],
    [
      object('v1', 'Secret', { data: { key: 'not base64!' } }),
      'data[key] in body must be of type byte: illegal base64 data',
    ],
    [deployment({ replicas: '3' }), 'spec.replicas in body must be of type integer: "string"'],
  ];
  for (const [obj, want] of rows) {
    const got = errors(obj);
    assert.ok(
      got.some((m) => m === want || m.endsWith(want)),
      `want ${want}\ngot ${JSON.stringify(got)}`,
    );
  }
});

test('admission: strict field validation reports unknown fields by path (kubectl apply --validate=strict)', () => {
  const rows: [KubeObject, string[]][] = [
    [service({ ports: [{ port: 80 }], foo: 1 }), ['unknown field "spec.foo"']],
    [pod({ contianers: [container()] }), ['unknown field "spec.contianers"']],
    [
      pod({ containers: [container({ imagePullPolicy: 'Always', porst: [] })] }),
      ['unknown field "spec.containers[0].porst"'],
    ],
    [
      pod({ containers: [container({ ports: [{ containerPort: 80, hostport: 80 }] })] }),
      ['unknown field "spec.containers[0].ports[0].hostport"'],
    ],
    [
      deployment({ template: { metadata: { lables: {} }, spec: { containers: [container()] } } }),
      ['unknown field "spec.template.metadata.lables"'],
    ],
    [
      object('v1', 'Service', { spec: { ports: [{ port: 80 }] }, sepc: {} }, meta('web')),
      ['unknown field "sepc"'],
    ],
    [
      object('v1', 'Pod', { spec: { containers: [container()] } }, meta('p', { lables: { a: 'b' } })),
      ['unknown field "metadata.lables"'],
    ],
    [
      object('networking.k8s.io/v1', 'NetworkPolicy', {
        spec: { podSelector: { matchLabel: {} }, ingress: [{ form: [] }] },
      }),
      ['unknown field "spec.podSelector.matchLabel"', 'unknown field "spec.ingress[0].form"'],
    ],
  ];
  for (const [obj, want] of rows) assert.deepEqual(errors(obj), want);
});

test('admission: real manifests with volumes, probes, resources and security contexts pass the type check (PodSpec/Container field lists)', () => {
  const podSpec = {
    serviceAccountName: 'web',
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 10,
    priorityClassName: 'high',
    securityContext: { runAsNonRoot: true, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
    imagePullSecrets: [{ name: 'regcred' }],
    volumes: [
      { name: 'data', emptyDir: {} },
      { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
    ],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    readinessGates: [{ conditionType: 'example.com/ready' }],
    os: { name: 'linux' },
    initContainers: [
      { name: 'init', image: 'busybox', command: ['sh', '-c', 'true'], restartPolicy: 'Always' },
    ],
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        args: ['-g', 'daemon off;'],
        workingDir: '/',
        ports: [{ name: 'http', containerPort: 80 }],
        env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        envFrom: [{ configMapRef: { name: 'cfg' } }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        readinessProbe: { tcpSocket: { port: 80 } },
        startupProbe: { exec: { command: ['true'] } },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        stdin: false,
        tty: false,
      },
    ],
  };
  assert.deepEqual(errors(pod(podSpec)), []);
  const d = deployment({
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: podSpec },
  });
  assert.deepEqual(errors(d), []);
});

test('admission: kubectl get -o yaml snapshots, with status and server-set metadata, are admitted', () => {
  const snapshot = pod(
    { containers: [container()], nodeName: 'podnet-worker' },
    meta('p', {
      uid: '7c1a',
      resourceVersion: '123',
      generation: 1,
      creationTimestamp: '2024-05-01T10:00:00Z',
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7c5d',
          uid: 'u1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsV1: { 'f:metadata': {} } }],
    }),
  ) as KubeObject & Record<string, unknown>;
  snapshot.status = {
    phase: 'Running',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    hostIP: '172.18.0.3',
    conditions: [
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:05Z' },
    ],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
    qosClass: 'BestEffort',
    startTime: '2024-05-01T10:00:00Z',
  };
  const r = admitted(snapshot);
  assert.deepEqual(r.errors, []);
  const status = r.object?.status as { hostIPs: unknown; conditions: Record<string, unknown>[] };
  assert.deepEqual(status.hostIPs, [{ ip: '172.18.0.3' }], 'the v1 conversion pairs hostIP and hostIPs');
  assert.equal(Object.hasOwn(status.conditions[0], 'lastProbeTime'), false, 'null decodes as absent');
});

test('admission: objects exported from a kind cluster (kubectl get -o yaml) are admitted as they are', () => {
  const exported = [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
        creationTimestamp: '2024-05-01T10:00:00Z',
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': 'kind-control-plane',
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        },
        name: 'kind-control-plane',
        resourceVersion: '1',
        uid: 'a',
      },
      spec: {
        podCIDR: '10.244.0.0/24',
        podCIDRs: ['10.244.0.0/24'],
        providerID: 'kind://docker/kind/kind-control-plane',
        taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
      },
      status: {
        addresses: [
          { address: '172.18.0.2', type: 'InternalIP' },
          { address: 'kind-control-plane', type: 'Hostname' },
        ],
        allocatable: { cpu: '8', 'ephemeral-storage': '1Ti', memory: '16Gi', pods: '110' },
        capacity: { cpu: '8' },
        conditions: [
          {
            lastHeartbeatTime: '2024-05-01T10:00:00Z',
            lastTransitionTime: '2024-05-01T10:00:00Z',
            message: 'kubelet is posting ready status',
            reason: 'KubeletReady',
            status: 'True',
            type: 'Ready',
          },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        images: [{ names: ['registry.k8s.io/etcd:3.5'], sizeBytes: 57000000 }],
        nodeInfo: {
          architecture: 'amd64',
          bootID: 'x',
          containerRuntimeVersion: 'containerd://1.7',
          kernelVersion: '6.1',
          kubeProxyVersion: '',
          kubeletVersion: 'v1.30.0',
          machineID: 'm',
          operatingSystem: 'linux',
          osImage: 'Debian',
          systemUUID: 'u',
        },
        runtimeHandlers: [{ features: { recursiveReadOnlyMounts: true }, name: 'runc' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
        creationTimestamp: '2024-05-01T10:00:00Z',
        labels: {
          'k8s-app': 'kube-dns',
          'kubernetes.io/cluster-service': 'true',
          'kubernetes.io/name': 'CoreDNS',
        },
        name: 'kube-dns',
        namespace: 'kube-system',
        resourceVersion: '1',
        uid: 'b',
      },
      spec: {
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        internalTrafficPolicy: 'Cluster',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
        type: 'ClusterIP',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      endpoints: [
        {
          addresses: ['10.244.0.3'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'kind-control-plane',
          targetRef: { kind: 'Pod', name: 'coredns-x', namespace: 'kube-system', uid: 'c' },
        },
      ],
      metadata: {
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2024-05-01T10:00:00Z' },
        creationTimestamp: '2024-05-01T10:00:00Z',
        generateName: 'kube-dns-',
        generation: 1,
        labels: {
          'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          'kubernetes.io/service-name': 'kube-dns',
        },
        name: 'kube-dns-abcde',
        namespace: 'kube-system',
        ownerReferences: [
          {
            apiVersion: 'v1',
            blockOwnerDeletion: true,
            controller: true,
            kind: 'Service',
            name: 'kube-dns',
            uid: 'b',
          },
        ],
        resourceVersion: '1',
        uid: 'd',
      },
      ports: [
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        generation: 1,
        labels: { 'k8s-app': 'kube-dns' },
        name: 'coredns',
        namespace: 'kube-system',
      },
      spec: {
        progressDeadlineSeconds: 600,
        replicas: 2,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { creationTimestamp: null, labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    podAffinityTerm: {
                      labelSelector: {
                        matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }],
                      },
                      topologyKey: 'kubernetes.io/hostname',
                    },
                    weight: 100,
                  },
                ],
              },
            },
            containers: [
              {
                args: ['-conf', '/etc/coredns/Corefile'],
                image: 'registry.k8s.io/coredns/coredns:v1.11.1',
                imagePullPolicy: 'IfNotPresent',
                livenessProbe: {
                  failureThreshold: 5,
                  httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                },
                name: 'coredns',
                ports: [
                  { containerPort: 53, name: 'dns', protocol: 'UDP' },
                  { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                  { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                ],
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                  readOnlyRootFilesystem: true,
                },
                terminationMessagePath: '/dev/termination-log',
                terminationMessagePolicy: 'File',
                volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
              },
            ],
            dnsPolicy: 'Default',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            priorityClassName: 'system-cluster-critical',
            restartPolicy: 'Always',
            schedulerName: 'default-scheduler',
            securityContext: {},
            serviceAccount: 'coredns',
            serviceAccountName: 'coredns',
            terminationGracePeriodSeconds: 30,
            tolerations: [
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
            ],
            volumes: [
              {
                configMap: {
                  defaultMode: 420,
                  items: [{ key: 'Corefile', path: 'Corefile' }],
                  name: 'coredns',
                },
                name: 'config-volume',
              },
            ],
          },
        },
      },
      status: {
        availableReplicas: 2,
        conditions: [],
        observedGeneration: 1,
        readyReplicas: 2,
        replicas: 2,
        updatedReplicas: 2,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        creationTimestamp: '2024-05-01T10:00:00Z',
        labels: { 'kubernetes.io/metadata.name': 'kube-system' },
        name: 'kube-system',
        resourceVersion: '1',
        uid: 'e',
      },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    },
  ] as unknown as KubeObject[];
  for (const obj of exported) {
    const r = admitted(obj);
    assert.deepEqual(
      r.errors.map((e) => e.message),
      [],
      obj.kind,
    );
    assert.deepEqual(
      r.warnings.map((e) => e.message),
      [],
      obj.kind,
    );
  }
});

test('admission: nothing is defaulted or validated when the type check fails; the input is never mutated', () => {
  const bad = service({ ports: [{ port: 'http' }] }, { name: 'Bad_Name' });
  const r = admitted(bad);
  assert.equal(r.errors.length, 1, 'only the decoding error, not the name error');
  assert.equal(r.object, undefined);

  const input = service({ selector: { app: 'web' }, ports: [{ port: 80 }] });
  const before = structuredClone(input);
  const ok = admitted(input);
  assert.deepEqual(input, before);
  assert.notEqual(ok.object, input);
  assert.notEqual(
    (ok.object as unknown as { spec: unknown }).spec,
    (input as unknown as { spec: unknown }).spec,
  );
});

test('admission: namespaced kinds default to namespace "default"; cluster-scoped kinds drop a namespace (rest.BeforeCreate)', () => {
  assert.equal(admitted(service({ ports: [{ port: 80 }] })).object?.metadata.namespace, 'default');
  assert.equal(
    admitted(service({ ports: [{ port: 80 }] }, meta('web', { namespace: 'shop' }))).object?.metadata
      .namespace,
    'shop',
  );
  const ns = admitted(object('v1', 'Namespace', {}, meta('shop', { namespace: 'default' })));
  assert.deepEqual(ns.errors, []);
  assert.equal(Object.hasOwn(ns.object?.metadata ?? {}, 'namespace'), false);
});

test('admission: generateName without a name is refused, since podnet needs stable names', () => {
  const got = errors(pod({ containers: [container()] }, { generateName: 'web-' }));
  assert.equal(got.length, 1);
  assert.match(
    got[0],
    /^metadata\.name: Required value: generateName is not supported: .*set metadata\.name$/,
  );
  assert.deepEqual(errors(pod({ containers: [container()] }, { name: 'web-1', generateName: 'web-' })), []);
  assert.deepEqual(errors(pod({ containers: [container()] }, {})), [
    'metadata.name: Required value: name or generateName is required',
  ]);
});

test('admission: hostile input — __proto__ keys, huge strings, 100k-item lists, deep nesting — neither crashes nor pollutes', () => {
  const proto = JSON.parse(
    '{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"__proto__":"x"}},"spec":{"ports":[{"port":80}],"__proto__":{"polluted":true}}}',
  );
  const got = errors(proto);
  assert.ok(got.includes('unknown field "spec.__proto__"'), JSON.stringify(got));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const labelled = admitted(
    JSON.parse(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":{"__proto__":"x"}},"spec":{"containers":[{"name":"a","image":"b","env":[{"name":"X","valueFrom":{"__proto__":{"a":1}}}]}]}}',
    ),
  );
  assert.ok(
    labelled.errors.some((e) => e.message.startsWith('metadata.annotations: Invalid value: "__proto__"')),
    'a __proto__ annotation key is an invalid key, not a prototype',
  );

  const huge = 'a'.repeat(5_000_000);
  const hugeErrs = errors(service({ ports: [{ port: 80 }] }, { name: huge }));
  assert.ok(hugeErrs.length > 0 && hugeErrs.every((m) => m.length < 2000), 'echoed values are shortened');

  const many = Array.from({ length: 100_000 }, (_, i) => ({ port: (i % 65535) + 1, name: `p${i}` }));
  const manyErrs = errors(service({ ports: many }));
  assert.ok(manyErrs.some((m) => m.includes('Duplicate value')));

  let deep: unknown = 'leaf';
  for (let i = 0; i < 20_000; i++) deep = { a: deep };
  const deepErrs = errors(pod({ containers: [container({ resources: deep })] }));
  assert.ok(
    deepErrs.some((m) => m.includes('exceeded max depth of 10000')),
    JSON.stringify(deepErrs),
  );
  let deepList: unknown = [];
  for (let i = 0; i < 20_000; i++) deepList = [deepList];
  assert.ok(errors(pod({ containers: [container({ args: deepList })] })).length > 0);

  assert.ok(errors(null as unknown as KubeObject).length === 1);
  assert.ok(errors(service({ ports: [{ port: Number.NaN }] })).length === 1);
  assert.ok(
    errors(pod({ containers: [container({ resources: { limits: { cpu: () => 1 } } })] })).length === 1,
  );
});

test('admission: warnings come back beside the admitted object (kubectl prints them as Warning:)', () => {
  const r = admit(
    pod({
      containers: [
        container({ ports: [{ containerPort: 80 }] }),
        container({ name: 'b', ports: [{ containerPort: 80 }] }),
      ],
    }),
    config,
  );
  assert.deepEqual(r.errors, []);
  assert.ok(r.object);
  assert.deepEqual(
    r.warnings.map((w) => w.message),
    ['spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]'],
  );
  assert.equal(r.warnings[0].path.toString(), 'spec.containers[1].ports[0]');
});
