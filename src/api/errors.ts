// Field errors in the Kubernetes style (k8s.io/apimachinery/pkg/util/validation/field):
// `spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive`.

type Segment = { field: string } | { index: number } | { key: string };

/** A path to a field, rendered as the API server renders it: `spec.ports[1].name`, `metadata.labels[app]`. */
export class FieldPath {
  private constructor(private readonly parts: readonly Segment[]) {}

  static root(...fields: string[]): FieldPath {
    return new FieldPath(fields.map((field) => ({ field })));
  }

  child(...fields: string[]): FieldPath {
    return new FieldPath([...this.parts, ...fields.map((field) => ({ field }))]);
  }

  index(index: number): FieldPath {
    return new FieldPath([...this.parts, { index }]);
  }

  key(key: string): FieldPath {
    return new FieldPath([...this.parts, { key }]);
  }

  /** Path segments as they address the parsed document (for mapping a field to its line). */
  segments(): (string | number)[] {
    return this.parts.map((p) => ('field' in p ? p.field : 'index' in p ? p.index : p.key));
  }

  toString(): string {
    let out = '';
    for (const p of this.parts) {
      if ('field' in p) out += out ? `.${p.field}` : p.field;
      else if ('index' in p) out += `[${p.index}]`;
      else out += `[${p.key}]`;
    }
    return out;
  }
}

export type FieldErrorType =
  | 'Required value'
  | 'Invalid value'
  | 'Duplicate value'
  | 'Unsupported value'
  | 'Forbidden'
  | 'Too long'
  | 'Too many'
  | 'Internal error';

function renderValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly path: FieldPath,
    readonly value: unknown,
    readonly detail: string,
  ) {}

  get message(): string {
    const p = this.path.toString();
    switch (this.type) {
      case 'Required value':
      case 'Forbidden':
      case 'Too long':
      case 'Too many':
      case 'Internal error':
        return `${p}: ${this.type}${this.detail ? `: ${this.detail}` : ''}`;
      case 'Unsupported value':
        return `${p}: Unsupported value: ${renderValue(this.value)}${this.detail ? `: ${this.detail}` : ''}`;
      default:
        return `${p}: ${this.type}: ${renderValue(this.value)}${this.detail ? `: ${this.detail}` : ''}`;
    }
  }
}

export const required = (path: FieldPath, detail = ''): FieldError =>
  new FieldError('Required value', path, undefined, detail);
export const invalid = (path: FieldPath, value: unknown, detail: string): FieldError =>
  new FieldError('Invalid value', path, value, detail);
export const duplicate = (path: FieldPath, value: unknown): FieldError =>
  new FieldError('Duplicate value', path, value, '');
export const notSupported = (path: FieldPath, value: unknown, supported: readonly string[]): FieldError =>
  new FieldError(
    'Unsupported value',
    path,
    value,
    `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  );
export const forbidden = (path: FieldPath, detail: string): FieldError =>
  new FieldError('Forbidden', path, undefined, detail);
export const tooLong = (path: FieldPath, max: number): FieldError =>
  new FieldError('Too long', path, undefined, `may not be more than ${max} bytes`);

/** Where an object came from: shown in front of every message about it. */
export interface Origin {
  file: string;
  /** 1-based line of the object's document, when known. */
  line?: number;
  /** Maps a field path to the 1-based line of that field, when the source keeps positions. */
  lineOf?: (path: (string | number)[]) => number | undefined;
}

/** One problem with one input object, located: `file.yaml:12: Service default/web: spec...`. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  file?: string;
  line?: number;
  /** `Kind ns/name` or `Kind name`, when the object is known. */
  object?: string;
  field?: string;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : '';
  const what = d.object ? `${d.object}: ` : '';
  return `${where}${what}${d.message}`;
}

/** Error codes of podnet's own errors (stable; scripts may match on them). */
export type PodnetErrorCode =
  | 'InvalidInput'
  | 'InvalidUsage'
  | 'NotFound'
  | 'Conflict'
  | 'AllocationFailed'
  | 'LabNotRunning';

export class PodnetError extends Error {
  constructor(
    readonly code: PodnetErrorCode,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'PodnetError';
  }
}
