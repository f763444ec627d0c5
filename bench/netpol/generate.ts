// The scale envelope (bench/scale/generate.ts) plus what the NetworkPolicy bench needs: 1,000
// NetworkPolicies spread over the namespaces in the shapes clusters run, the namespaces those
// policies name (an ingress controller's, a monitoring stack's), a hostNetwork DaemonSet on every
// node (as kube-proxy and CNI agents are), and namespace labels to select on. Deterministic for a
// seed.

import type {
  DaemonSet,
  Deployment,
  KubeObject,
  Namespace,
  NetworkPolicy,
  NetworkPolicyPeer,
} from '../../src/api/types.js';
import { type GeneratedEnvelope, generateEnvelope, mulberry32 } from '../scale/generate.js';

export const POLICIES = 1000;
/** Policies per policied namespace: the four shapes below. */
const PER_NAMESPACE = 4;
const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
/** The private ranges an "internet egress" rule leaves out (RFC 1918). */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

export interface NetpolEnvelope extends GeneratedEnvelope {
  policies: number;
  policiedNamespaces: number;
}

function deployment(
  namespace: string,
  name: string,
  replicas: number,
  labels: Record<string, string>,
): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'main',
              image: IMAGE,
              ports: [
                { name: 'http', containerPort: 8080, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
}

/** A node agent on every node, on the node's network (kube-proxy, CNI agents, log shippers). */
function nodeAgent(): DaemonSet {
  const labels = { 'k8s-app': 'node-agent' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'node-agent', namespace: 'kube-system', labels },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          containers: [{ name: 'agent', image: IMAGE, ports: [{ name: 'metrics', containerPort: 9100 }] }],
        },
      },
    },
  };
}

function policy(namespace: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const fromNamespaces = (
  labels: Record<string, string>,
  pods?: Record<string, string>,
): NetworkPolicyPeer => ({
  namespaceSelector: { matchLabels: labels },
  ...(pods ? { podSelector: { matchLabels: pods } } : {}),
});

/**
 * The four policies of one namespace: default deny, allow from the same namespace, an allow from
 * labelled namespaces to a tier (alternately the ingress controller to frontends on the named port
 * `http`, and production frontends to APIs on 8080), and alternately an allow for the monitoring
 * stack on the named port `metrics` or an egress policy for backends (same namespace, cluster DNS,
 * and the internet on 443 by an ipBlock with the private ranges excepted).
 */
function namespacePolicies(namespace: string, k: number): NetworkPolicy[] {
  const out = [
    policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    policy(namespace, 'allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
  ];
  out.push(
    k % 2 === 0
      ? policy(namespace, 'allow-ingress-to-frontend', {
          podSelector: { matchLabels: { tier: 'frontend' } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [fromNamespaces({ purpose: 'ingress' })], ports: [{ port: 'http', protocol: 'TCP' }] },
          ],
        })
      : policy(namespace, 'allow-prod-frontends-to-api', {
          podSelector: { matchLabels: { tier: 'api' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [fromNamespaces({ env: 'prod' }, { tier: 'frontend' })],
              ports: [{ port: 8080, protocol: 'TCP' }],
            },
          ],
        }),
  );
  out.push(
    k % 3 !== 2
      ? policy(namespace, 'allow-monitoring', {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [fromNamespaces({ purpose: 'monitoring' }, { app: 'prometheus' })],
              ports: [{ port: 'metrics', protocol: 'TCP' }],
            },
          ],
        })
      : policy(namespace, 'backend-egress', {
          podSelector: { matchLabels: { tier: 'backend' } },
          policyTypes: ['Egress'],
          egress: [
            { to: [{ podSelector: {} }] },
            {
              to: [
                fromNamespaces({ 'kubernetes.io/metadata.name': 'kube-system' }, { 'k8s-app': 'kube-dns' }),
              ],
              ports: [
                { port: 53, protocol: 'UDP' },
                { port: 53, protocol: 'TCP' },
              ],
            },
            {
              to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE } }],
              ports: [{ port: 443, protocol: 'TCP' }],
            },
          ],
        }),
  );
  return out;
}

/** The scale envelope at `scale`, with round(1,000 x scale) NetworkPolicies. */
export function generateNetpolEnvelope(scale = 1, seed = 1): NetpolEnvelope {
  const env = generateEnvelope(scale, seed);
  const rand = mulberry32(seed + 0x9e3779b9);
  const origin = { file: 'generated' };
  const push = (object: KubeObject) => env.objects.push({ object, origin });

  // Most namespaces are production; the policies' namespace selectors pick on that.
  const namespaces: string[] = [];
  for (const { object } of env.objects) {
    if (object.kind !== 'Namespace') continue;
    const ns = object as Namespace;
    ns.metadata.labels = { ...ns.metadata.labels, env: rand() < 0.7 ? 'prod' : 'staging' };
    namespaces.push(ns.metadata.name);
  }
  const extra: [string, Record<string, string>, string, Record<string, string>][] = [
    ['ingress-nginx', { purpose: 'ingress' }, 'ingress-nginx-controller', { app: 'ingress-nginx' }],
    ['monitoring', { purpose: 'monitoring' }, 'prometheus', { app: 'prometheus' }],
  ];
  for (const [name, labels, workload, podLabels] of extra) {
    push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    push(deployment(name, workload, 2, podLabels));
  }
  push(nodeAgent());

  // Policied namespaces spread evenly over the (size-skewed) namespaces.
  const policies = Math.round(POLICIES * scale);
  const policied = Math.ceil(policies / PER_NAMESPACE);
  const step = namespaces.length / policied;
  let written = 0;
  for (let k = 0; k < policied; k++) {
    for (const p of namespacePolicies(namespaces[Math.floor(k * step)], k)) {
      if (written++ < policies) push(p);
    }
  }
  return { ...env, policies, policiedNamespaces: policied };
}
