import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPod } from '../../src/api/defaults.js';
import type { KubeObject, Pod } from '../../src/api/types.js';
import { admitted, container, deployment, meta, object, pod, service } from './admission-fixtures.js';

function defaulted(obj: KubeObject): Record<string, unknown> {
  const r = admitted(obj);
  assert.deepEqual(
    r.errors.map((e) => e.message),
    [],
  );
  return r.object as unknown as Record<string, unknown>;
}

const specOf = (obj: KubeObject) => defaulted(obj).spec as Record<string, unknown>;

test('defaults: Service (core/v1 SetDefaults_Service and the registry clusterIP mirroring)', () => {
  const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'ClusterIP: type, affinity, protocol, targetPort = port, internalTrafficPolicy',
      { selector: { app: 'web' }, ports: [{ port: 80 }] },
      {
        selector: { app: 'web' },
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'targetPort 0 and "" mean "same as port"; a named targetPort stays',
      {
        ports: [
          { name: 'a', port: 81, targetPort: 0 },
          { name: 'b', port: 82, targetPort: '' },
          { name: 'c', port: 83, targetPort: 'http' },
        ],
      },
      {
        ports: [
          { name: 'a', port: 81, targetPort: 81, protocol: 'TCP' },
          { name: 'b', port: 82, targetPort: 82, protocol: 'TCP' },
          { name: 'c', port: 83, targetPort: 'http', protocol: 'TCP' },
        ],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'NodePort: externalTrafficPolicy Cluster',
      { type: 'NodePort', ports: [{ port: 80, protocol: 'UDP' }] },
      {
        type: 'NodePort',
        ports: [{ port: 80, protocol: 'UDP', targetPort: 80 }],
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'LoadBalancer: allocateLoadBalancerNodePorts true',
      { type: 'LoadBalancer', ports: [{ port: 443 }], externalTrafficPolicy: 'Local' },
      {
        type: 'LoadBalancer',
        ports: [{ port: 443, protocol: 'TCP', targetPort: 443 }],
        externalTrafficPolicy: 'Local',
        sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster',
        allocateLoadBalancerNodePorts: true,
      },
    ],
    [
      'ClusterIP with externalIPs is externally accessible: externalTrafficPolicy Cluster',
      { ports: [{ port: 80 }], externalIPs: ['192.0.2.10'] },
      {
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
        externalIPs: ['192.0.2.10'],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'ExternalName: no internalTrafficPolicy',
      { type: 'ExternalName', externalName: 'example.com' },
      { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' },
    ],
    [
      'ClientIP affinity: timeout 10800',
      { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' },
      {
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
        sessionAffinity: 'ClientIP',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'affinity None drops sessionAffinityConfig',
      { ports: [{ port: 80 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } },
      {
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    ],
    [
      'clusterIP alone is mirrored into clusterIPs; ipFamilies/ipFamilyPolicy are left to the allocator',
      { ports: [{ port: 80 }], clusterIP: '10.96.0.20' },
      {
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20'],
        sessionAffinity: 'None',
        type: 'ClusterIP',
        internalTrafficPolicy: 'Cluster',
      },
    ],
  ];
  for (const [name, spec, want] of rows) assert.deepEqual(specOf(service(spec)), want, name);
});

test('defaults: LoadBalancer status ingress IPs get ipMode VIP (SetDefaults_Service)', () => {
  const svc = service({ type: 'LoadBalancer', ports: [{ port: 80 }] }) as KubeObject &
    Record<string, unknown>;
  svc.status = { loadBalancer: { ingress: [{ ip: '172.18.255.200' }, { hostname: 'lb.example.com' }] } };
  assert.deepEqual(defaulted(svc).status, {
    loadBalancer: { ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] },
  });
});

test('defaults: Pod (SetDefaults_PodSpec, SetDefaults_Pod, SetDefaults_Container, container port protocol)', () => {
  const spec = specOf(
    pod({
      containers: [
        container({ image: 'nginx', ports: [{ containerPort: 80 }] }),
        container({ name: 'b', image: 'app:v1' }),
      ],
    }),
  );
  assert.deepEqual(spec, {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
      {
        name: 'b',
        image: 'app:v1',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
  });
});

test('defaults: imagePullPolicy is Always only for :latest or an untagged, undigested image', () => {
  const rows: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry:5000/team/app', 'Always'],
    ['registry:5000/team/app:1.2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ];
  for (const [image, want] of rows) {
    const spec = specOf(pod({ containers: [container({ image })] }));
    assert.equal((spec.containers as Record<string, unknown>[])[0].imagePullPolicy, want, image);
  }
});

test('defaults: hostNetwork pods get hostPort = containerPort; pod templates do not (DefaultHostNetworkHostPortsInPodTemplates off)', () => {
  const hostNet = {
    hostNetwork: true,
    containers: [container({ ports: [{ containerPort: 8080 }, { containerPort: 9090, hostPort: 9090 }] })],
  };
  const podPorts = (specOf(pod(hostNet)).containers as { ports: unknown }[])[0].ports;
  assert.deepEqual(podPorts, [
    { containerPort: 8080, protocol: 'TCP', hostPort: 8080 },
    { containerPort: 9090, hostPort: 9090, protocol: 'TCP' },
  ]);
  const d = specOf(
    deployment({
      selector: { matchLabels: { app: 'a' } },
      template: { metadata: { labels: { app: 'a' } }, spec: hostNet },
    }),
  );
  const template = (
    d.template as { spec: { containers: { ports: unknown }[]; enableServiceLinks?: boolean } }
  ).spec;
  assert.deepEqual(template.containers[0].ports, [
    { containerPort: 8080, protocol: 'TCP' },
    { containerPort: 9090, hostPort: 9090, protocol: 'TCP' },
  ]);
  assert.equal(
    template.enableServiceLinks,
    undefined,
    'enableServiceLinks is a Pod default, not a template one',
  );

  // A controller creating a pod from that template defaults it as the API server would.
  const created = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'x' },
    spec: structuredClone(template),
  } as unknown as Pod;
  defaultPod(created);
  assert.equal(created.spec.containers[0].ports?.[0].hostPort, 8080);
  assert.equal(created.spec.enableServiceLinks, true);
});

test('defaults: apps/v1 workloads (SetDefaults_Deployment, _ReplicaSet, _StatefulSet, _DaemonSet)', () => {
  const tmpl = { metadata: { labels: { app: 'a' } }, spec: { containers: [container()] } };
  const sel = { matchLabels: { app: 'a' } };
  const pick = (spec: Record<string, unknown>) => {
    const { template: _t, selector: _s, ...rest } = spec;
    return rest;
  };
  assert.deepEqual(pick(specOf(deployment({ selector: sel, template: tmpl }))), {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  });
  assert.deepEqual(
    pick(specOf(deployment({ selector: sel, template: tmpl, strategy: { type: 'Recreate' } }))),
    {
      replicas: 1,
      strategy: { type: 'Recreate' },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  );
  assert.deepEqual(
    pick(specOf(object('apps/v1', 'ReplicaSet', { spec: { selector: sel, template: tmpl } }))),
    { replicas: 1 },
  );
  assert.deepEqual(
    pick(
      specOf(
        object('apps/v1', 'StatefulSet', { spec: { selector: sel, template: tmpl, serviceName: 'db' } }),
      ),
    ),
    {
      serviceName: 'db',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      replicas: 1,
      revisionHistoryLimit: 10,
    },
  );
  assert.deepEqual(
    pick(specOf(object('apps/v1', 'DaemonSet', { spec: { selector: sel, template: tmpl } }))),
    {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
  );
  const templateSpec = (
    specOf(deployment({ selector: sel, template: tmpl })).template as { spec: Record<string, unknown> }
  ).spec;
  assert.equal(templateSpec.dnsPolicy, 'ClusterFirst', 'pod templates get the pod spec defaults');
  assert.equal(templateSpec.restartPolicy, 'Always');
});

test('defaults: networking and discovery (SetDefaults_NetworkPolicy, _NetworkPolicyPort, _IngressClass, _EndpointPort, _Endpoints)', () => {
  const np = (spec: Record<string, unknown>) =>
    specOf(object('networking.k8s.io/v1', 'NetworkPolicy', { spec }));
  assert.deepEqual(np({ podSelector: {} }).policyTypes, ['Ingress']);
  assert.deepEqual(np({ podSelector: {}, egress: [{}] }).policyTypes, ['Ingress', 'Egress']);
  assert.deepEqual(np({ podSelector: {}, egress: [{}], policyTypes: ['Egress'] }).policyTypes, ['Egress']);
  assert.deepEqual(
    np({
      podSelector: {},
      ingress: [{ ports: [{ port: 80 }] }],
      egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
    }),
    {
      podSelector: {},
      ingress: [{ ports: [{ port: 80, protocol: 'TCP' }] }],
      egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
      policyTypes: ['Ingress', 'Egress'],
    },
  );

  const ic = specOf(
    object('networking.k8s.io/v1', 'IngressClass', {
      spec: { controller: 'example.com/ingress', parameters: { kind: 'Params', name: 'p' } },
    }),
  );
  assert.deepEqual(ic.parameters, { kind: 'Params', name: 'p', scope: 'Cluster' });

  const slice = defaulted(
    object('discovery.k8s.io/v1', 'EndpointSlice', {
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'] }],
      ports: [{ port: 80 }],
    }),
  );
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }]);

  const ep = defaulted(
    object('v1', 'Endpoints', { subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }] }] }),
  );
  assert.deepEqual(ep.subsets, [
    { addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80, protocol: 'TCP' }] },
  ]);
});

test('defaults: Namespace gets kubernetes.io/metadata.name and phase Active; Secret type Opaque and stringData merged into data', () => {
  const ns = defaulted(object('v1', 'Namespace', {}, meta('shop', { labels: { team: 'a' } })));
  assert.deepEqual((ns.metadata as { labels: unknown }).labels, {
    team: 'a',
    'kubernetes.io/metadata.name': 'shop',
  });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const spoofed = defaulted(
    object('v1', 'Namespace', {}, meta('shop', { labels: { 'kubernetes.io/metadata.name': 'other' } })),
  );
  assert.equal(
    (spoofed.metadata as { labels: Record<string, string> }).labels['kubernetes.io/metadata.name'],
    'shop',
  );

  const secret = defaulted(object('v1', 'Secret', { data: { a: 'b2xk' }, stringData: { a: 'new', b: 'x' } }));
  assert.equal(secret.type, 'Opaque');
  assert.deepEqual(secret.data, {
    a: Buffer.from('new').toString('base64'),
    b: Buffer.from('x').toString('base64'),
  });
  assert.equal(Object.hasOwn(secret, 'stringData'), false);
});

test('defaults: a pod without status starts Pending (pod registry PrepareForCreate); a snapshot keeps its status', () => {
  const fresh = admitted({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  }).object as Pod;
  assert.deepEqual(fresh.status, { phase: 'Pending' });
  const snapshot = admitted({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running', podIP: '10.244.1.5' },
  }).object as Pod;
  assert.equal(snapshot.status?.phase, 'Running');
});

test('defaults: the v1 conversion pairs podIP/podIPs and podCIDR/podCIDRs, the singular one winning', () => {
  const withStatus = (status: Record<string, unknown>) => {
    const p = pod({ containers: [container()] }) as KubeObject & Record<string, unknown>;
    p.status = status;
    return defaulted(p).status;
  };
  assert.deepEqual(withStatus({ podIP: '10.244.1.5' }), {
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
  });
  assert.deepEqual(withStatus({ podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }] }), {
    podIPs: [{ ip: '10.244.1.5' }, { ip: 'fd00:10:244:1::5' }],
    podIP: '10.244.1.5',
  });
  assert.deepEqual(withStatus({ podIP: '10.244.1.6', podIPs: [{ ip: '10.244.1.5' }] }), {
    podIP: '10.244.1.6',
    podIPs: [{ ip: '10.244.1.6' }],
  });

  const node = (spec: Record<string, unknown>) => specOf(object('v1', 'Node', { spec }, meta('n1')));
  assert.deepEqual(node({ podCIDR: '10.244.1.0/24' }), {
    podCIDR: '10.244.1.0/24',
    podCIDRs: ['10.244.1.0/24'],
  });
  assert.deepEqual(node({ podCIDRs: ['10.244.1.0/24'] }), {
    podCIDRs: ['10.244.1.0/24'],
    podCIDR: '10.244.1.0/24',
  });
});
