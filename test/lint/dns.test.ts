import { test } from 'node:test';
import { type Case, checkCase, deployment, NAMESPACE, service } from './fixtures.js';

const WEB = NAMESPACE + deployment('web');

function statefulSet(name: string, serviceName: string): string {
  return `
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: app}
spec:
  serviceName: ${serviceName}
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, image: postgres, ports: [{name: pg, containerPort: 5432}]}]
`;
}

/** An egress policy for every pod of namespace app, with `egress` rules (block YAML). */
function egressPolicy(name: string, egress = ''): string {
  return `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: app}
spec:
  podSelector: {}
  policyTypes: [Egress]
${egress}`;
}

const TO_DNS = `    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}`;

const CASES: Case[] = [
  {
    name: 'DNS: an ExternalName holding an IP address gets no record (CoreDNS serves ExternalName as a CNAME only)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: app}
spec: {type: ExternalName, externalName: 192.0.2.10}
`,
    code: 'externalname-ip',
    expect: ['Service/app/legacy spec.externalName'],
    message: ['NXDOMAIN'],
  },
  {
    name: 'DNS: an ExternalName holding a DNS name is its documented use (silent)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: app}
spec: {type: ExternalName, externalName: db.example.com.}
`,
    code: 'externalname-ip',
    expect: [],
  },
  {
    name: 'DNS: a StatefulSet whose serviceName names no Service gives its pods no stable names (StatefulSet stable network ID)',
    yaml: NAMESPACE + statefulSet('db', 'db'),
    code: 'statefulset-service-missing',
    expect: ['StatefulSet/app/db spec.serviceName'],
    message: ['db-0.db.app.svc'],
  },
  {
    name: 'DNS: a StatefulSet with its headless Service (silent)',
    yaml: NAMESPACE + statefulSet('db', 'db') + service('db', 'db', '[{port: 5432}]', '  clusterIP: None'),
    code: 'statefulset-service-missing',
    expect: [],
  },
  {
    name: 'DNS: a StatefulSet needs a headless governing Service (StatefulSet limitations)',
    yaml: NAMESPACE + statefulSet('db', 'db') + service('db', 'db', '[{port: 5432}]'),
    code: 'statefulset-service-not-headless',
    expect: ['StatefulSet/app/db spec.serviceName'],
  },
  {
    name: 'DNS: a StatefulSet with a headless Service is silent on not-headless',
    yaml: NAMESPACE + statefulSet('db', 'db') + service('db', 'db', '[{port: 5432}]', '  clusterIP: None'),
    code: 'statefulset-service-not-headless',
    expect: [],
  },
  {
    name: "DNS: a pod's hostname.subdomain resolves only through a Service named like the subdomain that selects it",
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: app, labels: {app: a}}
spec: {hostname: a, subdomain: group, containers: [{name: main, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: app, labels: {app: b}}
spec: {hostname: b, subdomain: other, containers: [{name: main, image: nginx}]}
${service('group', 'a', '[{port: 80}]', '  clusterIP: None')}
${service('other', 'a', '[{port: 80}]', '  clusterIP: None')}`,
    code: 'pod-subdomain-no-service',
    expect: ['Pod/app/b spec.subdomain'],
    message: ['does not select the pod'],
  },
  {
    name: 'DNS: pods of a namespace isolated for egress with no DNS rule cannot resolve names',
    yaml: WEB + egressPolicy('deny-all-egress'),
    code: 'egress-denies-dns',
    expect: ['NetworkPolicy/app/deny-all-egress spec.egress'],
    message: ['2 pods', '53/TCP and 53/UDP', 'egress is isolated by NetworkPolicy/app/deny-all-egress'],
  },
  {
    name: 'DNS: an egress rule to the CoreDNS pods on 53/UDP and 53/TCP keeps DNS working (silent)',
    yaml:
      WEB +
      egressPolicy(
        'allow-dns',
        `  egress:
${TO_DNS}
      ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]`,
      ),
    code: 'egress-denies-dns',
    expect: [],
  },
  {
    name: 'DNS: allowing 53/UDP only breaks lookups whose answers need TCP',
    yaml: WEB + egressPolicy('udp-only', `  egress:\n${TO_DNS}\n      ports: [{port: 53, protocol: UDP}]`),
    code: 'egress-denies-dns',
    expect: ['NetworkPolicy/app/udp-only spec.egress'],
    message: ['on 53/TCP ('],
  },
  {
    name: 'DNS: an AdminNetworkPolicy Deny rule decides before any NetworkPolicy (network-policy-api tiers)',
    yaml: `${WEB}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-kube-system}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: app}}}
  egress:
    - name: deny-system
      action: Deny
      to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: kube-system}}}]
`,
    code: 'egress-denies-dns',
    expect: ['AdminNetworkPolicy/no-kube-system spec.egress[0]'],
    message: ['rule spec.egress[0] of AdminNetworkPolicy/no-kube-system denies it'],
  },
  {
    name: 'DNS: pods with dnsPolicy Default use the node resolver, not the cluster DNS (silent)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: app}
spec: {dnsPolicy: Default, containers: [{name: main, image: nginx}]}
${egressPolicy('deny-all-egress')}`,
    code: 'egress-denies-dns',
    expect: [],
  },
];

for (const c of CASES) test(c.name, () => checkCase(c));
