// networking.k8s.io/v1 (pkg/apis/networking/validation): NetworkPolicy, Ingress, IngressClass.

import { type CIDR, cidrContains, parseIP } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type {
  Ingress,
  IngressBackend,
  IngressClass,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../types.js';
import { validateLegacyCIDR } from './addresses.js';
import {
  nameIsDNS1035Label,
  nameIsDNSSubdomain,
  validateLabelSelector,
  validateObjectMeta,
} from './metadata.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isDomainPrefixedPath,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from './names.js';
import {
  forbidden,
  invalid,
  invalidEach,
  notSupported,
  Path,
  required,
  tooLong,
  warningText,
} from './path.js';
import { PROTOCOLS } from './pod.js';

const SPEC = Path.of('spec');

// --- NetworkPolicy ---

function validatePolicyPort(port: NetworkPolicyPort, p: Path, errs: FieldError[]): void {
  if (port.protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(port.protocol)) {
    errs.push(notSupported(p.child('protocol'), port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  if (port.port === undefined) {
    if (port.endPort !== undefined)
      errs.push(
        invalid(p.child('endPort'), port.endPort, 'may not be specified when `port` is not specified'),
      );
  } else if (typeof port.port === 'number') {
    invalidEach(p.child('port'), port.port, isValidPortNum(port.port), errs);
    if (port.endPort !== undefined) {
      if (port.endPort < port.port)
        errs.push(invalid(p.child('endPort'), port.port, 'must be greater than or equal to `port`'));
      invalidEach(p.child('endPort'), port.endPort, isValidPortNum(port.endPort), errs);
    }
  } else {
    if (port.endPort !== undefined)
      errs.push(invalid(p.child('endPort'), port.endPort, 'may not be specified when `port` is non-numeric'));
    invalidEach(p.child('port'), port.port, isValidPortName(port.port), errs);
  }
}

function validateIPBlock(
  block: NonNullable<NetworkPolicyPeer['ipBlock']>,
  p: Path,
  errs: FieldError[],
): void {
  if (!block.cidr) {
    errs.push(required(p.child('cidr')));
    return;
  }
  const cidr = validateLegacyCIDR(p.child('cidr'), block.cidr, errs);
  if (!cidr) return;
  block.except?.forEach((e, i) => {
    const ep = p.child('except').index(i);
    const except = validateLegacyCIDR(ep, e, errs);
    if (except && !isStrictSubset(except, cidr))
      errs.push(invalid(ep, e, 'must be a strict subset of `cidr`'));
  });
}

function isStrictSubset(inner: CIDR, outer: CIDR): boolean {
  return cidrContains(outer, { family: inner.family, value: inner.base }) && inner.prefix > outer.prefix;
}

function validatePeer(peer: NetworkPolicyPeer, p: Path, errs: FieldError[]): void {
  let n = 0;
  if (peer.podSelector) {
    n++;
    validateLabelSelector(peer.podSelector, p.child('podSelector'), errs);
  }
  if (peer.namespaceSelector) {
    n++;
    validateLabelSelector(peer.namespaceSelector, p.child('namespaceSelector'), errs);
  }
  if (peer.ipBlock) {
    n++;
    validateIPBlock(peer.ipBlock, p.child('ipBlock'), errs);
  }
  if (n === 0) errs.push(required(p, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(forbidden(p, 'may not specify both ipBlock and another peer'));
}

export function validateNetworkPolicy(np: NetworkPolicy, errs: FieldError[]): void {
  validateObjectMeta(np.metadata, true, nameIsDNSSubdomain, errs);
  const spec = np.spec ?? ({} as NetworkPolicy['spec']);
  validateLabelSelector(spec.podSelector, SPEC.child('podSelector'), errs);
  for (const [dir, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    spec[dir]?.forEach((rule, i) => {
      const rp = SPEC.child(dir).index(i);
      rule.ports?.forEach((port, j) => {
        validatePolicyPort(port, rp.child('ports').index(j), errs);
      });
      const list = (rule as Record<string, NetworkPolicyPeer[] | undefined>)[peers];
      list?.forEach((peer, j) => {
        validatePeer(peer, rp.child(peers).index(j), errs);
      });
    });
  }
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(invalid(SPEC.child('policyTypes'), types, 'may not specify more than two policyTypes'));
    return;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress')
      errs.push(notSupported(SPEC.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
}

// --- Ingress ---

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function validateTypedReference(
  ref: { apiGroup?: string; kind?: string; name?: string },
  p: Path,
  errs: FieldError[],
): void {
  if (ref.apiGroup !== undefined)
    invalidEach(p.child('apiGroup'), ref.apiGroup, isDNS1123Subdomain(ref.apiGroup), errs);
  if (!ref.kind) errs.push(required(p.child('kind'), 'kind is required'));
  else invalidEach(p.child('kind'), ref.kind, isValidPathSegmentName(ref.kind), errs);
  if (!ref.name) errs.push(required(p.child('name'), 'name is required'));
  else invalidEach(p.child('name'), ref.name, isValidPathSegmentName(ref.name), errs);
}

function validateBackend(b: IngressBackend, p: Path, errs: FieldError[]): void {
  if (b.resource && b.service) {
    errs.push(invalid(p, '', 'cannot set both resource and service backends'));
    return;
  }
  if (b.resource) {
    validateTypedReference(b.resource, p.child('resource'), errs);
    return;
  }
  if (!b.service) {
    errs.push(invalid(p, '', 'resource or service backend is required'));
    return;
  }
  const svc = b.service;
  if (!svc.name) errs.push(required(p.child('service', 'name')));
  else invalidEach(p.child('service', 'name'), svc.name, nameIsDNS1035Label(svc.name), errs);
  const name = svc.port?.name;
  const number = svc.port?.number;
  if (name && number) errs.push(invalid(p, '', 'cannot set both port name & port number'));
  else if (name) invalidEach(p.child('service', 'port', 'name'), name, isValidPortName(name), errs);
  else if (number) invalidEach(p.child('service', 'port', 'number'), number, isValidPortNum(number), errs);
  else errs.push(required(p, 'port name or number is required'));
}

function validateHost(host: string, p: Path, errs: FieldError[]): void {
  if (host.includes('*')) invalidEach(p, host, isWildcardDNS1123Subdomain(host), errs);
  else invalidEach(p, host, isDNS1123Subdomain(host), errs);
}

function validateIngressPath(
  path: NonNullable<NonNullable<Ingress['spec']['rules']>[number]['http']>['paths'][number],
  p: Path,
  errs: FieldError[],
): void {
  if (!path.pathType) {
    errs.push(required(p.child('pathType'), 'pathType must be specified'));
    return;
  }
  const value = path.path ?? '';
  switch (path.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(invalid(p.child('path'), value, 'must be an absolute path'));
      for (const seq of INVALID_PATH_SEQUENCES) {
        if (value.includes(seq)) errs.push(invalid(p.child('path'), value, `must not contain '${seq}'`));
      }
      for (const suffix of INVALID_PATH_SUFFIXES) {
        if (value.endsWith(suffix)) errs.push(invalid(p.child('path'), value, `cannot end with '${suffix}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/'))
        errs.push(invalid(p.child('path'), value, 'must be an absolute path'));
      break;
    default:
      errs.push(notSupported(p.child('pathType'), path.pathType, PATH_TYPES));
  }
  validateBackend(path.backend ?? {}, p.child('backend'), errs);
}

export function validateIngress(ing: Ingress, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(ing.metadata, true, nameIsDNSSubdomain, errs);
  const spec = ing.spec ?? ({} as Ingress['spec']);
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend)
    errs.push(invalid(SPEC, rules, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) validateBackend(spec.defaultBackend, SPEC.child('defaultBackend'), errs);
  rules.forEach((rule, i) => {
    const rp = SPEC.child('rules').index(i);
    if (rule.host) {
      if (parseIP(rule.host))
        errs.push(invalid(rp.child('host'), rule.host, 'must be a DNS name, not an IP address'));
      validateHost(rule.host, rp.child('host'), errs);
    }
    if (rule.http) {
      const paths = rule.http.paths ?? [];
      if (paths.length === 0) errs.push(required(rp.child('http', 'paths')));
      paths.forEach((path, j) => {
        validateIngressPath(path, rp.child('http', 'paths').index(j), errs);
      });
    }
  });
  spec.tls?.forEach((tls, i) => {
    const tp = SPEC.child('tls').index(i);
    tls.hosts?.forEach((h, j) => {
      validateHost(h, tp.child('hosts').index(j), errs);
    });
    if (tls.secretName)
      invalidEach(tp.child('secretName'), tls.secretName, nameIsDNSSubdomain(tls.secretName), errs);
  });
  if (spec.ingressClassName !== undefined) {
    invalidEach(
      SPEC.child('ingressClassName'),
      spec.ingressClassName,
      nameIsDNSSubdomain(spec.ingressClassName),
      errs,
    );
  }
  if (ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) {
    warnings.push(
      warningText(
        Path.of('metadata', 'annotations').key(INGRESS_CLASS_ANNOTATION),
        `annotation "${INGRESS_CLASS_ANNOTATION}" is deprecated, please use 'spec.ingressClassName' instead`,
      ),
    );
  }
}

// --- IngressClass ---

const MAX_CONTROLLER_LENGTH = 250;

export function validateIngressClass(ic: IngressClass, errs: FieldError[]): void {
  validateObjectMeta(ic.metadata, false, nameIsDNSSubdomain, errs);
  const spec = ic.spec ?? {};
  const controller = spec.controller ?? '';
  const cp = SPEC.child('controller');
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong(cp, MAX_CONTROLLER_LENGTH));
  if (!controller) errs.push(required(cp));
  else for (const e of isDomainPrefixedPath(controller)) errs.push(invalid(cp, e.value, e.message));
  const params = spec.parameters as
    | { apiGroup?: string; kind?: string; name?: string; scope?: string; namespace?: string }
    | undefined;
  if (!params) return;
  const pp = SPEC.child('parameters');
  validateTypedReference(params, pp, errs);
  if (params.scope === undefined) {
    errs.push(required(pp.child('scope')));
    return;
  }
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') {
    errs.push(notSupported(pp.child('scope'), params.scope, ['Cluster', 'Namespace']));
    return;
  }
  if (params.scope === 'Namespace') {
    if (params.namespace === undefined)
      errs.push(required(pp.child('namespace'), "`parameters.scope` is set to 'Namespace'"));
    else invalidEach(pp.child('namespace'), params.namespace, isDNS1123Label(params.namespace), errs);
  } else if (params.namespace !== undefined) {
    errs.push(forbidden(pp.child('namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
}
