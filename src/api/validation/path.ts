// Field paths and error constructors for admission. Admission walks every field of every object,
// so paths are cheap linked nodes (O(1) per step) and become a FieldPath only when an error or
// warning is reported.

import { FieldError, type FieldErrorType, FieldPath } from '../errors.js';

type Step = { field: string } | { index: number } | { key: string };

export class Path {
  private constructor(
    private readonly parent: Path | undefined,
    private readonly step: Step | undefined,
  ) {}

  static readonly ROOT = new Path(undefined, undefined);

  static of(...fields: string[]): Path {
    let p = Path.ROOT;
    for (const f of fields) p = p.child(f);
    return p;
  }

  child(...fields: string[]): Path {
    let p: Path = this;
    for (const field of fields) p = new Path(p, { field });
    return p;
  }

  index(index: number): Path {
    return new Path(this, { index });
  }

  key(key: string): Path {
    return new Path(this, { key });
  }

  toFieldPath(): FieldPath {
    const steps: Step[] = [];
    for (let p: Path | undefined = this; p?.step; p = p.parent) steps.push(p.step);
    let fp = FieldPath.root();
    for (let i = steps.length - 1; i >= 0; i--) {
      const s = steps[i];
      fp = 'field' in s ? fp.child(s.field) : 'index' in s ? fp.index(s.index) : fp.key(s.key);
    }
    return fp;
  }

  toString(): string {
    return this.toFieldPath().toString();
  }
}

// Values are echoed back in messages; a hostile 10 MB string or a 100k-item list must not be.
const MAX_SHOWN_CHARS = 256;
const MAX_SHOWN_ITEMS = 16;

/** The value as an error message shows it: long strings and long lists are cut short. */
export function shown(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_SHOWN_CHARS) {
    return `${value.slice(0, MAX_SHOWN_CHARS)}...(${value.length - MAX_SHOWN_CHARS} more characters)`;
  }
  if (Array.isArray(value) && value.length > MAX_SHOWN_ITEMS) {
    return [
      ...value.slice(0, MAX_SHOWN_ITEMS).map(shown),
      `...(${value.length - MAX_SHOWN_ITEMS} more items)`,
    ];
  }
  return value;
}

/** An error or warning whose whole text is fixed, for messages that are not `path: Type: value`. */
export class TextFieldError extends FieldError {
  constructor(
    type: FieldErrorType,
    path: FieldPath,
    private readonly text: string,
  ) {
    super(type, path, undefined, text);
  }

  override get message(): string {
    return this.text;
  }
}

export const required = (p: Path, detail = ''): FieldError =>
  new FieldError('Required value', p.toFieldPath(), undefined, detail);

export const invalid = (p: Path, value: unknown, detail: string): FieldError =>
  new FieldError('Invalid value', p.toFieldPath(), shown(value), detail);

export const duplicate = (p: Path, value: unknown, detail = ''): FieldError =>
  new FieldError('Duplicate value', p.toFieldPath(), shown(value), detail);

export const notSupported = (p: Path, value: unknown, supported: readonly string[]): FieldError =>
  new FieldError(
    'Unsupported value',
    p.toFieldPath(),
    shown(value),
    `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  );

export const forbidden = (p: Path, detail: string): FieldError =>
  new FieldError('Forbidden', p.toFieldPath(), undefined, detail);

export const tooLong = (p: Path, max: number): FieldError =>
  new FieldError('Too long', p.toFieldPath(), undefined, `may not be more than ${max} bytes`);

export const tooMany = (p: Path, actual: number, max: number): FieldError =>
  new FieldError('Too many', p.toFieldPath(), undefined, `${actual}: must have at most ${max} items`);

/** An API-server warning: `<path>: <text>`, as kubectl prints `Warning: ...` lines. */
export const warning = (p: Path, text: string): FieldError =>
  new TextFieldError('Invalid value', p.toFieldPath(), `${p}: ${text}`);

/** A warning whose upstream text does not start with the path; p still locates it in the file. */
export const warningText = (p: Path, text: string): FieldError =>
  new TextFieldError('Invalid value', p.toFieldPath(), text);

/** Errors with the messages of field.ErrorList, one per string the format checks return. */
export function invalidEach(p: Path, value: unknown, messages: readonly string[], out: FieldError[]): void {
  for (const m of messages) out.push(invalid(p, value, m));
}
