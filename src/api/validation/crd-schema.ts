// A CRD's OpenAPI schema keywords and x-kubernetes-validations (CEL) failures, worded as
// apiextensions-apiserver words them (its validation package turns kube-openapi results into
// field errors): `<path> in body should be less than or equal to 1000`, `Too many: 26: must have
// at most 25 items`, and for a CEL rule `Invalid value: "object": <the rule's message>`.

import type { FieldError } from '../errors.js';
import { duplicate, invalid, notSupported, type Path, required, tooLong, tooMany } from './path.js';

export function minItems(p: Path, list: readonly unknown[], min: number, errs: FieldError[]): void {
  if (list.length < min) errs.push(invalid(p, list.length, `${p} in body should have at least ${min} items`));
}

export function maxItems(p: Path, list: readonly unknown[], max: number, errs: FieldError[]): void {
  if (list.length > max) errs.push(tooMany(p, list.length, max));
}

/** minProperties: 1 and maxProperties: 1, the API's "exactly one field must be set". */
export function exactlyOne(p: Path, obj: object, errs: FieldError[]): void {
  const n = Object.values(obj).filter((v) => v !== undefined).length;
  if (n === 0) errs.push(invalid(p, 0, `${p} in body should have at least 1 properties`));
  else if (n > 1) errs.push(tooMany(p, n, 1));
}

export function between(p: Path, v: number, min: number, max: number, errs: FieldError[]): void {
  if (v < min) errs.push(invalid(p, v, `${p} in body should be greater than or equal to ${min}`));
  else if (v > max) errs.push(invalid(p, v, `${p} in body should be less than or equal to ${max}`));
}

export function oneOf(p: Path, v: string | undefined, values: readonly string[], errs: FieldError[]): void {
  if (v === undefined) errs.push(required(p));
  else if (!values.includes(v)) errs.push(notSupported(p, v, values));
}

export function maxLength(p: Path, v: string | undefined, max: number, errs: FieldError[]): void {
  if (v !== undefined && v.length > max) errs.push(tooLong(p, max));
}

/** x-kubernetes-list-type: set. */
export function uniqueItems(p: Path, list: readonly string[], errs: FieldError[]): void {
  const seen = new Set<string>();
  list.forEach((v, i) => {
    if (seen.has(v)) errs.push(duplicate(p.index(i), v));
    seen.add(v);
  });
}

/** A failed x-kubernetes-validations rule: the value shown is the JSON type of the field. */
export function cel(p: Path, type: 'object' | 'string', message: string): FieldError {
  return invalid(p, type, message);
}
