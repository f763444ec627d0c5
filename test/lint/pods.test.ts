import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Case, checkCase, deployment, lintYAML, located, NAMESPACE, only } from './fixtures.js';

/** A bare pod in namespace app, bound to `node` when given, with `ports` (flow YAML). */
function pod(name: string, ports: string, node?: string, extra = ''): string {
  return `
---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: app, labels: {app: ${name}}}
spec:
${node ? `  nodeName: ${node}\n` : ''}${extra}  containers: [{name: main, image: nginx, ports: ${ports}}]
`;
}

const CASES: Case[] = [
  {
    name: 'Pod: two containers declaring one containerPort/protocol share the network namespace (DESIGN.md rule 5, warnings.go)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: two, namespace: app}
spec:
  containers:
    - {name: a, image: nginx, ports: [{containerPort: 8080}]}
    - {name: b, image: nginx, ports: [{containerPort: 8080}]}
`,
    code: 'pod-duplicate-container-port',
    expect: ['Pod/app/two spec.containers[1].ports[0].containerPort'],
    message: ['duplicate port definition', 'spec.containers[0].ports[0]'],
  },
  {
    name: 'Pod: one containerPort with TCP and UDP is two ports (silent)',
    yaml: NAMESPACE + pod('dns', '[{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]'),
    code: 'pod-duplicate-container-port',
    expect: [],
  },
  {
    name: 'Pod: one listener published on two host ports is no clash (warnings.go: both hostPorts set)',
    yaml:
      NAMESPACE +
      pod('two-hosts', '[{containerPort: 80, hostPort: 8080}, {containerPort: 80, hostPort: 8081}]'),
    code: 'pod-duplicate-container-port',
    expect: [],
  },
  {
    name: 'Pod: a template duplicate is reported once on the workload, not once per replica',
    yaml: NAMESPACE + deployment('web', { ports: '[{containerPort: 80}, {containerPort: 80}]', replicas: 3 }),
    code: 'pod-duplicate-container-port',
    expect: ['Deployment/app/web spec.template.spec.containers[0].ports[1].containerPort'],
    message: ['the container lists it twice'],
  },
  {
    name: 'Pod: a second pod bound by nodeName to a node whose hostPort is taken is rejected by the kubelet (DESIGN.md rule 6)',
    yaml:
      NAMESPACE +
      pod('a', '[{containerPort: 80, hostPort: 8080}]', 'podnet-worker') +
      pod('b', '[{containerPort: 81, hostPort: 8080}]', 'podnet-worker'),
    code: 'host-port-conflict',
    expect: ['Pod/app/b spec.containers[0].ports[0].hostPort'],
    message: ['rejected the pod (NodePorts)', 'held by pod app/a'],
  },
  {
    name: 'Pod: two running pods of a snapshot holding one hostPort on one node cannot both be bound (kubelet admission)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: app}
spec:
  nodeName: podnet-worker
  containers: [{name: main, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]
status: {phase: Running, podIP: 10.244.1.10, hostIP: 172.18.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: app}
spec:
  nodeName: podnet-worker
  containers: [{name: main, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]
status: {phase: Running, podIP: 10.244.1.11, hostIP: 172.18.0.3}
`,
    code: 'host-port-conflict',
    expect: ['Pod/app/b spec.containers[0].ports[0].hostPort'],
    message: ['also held by pod app/a'],
  },
  {
    name: 'Pod: a snapshot pod the kubelet rejected for NodePorts is reported even when the holder is not in it',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: late, namespace: app}
spec:
  nodeName: podnet-worker
  containers: [{name: main, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]
status: {phase: Failed, reason: NodePorts, message: "Pod was rejected: Predicate NodePorts failed"}
`,
    code: 'host-port-conflict',
    expect: ['Pod/app/late spec.containers[0].ports[0].hostPort'],
    message: ['was held by a pod the snapshot does not include'],
  },
  {
    name: 'Pod: hostPorts on different hostIPs, protocols or nodes do not conflict (scheduler HostPortInfo)',
    yaml:
      NAMESPACE +
      pod('a', '[{containerPort: 80, hostPort: 8080, hostIP: 172.18.0.3}]', 'podnet-worker') +
      pod('b', '[{containerPort: 80, hostPort: 8080, hostIP: 127.0.0.1}]', 'podnet-worker') +
      pod('c', '[{containerPort: 80, hostPort: 8080, protocol: UDP}]', 'podnet-worker') +
      pod('d', '[{containerPort: 80, hostPort: 8080}]', 'podnet-worker2'),
    code: 'host-port-conflict',
    expect: [],
  },
  {
    name: 'Pod: hostIP 0.0.0.0 conflicts with every address of the port (scheduler HostPortInfo)',
    yaml:
      NAMESPACE +
      pod('a', '[{containerPort: 80, hostPort: 8080, hostIP: 172.18.0.3}]', 'podnet-worker') +
      pod('b', '[{containerPort: 80, hostPort: 8080}]', 'podnet-worker'),
    code: 'host-port-conflict',
    expect: ['Pod/app/b spec.containers[0].ports[0].hostPort'],
  },
  {
    name: 'Pod: hostNetwork pods hold their containerPorts as host ports (defaulting)',
    yaml:
      NAMESPACE +
      pod('a', '[{containerPort: 9100}]', 'podnet-worker', '  hostNetwork: true\n') +
      pod('b', '[{containerPort: 9100}]', 'podnet-worker', '  hostNetwork: true\n'),
    code: 'host-port-conflict',
    expect: ['Pod/app/b spec.containers[0].ports[0].hostPort'],
  },
];

for (const c of CASES) test(c.name, () => checkCase(c));

test('Pod: the scheduler keeps replicas with a hostPort off nodes holding it; the rest stay Pending (NodePorts filter)', () => {
  // Two schedulable workers (the control plane is tainted): the third replica has nowhere to go.
  const findings = lintYAML(
    NAMESPACE + deployment('hp', { ports: '[{containerPort: 80, hostPort: 9090}]', replicas: 3 }),
  );
  const f = only(findings, 'host-port-unschedulable');
  assert.match(f.object, /^Pod\/app\/hp-/);
  assert.equal(f.field, 'spec.containers[0].ports[0].hostPort');
  assert.match(f.message, /didn't have free ports for the requested pod ports/);
  // The two placed replicas conflict with nothing.
  assert.deepEqual(located(findings, 'host-port-conflict'), []);
});

test('Pod: replicas that fit on the nodes are placed, each on its own node (silent)', () => {
  const findings = lintYAML(NAMESPACE + deployment('hp', { ports: '[{containerPort: 80, hostPort: 9090}]' }));
  assert.deepEqual(located(findings, 'host-port-unschedulable'), []);
});
