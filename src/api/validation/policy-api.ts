// policy.networking.k8s.io (kubernetes-sigs/network-policy-api, experimental channel CRDs):
// ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1.
//
// These are CRDs: the API server checks them against the CRD's OpenAPI schema and CEL rules
// (crd-schema.ts words the errors). Label selectors are checked as apimachinery checks them too:
// the CRD schema does not, but no implementation can convert an invalid selector, so such a
// policy would never be enforced.

import { parseCIDRLoose } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type {
  AdminNetworkPolicy,
  AdminNetworkPolicyEgressPeer,
  AdminNetworkPolicyPort,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ClusterNetworkPolicyEgressPeer,
  ClusterNetworkPolicyPort,
  ClusterNetworkPolicyProtocol,
  LabelSelector,
  NamespacedPod,
  PolicySubject,
} from '../types.js';
import { between, cel, exactlyOne, maxItems, maxLength, minItems, oneOf, uniqueItems } from './crd-schema.js';
import { nameIsDNSSubdomain, validateLabelSelector, validateObjectMeta } from './metadata.js';
import { invalid, Path, required, tooLong, warning } from './path.js';
import { PROTOCOLS } from './pod.js';

const SPEC = Path.of('spec');

// --- shared parts ---

function validateSelector(sel: LabelSelector | undefined, p: Path, errs: FieldError[]): void {
  if (sel === undefined) errs.push(required(p));
  else validateLabelSelector(sel, p, errs);
}

/** v1alpha2 makes namespaceSelector optional (omitted selects all); v1alpha1 requires it. */
function validateNamespacedPod(pods: NamespacedPod, p: Path, nsRequired: boolean, errs: FieldError[]): void {
  if (nsRequired || pods.namespaceSelector !== undefined)
    validateSelector(pods.namespaceSelector, p.child('namespaceSelector'), errs);
  validateSelector(pods.podSelector, p.child('podSelector'), errs);
}

function validateSubject(subject: PolicySubject | undefined, nsRequired: boolean, errs: FieldError[]): void {
  const p = SPEC.child('subject');
  if (subject === undefined) {
    errs.push(required(p));
    return;
  }
  exactlyOne(p, subject, errs);
  if (subject.namespaces) validateLabelSelector(subject.namespaces, p.child('namespaces'), errs);
  if (subject.pods) validateNamespacedPod(subject.pods, p.child('pods'), nsRequired, errs);
}

/** One API version's peer and port shapes. */
interface Flavour {
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly maxPorts: number;
  readonly actions: readonly string[];
  /** The action that accepts traffic: `Accept` (v1alpha2) or `Allow` (v1alpha1). */
  readonly accept: string;
  readonly nsRequired: boolean;
  readonly domainPattern: RegExp;
  /** The CEL message for named ports beside peers that have none. */
  readonly namedPortMessage: string;
}

// DomainName's kubebuilder pattern in each version, `a-zA-z` typo included in v1alpha1.
const CNP_DOMAIN =
  /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;
const ANP_DOMAIN =
  /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

function validateNetworks(list: readonly string[], p: Path, errs: FieldError[]): void {
  minItems(p, list, 1, errs);
  maxItems(p, list, 25, errs);
  uniqueItems(p, list, errs);
  list.forEach((n, i) => {
    if (n.length > 43) errs.push(tooLong(p.index(i), 43));
    else if (!parseCIDRLoose(n)) errs.push(cel(p.index(i), 'string', 'Invalid CIDR format provided'));
  });
}

function validateDomainNames(list: readonly string[], p: Path, f: Flavour, errs: FieldError[]): void {
  minItems(p, list, 1, errs);
  maxItems(p, list, 25, errs);
  uniqueItems(p, list, errs);
  list.forEach((d, i) => {
    if (!f.domainPattern.test(d))
      errs.push(invalid(p.index(i), d, `${p.index(i)} in body should match '${f.domainPattern.source}'`));
  });
}

function validatePeers(
  peers: readonly (ClusterNetworkPolicyEgressPeer | AdminNetworkPolicyEgressPeer)[] | undefined,
  p: Path,
  f: Flavour,
  errs: FieldError[],
): void {
  if (peers === undefined) {
    errs.push(required(p));
    return;
  }
  minItems(p, peers, 1, errs);
  maxItems(p, peers, f.maxPeers, errs);
  peers.forEach((peer, i) => {
    const pp = p.index(i);
    exactlyOne(pp, peer, errs);
    if (peer.namespaces) validateLabelSelector(peer.namespaces, pp.child('namespaces'), errs);
    if (peer.pods) validateNamespacedPod(peer.pods, pp.child('pods'), f.nsRequired, errs);
    if (peer.nodes) validateLabelSelector(peer.nodes, pp.child('nodes'), errs);
    if (peer.networks) validateNetworks(peer.networks, pp.child('networks'), errs);
    if (peer.domainNames) validateDomainNames(peer.domainNames, pp.child('domainNames'), f, errs);
  });
}

interface Rule<P> {
  name?: string;
  action: string;
  peers?: readonly (ClusterNetworkPolicyEgressPeer | AdminNetworkPolicyEgressPeer)[];
  ports?: readonly P[];
}

function validateRules<P extends object>(
  rules: readonly Rule<P>[] | undefined,
  p: Path,
  names: { peers: 'from' | 'to'; ports: 'protocols' | 'ports' },
  f: Flavour,
  validatePort: (port: P, pp: Path, errs: FieldError[], warnings: FieldError[]) => boolean,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  if (rules === undefined) return;
  maxItems(p, rules, f.maxRules, errs);
  rules.forEach((rule, i) => {
    const rp = p.index(i);
    maxLength(rp.child('name'), rule.name, 100, errs);
    oneOf(rp.child('action'), rule.action, f.actions, errs);
    validatePeers(rule.peers, rp.child(names.peers), f, errs);
    let named = false;
    if (rule.ports !== undefined) {
      const pp = rp.child(names.ports);
      minItems(pp, rule.ports, 1, errs);
      maxItems(pp, rule.ports, f.maxPorts, errs);
      rule.ports.forEach((port, j) => {
        exactlyOne(pp.index(j), port, errs);
        if (validatePort(port, pp.index(j), errs, warnings)) named = true;
      });
    }
    const peers = rule.peers ?? [];
    if (names.peers === 'to' && named && peers.some((x) => x.networks || x.nodes || x.domainNames))
      errs.push(cel(rp, 'object', f.namedPortMessage));
    // The API documents domainNames for accepting rules only; the CRD does not enforce it.
    peers.forEach((peer, j) => {
      if (peer.domainNames && rule.action !== f.accept)
        warnings.push(
          warning(rp.child(names.peers).index(j).child('domainNames'), `only supported in ${f.accept} rules`),
        );
    });
  });
}

// --- ClusterNetworkPolicy v1alpha2 ---

const CNP: Flavour = {
  maxRules: 25,
  maxPeers: 25,
  maxPorts: 25,
  actions: ['Accept', 'Deny', 'Pass'],
  accept: 'Accept',
  nsRequired: false,
  domainPattern: CNP_DOMAIN,
  namedPortMessage:
    'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
};

function validateCNPPort(port: ClusterNetworkPolicyPort, p: Path, errs: FieldError[]): void {
  exactlyOne(p, port, errs);
  if (port.number !== undefined) between(p.child('number'), port.number, 1, 65535, errs);
  const range = port.range;
  if (range === undefined) return;
  const rp = p.child('range');
  if (range.start === undefined) errs.push(required(rp.child('start')));
  else between(rp.child('start'), range.start, 1, 65535, errs);
  if (range.end === undefined) errs.push(required(rp.child('end')));
  else between(rp.child('end'), range.end, 1, 65535, errs);
  if (range.start !== undefined && range.end !== undefined && !(range.start < range.end))
    errs.push(cel(rp, 'object', 'Start port must be less than End port'));
}

/** Returns whether the entry is a named port. */
function validateCNPProtocol(proto: ClusterNetworkPolicyProtocol, p: Path, errs: FieldError[]): boolean {
  for (const field of ['tcp', 'udp', 'sctp'] as const) {
    const match = proto[field];
    if (match === undefined) continue;
    const mp = p.child(field);
    if (match.destinationPort === undefined)
      errs.push(invalid(mp, 0, `${mp} in body should have at least 1 properties`));
    else validateCNPPort(match.destinationPort, mp.child('destinationPort'), errs);
  }
  return proto.destinationNamedPort !== undefined;
}

const CNP_TIERS = ['Admin', 'Baseline'];

export function validateClusterNetworkPolicy(
  cnp: ClusterNetworkPolicy,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  validateObjectMeta(cnp.metadata, false, nameIsDNSSubdomain, errs);
  const spec = cnp.spec;
  if (spec === undefined) {
    errs.push(required(SPEC));
    return;
  }
  oneOf(SPEC.child('tier'), spec.tier, CNP_TIERS, errs);
  if (spec.priority === undefined) errs.push(required(SPEC.child('priority')));
  else between(SPEC.child('priority'), spec.priority, 0, 1000, errs);
  validateSubject(spec.subject, CNP.nsRequired, errs);
  const protocols = { ports: 'protocols' } as const;
  validateRules(
    spec.ingress?.map((r) => ({ name: r.name, action: r.action, peers: r.from, ports: r.protocols })),
    SPEC.child('ingress'),
    { peers: 'from', ...protocols },
    CNP,
    (port, pp, e) => validateCNPProtocol(port, pp, e),
    errs,
    warnings,
  );
  validateRules(
    spec.egress?.map((r) => ({ name: r.name, action: r.action, peers: r.to, ports: r.protocols })),
    SPEC.child('egress'),
    { peers: 'to', ...protocols },
    CNP,
    (port, pp, e) => validateCNPProtocol(port, pp, e),
    errs,
    warnings,
  );
}

// --- AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1 ---

const ANP: Flavour = {
  maxRules: 100,
  maxPeers: 100,
  maxPorts: 100,
  actions: ['Allow', 'Deny', 'Pass'],
  accept: 'Allow',
  nsRequired: true,
  domainPattern: ANP_DOMAIN,
  namedPortMessage:
    'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames',
};

const BANP: Flavour = {
  ...ANP,
  actions: ['Allow', 'Deny'],
  namedPortMessage:
    'networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes',
};

function validateANPProtocol(protocol: string | undefined, p: Path, warnings: FieldError[]): void {
  // The CRD types protocol as a plain string (defaulted to TCP): any other value is stored, and
  // no connection has it.
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol))
    warnings.push(
      warning(p, `unsupported protocol ${JSON.stringify(protocol)}: this port matches no traffic`),
    );
}

/** Returns whether the entry is a named port. */
function validateANPPort(
  port: AdminNetworkPolicyPort,
  p: Path,
  errs: FieldError[],
  warnings: FieldError[],
): boolean {
  if (port.portNumber) {
    const np = p.child('portNumber');
    if (port.portNumber.port === undefined) errs.push(required(np.child('port')));
    else between(np.child('port'), port.portNumber.port, 1, 65535, errs);
    if (port.portNumber.protocol === undefined) errs.push(required(np.child('protocol')));
    validateANPProtocol(port.portNumber.protocol, np.child('protocol'), warnings);
  }
  if (port.portRange) {
    const rp = p.child('portRange');
    const { start, end } = port.portRange;
    if (start === undefined) errs.push(required(rp.child('start')));
    else between(rp.child('start'), start, 1, 65535, errs);
    if (end === undefined) errs.push(required(rp.child('end')));
    else between(rp.child('end'), end, 1, 65535, errs);
    validateANPProtocol(port.portRange.protocol, rp.child('protocol'), warnings);
    // v1alpha1 documents start < end without a CEL rule: a reversed range is stored and empty.
    if (start !== undefined && end !== undefined && start > end)
      warnings.push(warning(rp, `start ${start} is greater than end ${end}: this range matches no port`));
  }
  return port.namedPort !== undefined;
}

function validateV1alpha1Rules(
  spec: AdminNetworkPolicy['spec'] | BaselineAdminNetworkPolicy['spec'],
  f: Flavour,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  validateSubject(spec.subject, f.nsRequired, errs);
  const ports = { ports: 'ports' } as const;
  validateRules(
    spec.ingress?.map((r) => ({ name: r.name, action: r.action, peers: r.from, ports: r.ports })),
    SPEC.child('ingress'),
    { peers: 'from', ...ports },
    f,
    validateANPPort,
    errs,
    warnings,
  );
  validateRules(
    spec.egress?.map((r) => ({ name: r.name, action: r.action, peers: r.to, ports: r.ports })),
    SPEC.child('egress'),
    { peers: 'to', ...ports },
    f,
    validateANPPort,
    errs,
    warnings,
  );
}

export function validateAdminNetworkPolicy(
  anp: AdminNetworkPolicy,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  validateObjectMeta(anp.metadata, false, nameIsDNSSubdomain, errs);
  if (anp.spec === undefined) {
    errs.push(required(SPEC));
    return;
  }
  if (anp.spec.priority === undefined) errs.push(required(SPEC.child('priority')));
  else between(SPEC.child('priority'), anp.spec.priority, 0, 1000, errs);
  validateV1alpha1Rules(anp.spec, ANP, errs, warnings);
}

export function validateBaselineAdminNetworkPolicy(
  banp: BaselineAdminNetworkPolicy,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  validateObjectMeta(banp.metadata, false, nameIsDNSSubdomain, errs);
  // A CEL rule on the object root: the cluster holds one BANP, named `default`. Reported at
  // metadata.name, where the file can point to it.
  if (banp.metadata.name && banp.metadata.name !== 'default') {
    errs.push(
      cel(
        Path.of('metadata', 'name'),
        'object',
        'Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
      ),
    );
  }
  if (banp.spec === undefined) {
    errs.push(required(SPEC));
    return;
  }
  validateV1alpha1Rules(banp.spec, BANP, errs, warnings);
}
