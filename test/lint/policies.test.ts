import { test } from 'node:test';
import { type Case, checkCase, deployment, NAMESPACE } from './fixtures.js';

const WEB = NAMESPACE + deployment('web');

/** A NetworkPolicy `name` in namespace app with `spec` (block YAML indented by two spaces). */
function policy(name: string, spec: string): string {
  return `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: app}
spec:
${spec}`;
}

const CASES: Case[] = [
  {
    name: 'NetworkPolicy: a podSelector that selects no pod has no effect yet (info: legitimate for pods to come)',
    yaml: WEB + policy('typo', '  podSelector: {matchLabels: {app: wbe}}'),
    code: 'networkpolicy-selects-nothing',
    expect: ['NetworkPolicy/app/typo spec.podSelector'],
    message: ['app=wbe', 'pods still to come'],
  },
  {
    name: 'NetworkPolicy: an empty podSelector selects every pod of the namespace (silent)',
    yaml: WEB + policy('all', '  podSelector: {}'),
    code: 'networkpolicy-selects-nothing',
    expect: [],
  },
  {
    name: 'NetworkPolicy: hostNetwork pods are never selected (the policy applies to pod-network pods only)',
    yaml: `${NAMESPACE}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: app, labels: {app: agent}}
spec:
  hostNetwork: true
  containers: [{name: main, image: nginx}]
${policy('agent', '  podSelector: {matchLabels: {app: agent}}')}`,
    code: 'networkpolicy-selects-nothing',
    expect: ['NetworkPolicy/app/agent spec.podSelector'],
  },
  {
    name: 'NetworkPolicy: a namespaceSelector matching no namespace allows nothing (a common label typo)',
    yaml:
      WEB +
      policy(
        'from-frontend',
        `  podSelector: {}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {name: frontend}}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: app}}`,
      ),
    code: 'networkpolicy-peer-selects-no-namespace',
    expect: ['NetworkPolicy/app/from-frontend spec.ingress[0].from[0].namespaceSelector'],
    message: ['kubernetes.io/metadata.name=<name>'],
  },
  {
    name: 'NetworkPolicy: a podSelector peer selects in the policy namespace, with a namespaceSelector in the namespaces it matches',
    yaml:
      WEB +
      policy(
        'peers',
        `  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app: web}}
        - podSelector: {matchLabels: {app: api}}
  egress:
    - to:
        - namespaceSelector: {}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {app: web}}`,
      ),
    code: 'networkpolicy-peer-selects-no-pod',
    expect: [
      'NetworkPolicy/app/peers spec.egress[0].to[1].podSelector',
      'NetworkPolicy/app/peers spec.ingress[0].from[1].podSelector',
    ],
    message: ['so this peer allows no'],
  },
  {
    name: 'NetworkPolicy: rules of a direction policyTypes leaves out are ignored (networking.k8s.io/v1 policyTypes)',
    yaml:
      WEB +
      policy(
        'egress-ignored',
        `  podSelector: {}
  policyTypes: [Ingress]
  egress:
    - to: [{podSelector: {}}]`,
      ),
    code: 'networkpolicy-rules-ignored',
    expect: ['NetworkPolicy/app/egress-ignored spec.egress'],
    message: ['does not list Egress'],
  },
  {
    name: 'NetworkPolicy: without policyTypes the API server derives them from the rules (silent)',
    yaml: WEB + policy('derived', '  podSelector: {}\n  egress:\n    - to: [{podSelector: {}}]'),
    code: 'networkpolicy-rules-ignored',
    expect: [],
  },
  {
    name: 'NetworkPolicy: a named port resolves on the destination pod; a name no selected pod declares matches nothing',
    yaml:
      WEB +
      policy(
        'named',
        `  podSelector: {matchLabels: {app: web}}
  ingress:
    - ports: [{port: http}, {port: https}, {port: http, protocol: UDP}]`,
      ),
    code: 'networkpolicy-port-name-unresolved',
    expect: [
      'NetworkPolicy/app/named spec.ingress[0].ports[1].port',
      'NetworkPolicy/app/named spec.ingress[0].ports[2].port',
    ],
  },
  {
    name: 'NetworkPolicy: an egress named port resolves on the peer pods; with an ipBlock peer it cannot be judged (silent)',
    yaml:
      WEB +
      policy(
        'egress-named',
        `  podSelector: {}
  egress:
    - to: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: http}]
    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
      ports: [{port: metrics}]`,
      ),
    code: 'networkpolicy-port-name-unresolved',
    expect: [],
  },
];

for (const c of CASES) test(c.name, () => checkCase(c));
