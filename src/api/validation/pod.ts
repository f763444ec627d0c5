// PodSpec and Pod validation, the networking and scheduling parts (pkg/apis/core/validation:
// ValidatePodSpec, validateContainers, validateContainerPorts, validateHostNetwork,
// validatePodDNSConfig, validateHostAliases, ValidateTolerations, ValidateNodeSelector).

import { type IPFamily, ipKey } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type {
  Container,
  ContainerPort,
  NodeSelectorRequirement,
  Pod,
  PodSpec,
  Toleration,
} from '../types.js';
import { validateIP } from './addresses.js';
import { nameIsDNSSubdomain, validateLabels, validateObjectMeta } from './metadata.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isLabelValue,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
} from './names.js';
import { duplicate, forbidden, invalid, invalidEach, notSupported, Path, required } from './path.js';
import { podSpecWarnings } from './pod-warnings.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_LIST_CHARS = 2048;

/** A port protocol (defaulted to TCP, so only its value can be wrong). */
export function validateProtocol(protocol: string | undefined, p: Path, errs: FieldError[]): void {
  if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    errs.push(notSupported(p, protocol, PROTOCOLS));
  }
}

/** A targetPort or probe port: a number in range or an IANA service name. */
export function validatePortNumOrName(port: number | string, p: Path, errs: FieldError[]): void {
  if (typeof port === 'number') invalidEach(p, port, isValidPortNum(port), errs);
  else invalidEach(p, port, isValidPortName(port), errs);
}

export function validateTaintEffect(
  effect: string | undefined,
  allowEmpty: boolean,
  p: Path,
  errs: FieldError[],
): void {
  if (!effect) {
    if (!allowEmpty) errs.push(required(p));
  } else if (!TAINT_EFFECTS.includes(effect)) {
    errs.push(notSupported(p, effect, TAINT_EFFECTS));
  }
}

function validateContainerPorts(ports: ContainerPort[] | undefined, p: Path, errs: FieldError[]): void {
  const names = new Set<string>();
  ports?.forEach((port, i) => {
    const pp = p.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length > 0) invalidEach(pp.child('name'), port.name, msgs, errs);
      else if (names.has(port.name)) errs.push(duplicate(pp.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(pp.child('containerPort')));
    else invalidEach(pp.child('containerPort'), port.containerPort, isValidPortNum(port.containerPort), errs);
    if (port.hostPort) invalidEach(pp.child('hostPort'), port.hostPort, isValidPortNum(port.hostPort), errs);
    validateProtocol(port.protocol, pp.child('protocol'), errs);
    if (port.hostIP) validateIP(pp.child('hostIP'), port.hostIP, errs);
  });
}

/** Two ports of one pod bound to the same hostIP/protocol/hostPort cannot both be served. */
function validateUniqueHostPorts(containers: Container[], p: Path, errs: FieldError[]): void {
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    c.ports?.forEach((port, pi) => {
      if (!port.hostPort) return;
      const id = `${port.hostIP ?? ''}/${port.protocol}/${port.hostPort}`;
      if (seen.has(id)) errs.push(duplicate(p.index(ci).child('ports').index(pi).child('hostPort'), id));
      seen.add(id);
    });
  });
}

function validateContainers(
  list: Container[] | undefined,
  p: Path,
  names: Set<string>,
  errs: FieldError[],
): void {
  list?.forEach((c, i) => {
    const cp = p.index(i);
    if (!c.name) errs.push(required(cp.child('name')));
    else {
      invalidEach(cp.child('name'), c.name, isDNS1123Label(c.name), errs);
      if (names.has(c.name)) errs.push(duplicate(cp.child('name'), c.name));
      names.add(c.name);
    }
    if (!c.image) errs.push(required(cp.child('image')));
    validateContainerPorts(c.ports, cp.child('ports'), errs);
  });
  if (list) validateUniqueHostPorts(list, p, errs);
}

/**
 * With hostNetwork the container binds the node's port itself, so hostPort must equal
 * containerPort. Pods have hostPort defaulted to containerPort; templates are not defaulted, so
 * there 0 (unset) is allowed. Upstream checks app containers only.
 */
function validateHostNetwork(spec: PodSpec, isPod: boolean, p: Path, errs: FieldError[]): void {
  if (!spec.hostNetwork) return;
  spec.containers?.forEach((c, i) => {
    c.ports?.forEach((port, j) => {
      if (port.hostPort === port.containerPort || (!isPod && !port.hostPort)) return;
      const hp = p.child('containers').index(i).child('ports').index(j).child('hostPort');
      errs.push(invalid(hp, port.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true'));
    });
  });
}

function validateDNSConfig(spec: PodSpec, p: Path, errs: FieldError[]): void {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) {
      errs.push(required(p, 'must provide `dnsConfig` when `dnsPolicy` is None'));
      return;
    }
    if (!cfg.nameservers?.length) {
      errs.push(
        required(p.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      );
      return;
    }
  }
  if (!cfg) return;
  const ns = cfg.nameservers ?? [];
  if (ns.length > MAX_NAMESERVERS) {
    errs.push(invalid(p.child('nameservers'), ns, `must not have more than ${MAX_NAMESERVERS} nameservers`));
  }
  ns.forEach((s, i) => {
    validateIP(p.child('nameservers').index(i), s, errs);
  });
  const searches = cfg.searches ?? [];
  if (searches.length > MAX_SEARCH_PATHS) {
    errs.push(
      invalid(p.child('searches'), searches, `must not have more than ${MAX_SEARCH_PATHS} search paths`),
    );
  }
  if (searches.join(' ').length > MAX_SEARCH_LIST_CHARS) {
    errs.push(
      invalid(
        p.child('searches'),
        searches,
        `must not have more than ${MAX_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
      ),
    );
  }
  // RelaxedDNSSearchValidation (on by default): "." and underscores, as SRV-style names need.
  searches.forEach((s, i) => {
    if (s === '.') return;
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    invalidEach(p.child('searches').index(i), trimmed, isDNS1123SubdomainWithUnderscore(trimmed), errs);
  });
  cfg.options?.forEach((o, i) => {
    if (!o.name) errs.push(required(p.child('options').index(i), 'must not be empty'));
  });
}

function validateTolerations(tolerations: Toleration[] | undefined, p: Path, errs: FieldError[]): void {
  tolerations?.forEach((t, i) => {
    const tp = p.index(i);
    if (t.key) invalidEach(tp.child('key'), t.key, isQualifiedName(t.key), errs);
    if (!t.key && t.operator !== 'Exists') {
      errs.push(
        invalid(
          tp.child('operator'),
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(
        invalid(
          tp.child('effect'),
          t.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isLabelValue(t.value ?? '');
        if (msgs.length > 0) errs.push(invalid(tp.child('operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value)
          errs.push(invalid(tp.child('operator'), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(tp.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    validateTaintEffect(t.effect, true, tp.child('effect'), errs);
  });
}

function validateNodeSelectorRequirement(
  r: NodeSelectorRequirement,
  fields: boolean,
  p: Path,
  errs: FieldError[],
): void {
  const values = r.values ?? [];
  if (fields) {
    if (r.operator !== 'In' && r.operator !== 'NotIn')
      errs.push(invalid(p.child('operator'), r.operator ?? '', 'not a valid selector operator'));
    else if (values.length !== 1) {
      errs.push(
        required(
          p.child('values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
    }
    // metadata.name is the only node field a selector may use.
    if (r.key !== 'metadata.name')
      errs.push(invalid(p.child('key'), r.key ?? '', 'not a valid field selector key'));
    else
      values.forEach((v, i) => {
        invalidEach(p.child('values').index(i), v, nameIsDNSSubdomain(v), errs);
      });
    return;
  }
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0)
        errs.push(required(p.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0)
        errs.push(
          forbidden(p.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
        );
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1)
        errs.push(
          required(p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"),
        );
      break;
    default:
      errs.push(invalid(p.child('operator'), r.operator ?? '', 'not a valid selector operator'));
  }
  invalidEach(p.child('key'), r.key ?? '', isQualifiedName(r.key ?? ''), errs);
  values.forEach((v, i) => {
    invalidEach(p.child('values').index(i), v, isLabelValue(v), errs);
  });
}

function validateAffinity(spec: PodSpec, p: Path, errs: FieldError[]): void {
  const required_ = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required_) return;
  const tp = p.child('nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  const terms = required_.nodeSelectorTerms ?? [];
  if (terms.length === 0) {
    errs.push(required(tp, 'must have at least one node selector term'));
    return;
  }
  terms.forEach((term, i) => {
    term.matchExpressions?.forEach((r, j) => {
      validateNodeSelectorRequirement(r, false, tp.index(i).child('matchExpressions').index(j), errs);
    });
    term.matchFields?.forEach((r, j) => {
      validateNodeSelectorRequirement(r, true, tp.index(i).child('matchFields').index(j), errs);
    });
  });
}

/** ValidatePodSpec (networking and scheduling fields); p is `spec` or `spec.template.spec`. */
export function validatePodSpec(
  spec: PodSpec,
  p: Path,
  isPod: boolean,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  const names = new Set<string>();
  if (!spec.containers?.length) errs.push(required(p.child('containers')));
  validateContainers(spec.containers, p.child('containers'), names, errs);
  validateContainers(spec.initContainers, p.child('initContainers'), names, errs);
  if (!isPod && (spec.ephemeralContainers as unknown[] | undefined)?.length) {
    errs.push(forbidden(p.child('ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  validateHostNetwork(spec, isPod, p, errs);
  if (spec.restartPolicy && !RESTART_POLICIES.includes(spec.restartPolicy)) {
    errs.push(notSupported(p.child('restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  }
  if (spec.dnsPolicy && !DNS_POLICIES.includes(spec.dnsPolicy)) {
    errs.push(notSupported(p.child('dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  }
  validateLabels(spec.nodeSelector, p.child('nodeSelector'), errs);
  if (spec.nodeName) invalidEach(p.child('nodeName'), spec.nodeName, nameIsDNSSubdomain(spec.nodeName), errs);
  if (spec.hostname) invalidEach(p.child('hostname'), spec.hostname, isDNS1123Label(spec.hostname), errs);
  if (spec.subdomain) invalidEach(p.child('subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain), errs);
  validateTolerations(spec.tolerations, p.child('tolerations'), errs);
  spec.hostAliases?.forEach((a, i) => {
    const ap = p.child('hostAliases').index(i);
    validateIP(ap.child('ip'), a.ip ?? '', errs);
    a.hostnames?.forEach((h, j) => {
      invalidEach(ap.child('hostnames').index(j), h, isDNS1123Subdomain(h), errs);
    });
  });
  validateDNSConfig(spec, p.child('dnsConfig'), errs);
  validateAffinity(spec, p.child('affinity'), errs);
  podSpecWarnings(spec, p, warnings);
}

/** podIPs / hostIPs: valid, at most one per family, no duplicates (validatePodIPs). */
function validateStatusIPs(ips: { ip: string }[] | undefined, p: Path, errs: FieldError[]): void {
  if (!ips) return;
  const families = new Set<IPFamily>();
  const seen = new Set<string>();
  let valid = true;
  ips.forEach((entry, i) => {
    const ip = validateIP(p.index(i), entry.ip ?? '', errs);
    if (!ip) {
      valid = false;
      return;
    }
    families.add(ip.family);
    if (seen.has(ipKey(ip))) errs.push(duplicate(p.index(i), entry));
    seen.add(ipKey(ip));
  });
  if (valid && ips.length > 1 && (ips.length > 2 || families.size !== 2)) {
    errs.push(invalid(p, ips, 'may specify no more than one IP for each IP family'));
  }
}

export function validatePod(pod: Pod, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain, errs);
  validatePodSpec(pod.spec ?? ({} as PodSpec), Path.of('spec'), true, errs, warnings);
  validateStatusIPs(pod.status?.podIPs, Path.of('status', 'podIPs'), errs);
  validateStatusIPs(pod.status?.hostIPs, Path.of('status', 'hostIPs'), errs);
}
