// apps/v1 workloads (pkg/apis/apps/validation): a selector that is required, non-empty and
// matches the template's labels, non-negative counts, and the pod template validated as a pod
// spec. podnet turns these into pods, so a template that could never become a valid pod is
// refused here, as the API server refuses it.

import type { FieldError } from '../errors.js';
import { fromLabelSelector, matches } from '../labels.js';
import type {
  DaemonSet,
  Deployment,
  LabelSelector,
  PodSpec,
  PodTemplateSpec,
  ReplicaSet,
  StatefulSet,
} from '../types.js';
import {
  isEmptySelector,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
} from './metadata.js';
import { isDNS1035Label } from './names.js';
import { forbidden, invalid, invalidEach, notSupported, Path, required } from './path.js';
import { validatePodSpec } from './pod.js';

const SPEC = Path.of('spec');

function nonNegative(value: number | undefined, p: Path, errs: FieldError[]): void {
  if (value !== undefined && value < 0) errs.push(invalid(p, value, 'must be greater than or equal to 0'));
}

/** spec.selector: present, valid, not empty; returns whether it can be used to match labels. */
function validateSelector(sel: LabelSelector | undefined, kind: string, errs: FieldError[]): boolean {
  const p = SPEC.child('selector');
  if (!sel) {
    errs.push(required(p));
    return false;
  }
  const before = errs.length;
  validateLabelSelector(sel, p, errs);
  if (isEmptySelector(sel)) {
    errs.push(invalid(p, sel, `empty selector is invalid for ${kind}`));
    return false;
  }
  return errs.length === before;
}

/**
 * The template of a workload: its labels match the selector, it validates as a pod spec, and
 * its pods restart Always (controllers replace pods; they never run them to completion).
 */
function validateTemplate(
  template: PodTemplateSpec,
  sel: LabelSelector | undefined,
  selectorUsable: boolean,
  owner: string,
  errs: FieldError[],
  warnings: FieldError[],
): void {
  const p = SPEC.child('template');
  const labels = template.metadata?.labels;
  if (sel && selectorUsable && !matches(fromLabelSelector(sel), labels)) {
    errs.push(
      invalid(p.child('metadata', 'labels'), labels ?? {}, '`selector` does not match template `labels`'),
    );
  }
  validateLabels(labels, p.child('metadata', 'labels'), errs);
  validateAnnotations(template.metadata?.annotations, p.child('metadata', 'annotations'), errs);
  const spec = template.spec ?? ({} as PodSpec);
  validatePodSpec(spec, p.child('spec'), false, errs, warnings);
  if (spec.restartPolicy && spec.restartPolicy !== 'Always') {
    errs.push(notSupported(p.child('spec', 'restartPolicy'), spec.restartPolicy, ['Always']));
  }
  if (spec.activeDeadlineSeconds !== undefined) {
    errs.push(
      forbidden(
        p.child('spec', 'activeDeadlineSeconds'),
        `activeDeadlineSeconds in ${owner} is not Supported`,
      ),
    );
  }
}

export function validateDeployment(d: Deployment, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(d.metadata, true, nameIsDNSSubdomain, errs);
  const spec = d.spec ?? ({} as Deployment['spec']);
  nonNegative(spec.replicas, SPEC.child('replicas'), errs);
  const usable = validateSelector(spec.selector, 'deployment', errs);
  validateTemplate(
    spec.template ?? ({} as PodTemplateSpec),
    spec.selector,
    usable,
    'ReplicaSet',
    errs,
    warnings,
  );
}

export function validateReplicaSet(rs: ReplicaSet, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain, errs);
  const spec = rs.spec ?? ({} as ReplicaSet['spec']);
  nonNegative(spec.replicas, SPEC.child('replicas'), errs);
  nonNegative(spec.minReadySeconds as number | undefined, SPEC.child('minReadySeconds'), errs);
  // Upstream's message says "deployment" for ReplicaSets too.
  const usable = validateSelector(spec.selector, 'deployment', errs);
  validateTemplate(
    spec.template ?? ({} as PodTemplateSpec),
    spec.selector,
    usable,
    'ReplicaSet',
    errs,
    warnings,
  );
}

export function validateStatefulSet(sts: StatefulSet, errs: FieldError[], warnings: FieldError[]): void {
  // Pods are named <name>-<ordinal> and get it as their hostname: the name must be a DNS label.
  validateObjectMeta(sts.metadata, true, nameIsDNSLabel, errs);
  const spec = sts.spec ?? ({} as StatefulSet['spec']);
  const policy = spec.podManagementPolicy;
  if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(invalid(SPEC.child('podManagementPolicy'), policy, "must be 'OrderedReady' or 'Parallel'"));
  }
  nonNegative(spec.replicas, SPEC.child('replicas'), errs);
  nonNegative(spec.ordinals?.start, SPEC.child('ordinals', 'start'), errs);
  // The governing Service names the pods in DNS (<pod>.<serviceName>.<ns>.svc).
  if (spec.serviceName)
    invalidEach(SPEC.child('serviceName'), spec.serviceName, isDNS1035Label(spec.serviceName), errs);
  const usable = validateSelector(spec.selector, 'statefulset', errs);
  validateTemplate(
    spec.template ?? ({} as PodTemplateSpec),
    spec.selector,
    usable,
    'StatefulSet',
    errs,
    warnings,
  );
}

export function validateDaemonSet(ds: DaemonSet, errs: FieldError[], warnings: FieldError[]): void {
  validateObjectMeta(ds.metadata, true, nameIsDNSSubdomain, errs);
  const spec = ds.spec ?? ({} as DaemonSet['spec']);
  const usable = validateSelector(spec.selector, 'daemonset', errs);
  validateTemplate(
    spec.template ?? ({} as PodTemplateSpec),
    spec.selector,
    usable,
    'DaemonSet',
    errs,
    warnings,
  );
}
