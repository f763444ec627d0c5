// Cluster-scoped infrastructure: Node (ValidateNode: taints, podCIDRs, addresses) and Namespace.

import type { IPFamily } from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import type { Namespace, Node } from '../types.js';
import { validateCIDR, validateIP } from './addresses.js';
import { nameIsDNSLabel, nameIsDNSSubdomain, validateObjectMeta } from './metadata.js';
import { isLabelValue, isQualifiedName } from './names.js';
import { duplicate, invalid, invalidEach, notSupported, Path } from './path.js';
import { validateTaintEffect } from './pod.js';

const ADDRESS_TYPES = ['ExternalDNS', 'ExternalIP', 'Hostname', 'InternalDNS', 'InternalIP'];

export function validateNode(node: Node, errs: FieldError[]): void {
  validateObjectMeta(node.metadata, false, nameIsDNSSubdomain, errs);
  const spec = node.spec ?? {};
  const seen = new Set<string>();
  spec.taints?.forEach((t, i) => {
    const p = Path.of('spec', 'taints').index(i);
    invalidEach(p.child('key'), t.key ?? '', isQualifiedName(t.key ?? ''), errs);
    const valueErrs = isLabelValue(t.value ?? '');
    if (valueErrs.length > 0) errs.push(invalid(p.child('value'), t.value, valueErrs.join(';')));
    validateTaintEffect(t.effect, false, p.child('effect'), errs);
    const id = `${t.effect}\u0000${t.key}`;
    if (seen.has(id)) errs.push(duplicate(p, t, 'taints must be unique by key and effect pair'));
    seen.add(id);
  });

  const cidrs = spec.podCIDRs ?? [];
  const p = Path.of('spec', 'podCIDRs');
  const families = new Set<IPFamily>();
  let valid = true;
  cidrs.forEach((c, i) => {
    const cidr = validateCIDR(p.index(i), c, errs);
    if (cidr) families.add(cidr.family);
    else valid = false;
  });
  if (cidrs.length > 1) {
    if (valid && (cidrs.length > 2 || families.size !== 2)) {
      errs.push(invalid(p, cidrs, 'may specify no more than one CIDR for each IP family'));
    }
    const distinct = new Set<string>();
    cidrs.forEach((c, i) => {
      if (distinct.has(c)) errs.push(duplicate(p.index(i), c));
      distinct.add(c);
    });
  }

  // Node addresses are where podnet's node network and hostNetwork pods live.
  node.status?.addresses?.forEach((a, i) => {
    const ap = Path.of('status', 'addresses').index(i);
    if (!ADDRESS_TYPES.includes(a.type))
      errs.push(notSupported(ap.child('type'), a.type ?? '', ADDRESS_TYPES));
    else if (a.type === 'InternalIP' || a.type === 'ExternalIP')
      validateIP(ap.child('address'), a.address ?? '', errs);
  });
}

export function validateNamespace(ns: Namespace, errs: FieldError[]): void {
  validateObjectMeta(ns.metadata, false, nameIsDNSLabel, errs);
}
