// ObjectMeta, labels, annotations and label selectors (k8s.io/apimachinery/pkg/api/validation
// objectmeta.go and pkg/apis/meta/v1/validation).

import type { FieldError } from '../errors.js';
import type { LabelSelector, ObjectMeta } from '../types.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isLabelValue,
  isQualifiedName,
} from './names.js';
import { forbidden, invalid, invalidEach, Path, required, tooLong } from './path.js';

/** How a kind's names are checked (apimachinery ValidateNameFunc). */
export type NameCheck = (name: string) => string[];

export const nameIsDNSSubdomain: NameCheck = isDNS1123Subdomain;
export const nameIsDNSLabel: NameCheck = isDNS1123Label;
export const nameIsDNS1035Label: NameCheck = isDNS1035Label;

const TOTAL_ANNOTATION_SIZE = 256 * 1024;
const METADATA = Path.of('metadata');

export function validateLabels(
  labels: Record<string, string> | undefined,
  p: Path,
  errs: FieldError[],
): void {
  if (!labels) return;
  for (const k of Object.keys(labels)) {
    invalidEach(p, k, isQualifiedName(k), errs);
    invalidEach(p, labels[k], isLabelValue(labels[k]), errs);
  }
}

export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  p: Path,
  errs: FieldError[],
): void {
  if (!annotations) return;
  let total = 0;
  for (const k of Object.keys(annotations)) {
    invalidEach(p, k, isQualifiedName(k.toLowerCase()), errs);
    total += k.length + annotations[k].length;
  }
  if (total > TOTAL_ANNOTATION_SIZE) errs.push(tooLong(p, TOTAL_ANNOTATION_SIZE));
}

function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], p: Path, errs: FieldError[]): void {
  if (!refs) return;
  let controller: string | undefined;
  refs.forEach((ref, i) => {
    const rp = p.index(i);
    const version = ref.apiVersion?.slice(ref.apiVersion.lastIndexOf('/') + 1) ?? '';
    if (version === '')
      errs.push(invalid(rp.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    for (const f of ['kind', 'name', 'uid'] as const) {
      if (!ref[f]) errs.push(invalid(rp.child(f), ref[f] ?? '', 'must not be empty'));
    }
    if (ref.controller) {
      const self = `${ref.kind}/${ref.name}`;
      if (controller !== undefined) {
        errs.push(
          invalid(
            p,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${self}`,
          ),
        );
      }
      controller ??= self;
    }
  });
}

// podnet computes a cluster from manifests, repeatably: a name the server would invent on
// each create has no stable identity to compute with.
const NO_GENERATE_NAME =
  'generateName is not supported: podnet computes the cluster from the manifests again on every run and needs stable object names; set metadata.name';

/** ValidateObjectMeta on create; an object with only generateName is refused (see above). */
export function validateObjectMeta(
  meta: ObjectMeta,
  namespaced: boolean,
  nameCheck: NameCheck,
  errs: FieldError[],
): void {
  const p = METADATA;
  if (meta.generateName) {
    invalidEach(
      p.child('generateName'),
      meta.generateName,
      nameCheck(meta.generateName.replace(/-$/, 'a')),
      errs,
    );
  }
  if (!meta.name)
    errs.push(
      required(p.child('name'), meta.generateName ? NO_GENERATE_NAME : 'name or generateName is required'),
    );
  else invalidEach(p.child('name'), meta.name, nameCheck(meta.name), errs);
  // Admission has already given namespaced objects a namespace and cleared it on the others.
  if (namespaced && meta.namespace) {
    invalidEach(p.child('namespace'), meta.namespace, isDNS1123Label(meta.namespace), errs);
  }
  if (meta.generation !== undefined && meta.generation < 0) {
    errs.push(invalid(p.child('generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  validateLabels(meta.labels, p.child('labels'), errs);
  validateAnnotations(meta.annotations, p.child('annotations'), errs);
  validateOwnerReferences(meta.ownerReferences, p.child('ownerReferences'), errs);
}

/** metav1.LabelSelector: operators, keys and values (values strictly, as for new objects). */
export function validateLabelSelector(sel: LabelSelector | undefined, p: Path, errs: FieldError[]): void {
  if (!sel) return;
  validateLabels(sel.matchLabels, p.child('matchLabels'), errs);
  sel.matchExpressions?.forEach((e, i) => {
    const ep = p.child('matchExpressions').index(i);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0)
          errs.push(required(ep.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) {
          errs.push(
            forbidden(
              ep.child('values'),
              "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            ),
          );
        }
        break;
      default:
        errs.push(invalid(ep.child('operator'), e.operator ?? '', 'not a valid selector operator'));
    }
    invalidEach(ep.child('key'), e.key ?? '', isQualifiedName(e.key ?? ''), errs);
    values.forEach((v, j) => {
      invalidEach(ep.child('values').index(j), v, isLabelValue(v), errs);
    });
  });
}

/** True when the selector has no requirement at all (it would select everything). */
export function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0;
}
