// Label selectors: the metav1.LabelSelector of objects and the string form of `-l`
// (k8s.io/apimachinery/pkg/labels). Both compile to one Selector, which the store's label
// index answers without scanning.

import type { LabelSelector } from './types.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted, deduplicated; empty for Exists / DoesNotExist. */
  readonly values: readonly string[];
}

/** A conjunction of requirements; no requirements selects everything. */
export interface Selector {
  readonly requirements: readonly Requirement[];
}

export const EVERYTHING: Selector = { requirements: [] };

export type Labels = Readonly<Record<string, string>> | undefined;

function hasLabel(labels: Labels, key: string): boolean {
  return labels !== undefined && Object.hasOwn(labels, key);
}

export function matchesRequirement(r: Requirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'In':
      return hasLabel(labels, r.key) && r.values.includes((labels as Record<string, string>)[r.key]);
    case 'NotIn':
      // NotIn matches objects without the key, as upstream does.
      return !hasLabel(labels, r.key) || !r.values.includes((labels as Record<string, string>)[r.key]);
    case 'Exists':
      return hasLabel(labels, r.key);
    case 'DoesNotExist':
      return !hasLabel(labels, r.key);
  }
}

export function matches(selector: Selector, labels: Labels): boolean {
  for (const r of selector.requirements) if (!matchesRequirement(r, labels)) return false;
  return true;
}

function requirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  return { key, operator, values: [...new Set(values)].sort() };
}

/** Requirements in a canonical order, so equal selectors print and hash alike. */
function canonical(reqs: Requirement[]): Selector {
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.operator < b.operator ? -1 : 1));
  return { requirements: reqs };
}

/**
 * Compiles a metav1.LabelSelector (already validated). An empty selector selects everything;
 * callers decide what an absent selector means (a Service without one selects nothing).
 */
export function fromLabelSelector(sel: LabelSelector): Selector {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push(requirement(k, 'In', [v]));
  for (const e of sel.matchExpressions ?? []) reqs.push(requirement(e.key, e.operator, e.values ?? []));
  return canonical(reqs);
}

/** Compiles a map selector (Service.spec.selector, nodeSelector): every pair must match. */
export function fromMap(map: Readonly<Record<string, string>>): Selector {
  return canonical(Object.entries(map).map(([k, v]) => requirement(k, 'In', [v])));
}

export class SelectorSyntaxError extends Error {
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`unable to parse requirement: ${detail}`);
    this.name = 'SelectorSyntaxError';
  }
}

/**
 * Parses the string form used by `-l`: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
 * `a`, `!a`, joined by commas. `a!=b` is NotIn, so it also matches objects without `a`.
 */
export function parseSelector(input: string): Selector {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = input;
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const word = (): string => {
    const start = i;
    while (i < s.length && !' \t,=!()'.includes(s[i])) i++;
    return s.slice(start, i);
  };
  const fail = (detail: string): never => {
    throw new SelectorSyntaxError(input, detail);
  };
  ws();
  if (i === s.length) return EVERYTHING;
  for (;;) {
    ws();
    let negated = false;
    if (s[i] === '!') {
      negated = true;
      i++;
      ws();
    }
    const key = word();
    if (!key) fail(`expected a label key at position ${i} in ${JSON.stringify(input)}`);
    ws();
    if (negated) {
      reqs.push(requirement(key, 'DoesNotExist', []));
    } else if (s.startsWith('!=', i)) {
      i += 2;
      ws();
      reqs.push(requirement(key, 'NotIn', [word()]));
    } else if (s.startsWith('==', i) || s[i] === '=') {
      i += s.startsWith('==', i) ? 2 : 1;
      ws();
      reqs.push(requirement(key, 'In', [word()]));
    } else if (/^(in|notin)\s*\(/.test(s.slice(i, i + 7))) {
      const op: Operator = s.startsWith('in', i) ? 'In' : 'NotIn';
      i += op === 'In' ? 2 : 5;
      ws();
      i++; // '('
      const values: string[] = [];
      for (;;) {
        ws();
        values.push(word());
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ')') {
          i++;
          break;
        }
        fail(`expected ',' or ')' at position ${i} in ${JSON.stringify(input)}`);
      }
      if (op === 'In' && values.every((v) => v === '')) fail(`for 'in' operator, values set can't be empty`);
      reqs.push(requirement(key, op, values));
    } else {
      reqs.push(requirement(key, 'Exists', []));
    }
    ws();
    if (i === s.length) break;
    if (s[i] !== ',') fail(`unexpected ${JSON.stringify(s[i])} at position ${i} in ${JSON.stringify(input)}`);
    i++;
  }
  return canonical(reqs);
}

function formatRequirement(r: Requirement): string {
  const single = r.values.length === 1;
  switch (r.operator) {
    case 'In':
      return single ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return single ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

/** The string form of a selector, as kubectl prints it (`app=web,tier in (a,b)`). */
export function formatSelector(sel: Selector): string {
  return sel.requirements.map(formatRequirement).join(',');
}
