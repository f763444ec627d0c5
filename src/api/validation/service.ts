// Service validation (pkg/apis/core/validation ValidateService, validateServicePort,
// ValidateServiceClusterIPsRelatedFields, validateServiceExternalTrafficPolicy) and the
// Service warnings (pkg/api/service/warnings.go).

import type { IPFamily } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type { Service, ServicePort } from '../types.js';
import {
  ipWarnings,
  validateCanonicalIP,
  validateCIDR,
  validateIP,
  validateNonSpecialIP,
} from './addresses.js';
import { nameIsDNS1035Label, validateLabels, validateObjectMeta } from './metadata.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './names.js';
import {
  duplicate,
  forbidden,
  invalid,
  invalidEach,
  notSupported,
  Path,
  required,
  warningText,
} from './path.js';
import { validatePortNumOrName, validateProtocol } from './pod.js';

const SPEC = Path.of('spec');
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const AFFINITIES = ['ClientIP', 'None'];
const FAMILIES = ['IPv4', 'IPv6'];
const FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameNode', 'PreferSameZone'];
const MAX_AFFINITY_SECONDS = 86400;
const TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Headless after the registry mirrored clusterIP into clusterIPs: exactly ["None"]. */
export function isHeadlessService(s: Service): boolean {
  return s.spec.clusterIPs?.length === 1 && s.spec.clusterIPs[0] === 'None';
}

/** apiservice.ExternallyAccessible: reachable from outside through node ports or external IPs. */
export function isExternallyAccessible(s: Service): boolean {
  const t = s.spec.type;
  return (
    t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (s.spec.externalIPs?.length ?? 0) > 0)
  );
}

function validateServicePort(
  sp: ServicePort,
  requireName: boolean,
  names: Set<string>,
  p: Path,
  errs: FieldError[],
): void {
  if (requireName && !sp.name) errs.push(required(p.child('name')));
  else if (sp.name) {
    invalidEach(p.child('name'), sp.name, isDNS1123Label(sp.name), errs);
    if (names.has(sp.name)) errs.push(duplicate(p.child('name'), sp.name));
    else names.add(sp.name);
  }
  invalidEach(p.child('port'), sp.port ?? 0, isValidPortNum(sp.port ?? 0), errs);
  validateProtocol(sp.protocol, p.child('protocol'), errs);
  validatePortNumOrName(sp.targetPort ?? 0, p.child('targetPort'), errs);
  if (sp.appProtocol !== undefined)
    invalidEach(p.child('appProtocol'), sp.appProtocol, isQualifiedName(sp.appProtocol), errs);
}

/** clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy, each alone and against each other. */
function validateClusterIPs(s: Service, errs: FieldError[]): void {
  const { clusterIP, clusterIPs = [], ipFamilies = [], ipFamilyPolicy } = s.spec;
  const ipsPath = SPEC.child('clusterIPs');
  // Defaulting mirrored a lone clusterIP into clusterIPs; what remains is a contradiction.
  if (clusterIP) {
    if (clusterIPs[0] !== clusterIP)
      errs.push(invalid(ipsPath, clusterIPs, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0) {
    errs.push(invalid(ipsPath, clusterIPs, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  ipFamilies.forEach((f, i) => {
    const fp = SPEC.child('ipFamilies').index(i);
    if (!FAMILIES.includes(f)) errs.push(notSupported(fp, f, FAMILIES));
    if (seen.has(f)) errs.push(duplicate(fp, f));
    seen.add(f);
  });
  if (ipFamilyPolicy !== undefined && !FAMILY_POLICIES.includes(ipFamilyPolicy)) {
    errs.push(notSupported(SPEC.child('ipFamilyPolicy'), ipFamilyPolicy, FAMILY_POLICIES));
  }
  let bad = false;
  const families: IPFamily[] = [];
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        bad = true;
        errs.push(invalid(ipsPath, clusterIPs, "'None' must be the first and only value"));
      }
      return;
    }
    const parsed = validateCanonicalIP(ipsPath.index(i), ip, errs);
    if (parsed) families.push(parsed.family);
    else bad = true;
  });
  if (clusterIPs.length > 2) errs.push(invalid(ipsPath, clusterIPs, 'may only hold up to 2 values'));
  // Further checks would only restate a malformed address.
  if (bad) return;
  if (clusterIPs.length > 1 && (families.length !== 2 || families[0] === families[1])) {
    errs.push(invalid(ipsPath, clusterIPs, 'may specify no more than one IP for each IP family'));
  }
  if (!isHeadlessService(s)) {
    families.forEach((f, i) => {
      if (i < ipFamilies.length && ipFamilies[i] !== f && FAMILIES.includes(ipFamilies[i])) {
        errs.push(
          invalid(
            ipsPath.index(i),
            clusterIPs[i],
            `expected an ${ipFamilies[i]} value as indicated by \`ipFamilies[${i}]\``,
          ),
        );
      }
    });
  }
}

function validateByType(s: Service, errs: FieldError[]): void {
  const spec = s.spec;
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (isHeadlessService(s)) {
        errs.push(
          invalid(
            SPEC.child('clusterIPs').index(0),
            'None',
            `may not be set to 'None' for ${spec.type} services`,
          ),
        );
      }
      break;
    case 'ExternalName': {
      if (spec.clusterIPs?.length)
        errs.push(forbidden(SPEC.child('clusterIPs'), 'may not be set for ExternalName services'));
      if (spec.ipFamilies?.length)
        errs.push(forbidden(SPEC.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined)
        errs.push(forbidden(SPEC.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      // The value is a CNAME target and may be written fully qualified, with the trailing dot.
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname) invalidEach(SPEC.child('externalName'), cname, isDNS1123Subdomain(cname), errs);
      else errs.push(required(SPEC.child('externalName')));
      break;
    }
    default:
      if (!TYPES.includes(spec.type as string)) errs.push(notSupported(SPEC.child('type'), spec.type, TYPES));
  }
}

function validatePortSets(s: Service, errs: FieldError[]): void {
  const ports = s.spec.ports ?? [];
  const nodePorts = new Set<string>();
  const servicePorts = new Set<string>();
  ports.forEach((port, i) => {
    const pp = SPEC.child('ports').index(i);
    if (s.spec.type === 'ClusterIP' && port.nodePort) {
      errs.push(forbidden(pp.child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    }
    if (port.nodePort) {
      const key = `${port.protocol}/${port.nodePort}`;
      if (nodePorts.has(key)) errs.push(duplicate(pp.child('nodePort'), port.nodePort));
      nodePorts.add(key);
    }
    const key = `${port.protocol}/${port.port}`;
    if (servicePorts.has(key)) errs.push(duplicate(pp, { port: port.port, protocol: port.protocol }));
    servicePorts.add(key);
  });
}

function validateLoadBalancerFields(s: Service, errs: FieldError[]): void {
  const spec = s.spec;
  const isLB = spec.type === 'LoadBalancer';
  const annotation = s.metadata.annotations?.[SOURCE_RANGES_ANNOTATION];
  if (spec.loadBalancerSourceRanges?.length) {
    const p = SPEC.child('loadBalancerSourceRanges');
    if (!isLB) errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    // Space padding is tolerated, a leftover from when the ranges lived in an annotation.
    spec.loadBalancerSourceRanges.forEach((r, i) => {
      validateCIDR(p.index(i), r.trim(), errs);
    });
  } else if (annotation !== undefined) {
    const p = Path.of('metadata', 'annotations').key(SOURCE_RANGES_ANNOTATION);
    if (!isLB) errs.push(forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
    for (const r of annotation.trim() ? annotation.split(',') : []) validateCIDR(p, r.trim(), errs);
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && !isLB) {
    errs.push(
      forbidden(
        SPEC.child('allocateLoadBalancerNodePorts'),
        "may only be used when `type` is 'LoadBalancer'",
      ),
    );
  }
  if (spec.loadBalancerClass !== undefined) {
    if (isLB)
      invalidEach(
        SPEC.child('loadBalancerClass'),
        spec.loadBalancerClass,
        isQualifiedName(spec.loadBalancerClass),
        errs,
      );
    else
      errs.push(forbidden(SPEC.child('loadBalancerClass'), "may only be used when `type` is 'LoadBalancer'"));
  }
}

function validateTrafficPolicies(s: Service, errs: FieldError[]): void {
  const spec = s.spec;
  const etp = spec.externalTrafficPolicy;
  if (!isExternallyAccessible(s)) {
    if (etp)
      errs.push(
        invalid(
          SPEC.child('externalTrafficPolicy'),
          etp,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (etp && !TRAFFIC_POLICIES.includes(etp)) {
    errs.push(notSupported(SPEC.child('externalTrafficPolicy'), etp, TRAFFIC_POLICIES));
  }
  // The port itself is allocated later (the service allocator); here only its placement.
  const hc = spec.healthCheckNodePort;
  if (hc) {
    if (spec.type !== 'LoadBalancer' || etp !== 'Local') {
      errs.push(
        invalid(
          SPEC.child('healthCheckNodePort'),
          hc,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    } else {
      invalidEach(SPEC.child('healthCheckNodePort'), hc, isValidPortNum(hc), errs);
    }
  }
  const itp = spec.internalTrafficPolicy;
  if (itp !== undefined && !TRAFFIC_POLICIES.includes(itp)) {
    errs.push(notSupported(SPEC.child('internalTrafficPolicy'), itp, TRAFFIC_POLICIES));
  }
  const td = spec.trafficDistribution;
  if (td !== undefined && !TRAFFIC_DISTRIBUTIONS.includes(td)) {
    errs.push(notSupported(SPEC.child('trafficDistribution'), td, TRAFFIC_DISTRIBUTIONS));
  }
}

function validateSessionAffinity(s: Service, errs: FieldError[]): void {
  const { sessionAffinity, sessionAffinityConfig } = s.spec;
  const p = SPEC.child('sessionAffinityConfig');
  if (!AFFINITIES.includes(sessionAffinity as string)) {
    errs.push(notSupported(SPEC.child('sessionAffinity'), sessionAffinity, AFFINITIES));
    return;
  }
  if (sessionAffinity !== 'ClientIP') return;
  // Defaulting gives ClientIP affinity a timeout, so only its range is left to check.
  const timeout = sessionAffinityConfig?.clientIP?.timeoutSeconds as number;
  if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
    errs.push(
      invalid(
        p.child('clientIP', 'timeoutSeconds'),
        timeout,
        `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`,
      ),
    );
  }
}

export function validateService(s: Service, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(s.metadata, true, nameIsDNS1035Label, errs);
  const annotations = s.metadata.annotations ?? {};
  const mode = annotations[TOPOLOGY_MODE];
  const hints = annotations[TOPOLOGY_HINTS];
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(
      invalid(
        Path.of('metadata', 'annotations').key(TOPOLOGY_MODE),
        mode,
        `must match annotations[${TOPOLOGY_HINTS}] when both are specified`,
      ),
    );
  }
  const spec = s.spec;
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadlessService(s) && spec.type !== 'ExternalName')
    errs.push(required(SPEC.child('ports')));
  validateByType(s, errs);
  const names = new Set<string>();
  ports.forEach((port, i) => {
    validateServicePort(port, ports.length > 1, names, SPEC.child('ports').index(i), errs);
  });
  validateLabels(spec.selector, SPEC.child('selector'), errs);
  validateSessionAffinity(s, errs);
  if (spec.type !== 'ExternalName') validateClusterIPs(s, errs);
  spec.externalIPs?.forEach((ip, i) => {
    const p = SPEC.child('externalIPs').index(i);
    const parsed = validateCanonicalIP(p, ip, errs);
    if (parsed) validateNonSpecialIP(p, ip, parsed, errs);
  });
  // Deprecated and not validated upstream; podnet's load balancer hands it out, so it must parse.
  if (spec.loadBalancerIP) {
    const parsed = validateIP(SPEC.child('loadBalancerIP'), spec.loadBalancerIP, errs);
    if (parsed) ipWarnings(SPEC.child('loadBalancerIP'), spec.loadBalancerIP, parsed, warnings);
  }
  validatePortSets(s, errs);
  validateLoadBalancerFields(s, errs);
  validateTrafficPolicies(s, errs);
  validateLoadBalancerStatus(s, errs);
  serviceWarnings(s, warnings);
}

/** status.loadBalancer of a snapshot: addresses podnet will route to, so they must parse. */
function validateLoadBalancerStatus(s: Service, errs: FieldError[]): void {
  s.status?.loadBalancer?.ingress?.forEach((ing, i) => {
    const p = Path.of('status', 'loadBalancer', 'ingress').index(i);
    if (ing.ip) validateCanonicalIP(p.child('ip'), ing.ip, errs);
    if (ing.ipMode !== undefined && !ing.ip)
      errs.push(forbidden(p.child('ipMode'), 'may not be specified when `ip` is not set'));
    else if (ing.ipMode !== undefined && ing.ipMode !== 'VIP' && ing.ipMode !== 'Proxy') {
      errs.push(notSupported(p.child('ipMode'), ing.ipMode, ['Proxy', 'VIP']));
    }
    if (ing.hostname) invalidEach(p.child('hostname'), ing.hostname, isDNS1123Subdomain(ing.hostname), errs);
  });
}

function serviceWarnings(s: Service, warnings: FieldError[]): void {
  const spec = s.spec;
  if (s.metadata.annotations?.[TOPOLOGY_HINTS] !== undefined) {
    warnings.push(
      warningText(
        Path.of('metadata', 'annotations').key(TOPOLOGY_HINTS),
        `annotation ${TOPOLOGY_HINTS} is deprecated, please use ${TOPOLOGY_MODE} instead`,
      ),
    );
  }
  if (isHeadlessService(s)) {
    if (spec.loadBalancerIP)
      warnings.push(
        warningText(SPEC.child('loadBalancerIP'), 'spec.loadBalancerIP is ignored for headless services'),
      );
    if (spec.externalIPs?.length)
      warnings.push(
        warningText(SPEC.child('externalIPs'), 'spec.externalIPs is ignored for headless services'),
      );
    if (spec.sessionAffinity !== 'None')
      warnings.push(
        warningText(SPEC.child('sessionAffinity'), 'spec.SessionAffinity is ignored for headless services'),
      );
  }
  if (spec.type === 'ExternalName' && spec.externalIPs?.length) {
    warnings.push(
      warningText(SPEC.child('externalIPs'), 'spec.externalIPs is ignored when spec.type is "ExternalName"'),
    );
  }
  if (spec.type !== 'ExternalName' && spec.externalName) {
    warnings.push(
      warningText(
        SPEC.child('externalName'),
        'spec.externalName is ignored when spec.type is not "ExternalName"',
      ),
    );
  }
}
