// The structural type check. The API server decodes JSON into typed Go structs with strict field
// validation: a wrong JSON type fails decoding and an undeclared field is `unknown field "..."`.
// Here each API type is a small schema table (types.ts); one walk checks a document against it
// and returns a deep copy, so later stages never touch (or are touched by) the caller's object.
//
// Hostile input: keys are looked up in Maps and copied with defineProperty (a `__proto__` key is
// a field like any other), opaque subtrees are copied without recursion, nesting deeper than
// apimachinery's limit is refused, and every error message shortens the values it echoes.

import type { FieldError } from '../errors.js';
import { invalid, type Path, TextFieldError } from './path.js';

export type Schema =
  | { readonly t: 'string'; readonly format?: 'date-time' | 'byte' }
  | { readonly t: 'int32' | 'int64' | 'number' | 'boolean' | 'intOrString' | 'any' | 'object' }
  | { readonly t: 'struct'; readonly fields: ReadonlyMap<string, Schema> }
  | { readonly t: 'map'; readonly values: Schema }
  | { readonly t: 'list'; readonly items: Schema };

export const str: Schema = { t: 'string' };
export const dateTime: Schema = { t: 'string', format: 'date-time' };
export const bytes: Schema = { t: 'string', format: 'byte' };
export const int32: Schema = { t: 'int32' };
export const int64: Schema = { t: 'int64' };
export const number: Schema = { t: 'number' };
export const bool: Schema = { t: 'boolean' };
export const intOrString: Schema = { t: 'intOrString' };
/** Any JSON value: a field podnet carries through without modelling it. */
export const any: Schema = { t: 'any' };
/** A JSON object podnet carries through without modelling its fields (probes, volumes...). */
export const object: Schema = { t: 'object' };

export const list = (items: Schema): Schema => ({ t: 'list', items });
export const map = (values: Schema): Schema => ({ t: 'map', values });
export const struct = (fields: Record<string, Schema>): Schema => ({
  t: 'struct',
  fields: new Map(Object.entries(fields)),
});
/** A struct with more fields: Go's embedded structs (EphemeralContainer embeds Container's fields). */
export const extend = (base: Schema, fields: Record<string, Schema>): Schema => {
  if (base.t !== 'struct') throw new TypeError('extend: base is not a struct');
  return { t: 'struct', fields: new Map([...base.fields, ...Object.entries(fields)]) };
};

/** apimachinery's JSON nesting limit (k8s.io/apimachinery/pkg/util/json). */
export const MAX_DEPTH = 10000;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isJSONScalar(v: unknown): boolean {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v))
  );
}

/** The JSON type name of a value, as kube-openapi's errors name it. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return isPlainObject(v) ? 'object' : 'unknown';
  return typeof v;
}

/** Sets own property k, even when k is `__proto__`. */
export function setOwn(target: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  else target[k] = v;
}

/** One step below a parent path: a field or map key (string), a list index, or none (the root). */
type Step = string | number | undefined;

function at(parent: Path, step: Step, keyed: boolean): Path {
  if (step === undefined) return parent;
  if (typeof step === 'number') return parent.index(step);
  return keyed ? parent.key(step) : parent.child(step);
}

class Checker {
  readonly errors: FieldError[] = [];

  private typeError(p: Path, value: unknown, expected: string): void {
    const shownValue = typeof value === 'object' && value !== null ? jsonType(value) : value;
    this.errors.push(
      invalid(p, shownValue, `${p} in body must be of type ${expected}: ${JSON.stringify(jsonType(value))}`),
    );
  }

  private tooDeep(p: Path): void {
    this.errors.push(
      new TextFieldError(
        'Invalid value',
        p.toFieldPath(),
        `${p}: Invalid value: exceeded max depth of ${MAX_DEPTH}`,
      ),
    );
  }

  /**
   * Checks one value. Its location is `at(parent, step, keyed)`, built only when needed (an
   * error, or a container to descend into): most values are valid scalars and never need it.
   */
  check(value: unknown, schema: Schema, parent: Path, step: Step, keyed: boolean, depth: number): unknown {
    switch (schema.t) {
      case 'string':
        if (typeof value !== 'string') return this.typeError(at(parent, step, keyed), value, 'string');
        if (schema.format === 'date-time' && !RFC3339.test(value)) {
          const p = at(parent, step, keyed);
          this.errors.push(
            invalid(p, value, `${p} in body must be of type date-time: ${JSON.stringify(value)}`),
          );
        } else if (schema.format === 'byte' && !BASE64.test(value)) {
          const p = at(parent, step, keyed);
          this.errors.push(invalid(p, value, `${p} in body must be of type byte: illegal base64 data`));
        }
        return value;
      case 'int32':
      case 'int64':
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          return this.typeError(at(parent, step, keyed), value, 'integer');
        }
        if (schema.t === 'int32' ? value < INT32_MIN || value > INT32_MAX : !Number.isSafeInteger(value)) {
          const p = at(parent, step, keyed);
          this.errors.push(invalid(p, value, `${p} in body must be of type ${schema.t}`));
        }
        return value;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          return this.typeError(at(parent, step, keyed), value, 'number');
        }
        return value;
      case 'boolean':
        if (typeof value !== 'boolean') return this.typeError(at(parent, step, keyed), value, 'boolean');
        return value;
      case 'intOrString':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' && Number.isInteger(value)) {
          if (value < INT32_MIN || value > INT32_MAX) {
            const p = at(parent, step, keyed);
            this.errors.push(invalid(p, value, `${p} in body must be of type int32`));
          }
          return value;
        }
        return this.typeError(at(parent, step, keyed), value, 'integer or string');
      case 'object':
        if (!isPlainObject(value)) return this.typeError(at(parent, step, keyed), value, 'object');
        return this.opaque(value, at(parent, step, keyed), depth);
      case 'any':
        if (typeof value !== 'object' || value === null) {
          if (isJSONScalar(value)) return value;
          return this.typeError(at(parent, step, keyed), value, 'a JSON value');
        }
        return this.opaque(value, at(parent, step, keyed), depth);
      case 'list': {
        if (!Array.isArray(value)) return this.typeError(at(parent, step, keyed), value, 'array');
        const p = at(parent, step, keyed);
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++)
          out[i] = this.check(value[i], schema.items, p, i, false, depth + 1);
        return out;
      }
      case 'map': {
        if (!isPlainObject(value)) return this.typeError(at(parent, step, keyed), value, 'object');
        const p = at(parent, step, keyed);
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value))
          setOwn(out, k, this.check(value[k], schema.values, p, k, true, depth + 1));
        return out;
      }
      case 'struct': {
        if (!isPlainObject(value)) return this.typeError(at(parent, step, keyed), value, 'object');
        const p = at(parent, step, keyed);
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value)) {
          const fieldSchema = schema.fields.get(k);
          if (fieldSchema === undefined) {
            const child = p.child(k);
            this.errors.push(
              new TextFieldError(
                'Invalid value',
                child.toFieldPath(),
                `unknown field ${JSON.stringify(child.toString())}`,
              ),
            );
            continue;
          }
          // Go decodes null into the zero value: the field is absent.
          if (value[k] === null) continue;
          setOwn(out, k, this.check(value[k], fieldSchema, p, k, false, depth + 1));
        }
        return out;
      }
    }
  }

  /** Copies a JSON value without recursion; only JSON types are allowed. */
  private opaque(root: object, p: Path, depth: number): unknown {
    const copy = (v: object): Record<string, unknown> | unknown[] =>
      Array.isArray(v) ? new Array(v.length) : {};
    const out = copy(root);
    const stack: { src: object; dst: Record<string, unknown> | unknown[]; depth: number }[] = [
      { src: root, dst: out, depth },
    ];
    while (stack.length > 0) {
      const { src, dst, depth: d } = stack.pop() as (typeof stack)[number];
      if (d >= MAX_DEPTH) {
        this.tooDeep(p);
        return undefined;
      }
      if (!Array.isArray(src) && !isPlainObject(src)) {
        this.typeError(p, src, 'a JSON value');
        return undefined;
      }
      const keys = Array.isArray(src) ? undefined : Object.keys(src);
      const n = keys ? keys.length : (src as unknown[]).length;
      for (let i = 0; i < n; i++) {
        const k = keys ? keys[i] : i;
        const v = (src as Record<string | number, unknown>)[k];
        let c: unknown = v;
        if (typeof v === 'object' && v !== null) {
          c = copy(v);
          stack.push({ src: v, dst: c as Record<string, unknown>, depth: d + 1 });
        } else if (!isJSONScalar(v)) {
          return this.typeError(p, v, 'a JSON value');
        }
        if (keys) setOwn(dst as Record<string, unknown>, k as string, c);
        else (dst as unknown[])[k as number] = c;
      }
    }
    return out;
  }
}

/** Checks a document against a schema; returns the checked deep copy and the type errors. */
export function checkTypes(
  value: unknown,
  schema: Schema,
  p: Path,
): { value: unknown; errors: FieldError[] } {
  const c = new Checker();
  const out = c.check(value, schema, p, undefined, false, 0);
  return { value: out, errors: c.errors };
}
