// The network-policy-api conformance model, recreated as podnet test data: four namespaces
// (network-policy-conformance-<house>, labelled conformance-house=<house>), two pods in each
// (labelled like their namespace), every pod serving 80 and 8080 over TCP, 53 and 5353 over UDP,
// 9003 and 9005 over SCTP; -0 pods on podnet-worker, -1 pods on podnet-worker2. Plus builders for
// the three cluster-scoped policy kinds.

import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyProtocol,
  ContainerPort,
  KubeObject,
  Protocol,
} from '../../src/api/types.js';
import {
  type AdminTier,
  type PolicyDirection,
  policyRefString,
  type RuleMatch,
  type TierDecision,
} from '../../src/netpol/types.js';
import { type EngineCluster, engine, namespace, pod } from './engine-fixtures.js';

export const HOUSES = {
  gryffindor: 'harry-potter',
  slytherin: 'draco-malfoy',
  hufflepuff: 'cedric-diggory',
  ravenclaw: 'luna-lovegood',
} as const;
export type House = keyof typeof HOUSES;

/** The conformance pods' ports, each named `<protocol>-<port>` so named-port rules can use them. */
export const HOUSE_PORTS: ContainerPort[] = (
  [
    [80, 'TCP'],
    [8080, 'TCP'],
    [53, 'UDP'],
    [5353, 'UDP'],
    [9003, 'SCTP'],
    [9005, 'SCTP'],
  ] as const
).map(([containerPort, protocol]) => ({
  name: `${protocol.toLowerCase()}-${containerPort}`,
  containerPort,
  protocol,
}));

/** `gryffindor` -> `network-policy-conformance-gryffindor`. */
export const ns = (house: House): string => `network-policy-conformance-${house}`;

/** The conformance pod `harry-potter-0` as `network-policy-conformance-gryffindor/harry-potter-0`. */
export const member = (house: House, i: 0 | 1): string => `${ns(house)}/${HOUSES[house]}-${i}`;

/** A house's selector, as the conformance manifests write it. */
export const house = (h: House) => ({ matchLabels: { 'conformance-house': h } });
/** The namespace-name selector the v1alpha2 manifests use. */
export const named = (h: House) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns(h) } });

export function houses(extra: KubeObject[] = []): EngineCluster {
  const objects: KubeObject[] = [];
  (Object.keys(HOUSES) as House[]).forEach((h, i) => {
    objects.push(namespace(ns(h), { 'conformance-house': h }));
    for (const n of [0, 1] as const) {
      objects.push(
        pod(member(h, n), {
          labels: { 'conformance-house': h },
          ips: [`10.244.${n + 1}.${10 + i}`],
          node: n === 0 ? 'podnet-worker' : 'podnet-worker2',
          ports: HOUSE_PORTS,
        }),
      );
    }
  });
  return engine([...objects, ...extra]);
}

type Spec<T extends { spec: unknown }> = T['spec'];

export function cnp(name: string, spec: Partial<Spec<ClusterNetworkPolicy>>): ClusterNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: { tier: 'Admin', priority: 10, subject: { namespaces: {} }, ...spec },
  };
}

export function anp(name: string, spec: Partial<Spec<AdminNetworkPolicy>>): AdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name },
    spec: { priority: 10, subject: { namespaces: {} }, ...spec },
  };
}

export function banp(spec: Partial<Spec<BaselineAdminNetworkPolicy>>): BaselineAdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: { subject: { namespaces: {} }, ...spec },
  };
}

/** A probe as the conformance tests write it: client, server, protocol, port, expected verdict. */
export type Probe = [from: string, to: string, protocol: Protocol, port: number, allowed: boolean];

/** The probes whose verdict differs from the expected one (empty when all hold). */
export function failedProbes(c: EngineCluster, probes: readonly Probe[]): string[] {
  const out: string[] = [];
  for (const [from, to, protocol, port, allowed] of probes) {
    const got = c.allowed(from, to, port, protocol);
    if (got !== allowed)
      out.push(`${from} -> ${to} ${port}/${protocol}: expected ${allowed ? 'allowed' : 'denied'}`);
  }
  return out;
}

export const H0 = member('gryffindor', 0);
export const H1 = member('gryffindor', 1);
export const D0 = member('slytherin', 0);
export const D1 = member('slytherin', 1);
export const C0 = member('hufflepuff', 0);
export const C1 = member('hufflepuff', 1);
export const L0 = member('ravenclaw', 0);
export const L1 = member('ravenclaw', 1);

/** tcp 80, udp 53, sctp 9003: the three probes the conformance tests make per protocol. */
export const EACH_PROTOCOL = [
  ['TCP', 80],
  ['UDP', 53],
  ['SCTP', 9003],
] as const;

export function tcp(port: number): ClusterNetworkPolicyProtocol {
  return { tcp: { destinationPort: { number: port } } };
}

/** `Deny ClusterNetworkPolicy/a ingress[1]`, after a `Pass ...` line for a rule passed by. */
export function summary(d: TierDecision): string[] {
  const line = (m: RuleMatch) =>
    `${m.action} ${policyRefString(m.policy)} ${m.direction.toLowerCase()}[${m.rule}]`;
  return [...d.passed.map(line), ...(d.decision ? [line(d.decision)] : [])];
}

/** One tier's decision on `from` -> `to` (ends as engine-fixtures names them). */
export function decide(
  c: EngineCluster,
  tier: AdminTier,
  direction: PolicyDirection,
  from: string,
  to: string,
  port = 80,
  protocol: Protocol = 'TCP',
): TierDecision {
  return c.model.admin.decide(tier, direction, c.conn(from, to, port, protocol));
}
