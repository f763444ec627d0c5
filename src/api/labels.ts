// Label selectors: the metav1.LabelSelector of objects and the string form of `-l`
// (k8s.io/apimachinery/pkg/labels). Both compile to one Selector, which the store's label
// index answers without scanning.

import type { LabelSelector } from './types.js';
import { isLabelValue, isQualifiedName } from './validation/names.js';

/** Gt and Lt exist only in the string form of `-l` (integer comparison of the label value). */
export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

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
    case 'Gt':
    case 'Lt': {
      if (!hasLabel(labels, r.key)) return false;
      const have = (labels as Record<string, string>)[r.key];
      if (!/^-?\d+$/.test(have)) return false;
      return r.operator === 'Gt' ? BigInt(have) > BigInt(r.values[0]) : BigInt(have) < BigInt(r.values[0]);
    }
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

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'op'; text: '=' | '==' | '!=' | '!' | '>' | '<' | '(' | ')' | ','; at: number };

// The lexer of k8s.io/apimachinery/pkg/labels: identifiers run until whitespace or one of the
// special characters; operators are the longest match.
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: input.slice(i, i + 2) as '==' | '!=', at: i });
      i += 2;
    } else if ('=!><(),'.includes(c)) {
      tokens.push({ kind: 'op', text: c as '=', at: i });
      i++;
    } else {
      const at = i;
      while (i < input.length && !' \t\n\r=!><(),'.includes(input[i])) i++;
      tokens.push({ kind: 'word', text: input.slice(at, i), at });
    }
  }
  return tokens;
}

/**
 * Parses the string form used by `-l` (k8s.io/apimachinery/pkg/labels Parse): `a=b`, `a==b`,
 * `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, joined by commas. `a!=b` and
 * `notin` also match objects without `a`. Keys must be qualified names and values label values.
 */
export function parseSelector(input: string): Selector {
  const tokens = tokenize(input);
  if (tokens.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  let t = 0;
  const fail = (detail: string): never => {
    throw new SelectorSyntaxError(input, detail);
  };
  const where = (tok: Token | undefined) => (tok ? `at position ${tok.at}` : 'at the end');
  const key = (): string => {
    const tok = tokens[t++];
    if (tok?.kind !== 'word') return fail(`expected a label key ${where(tok)} in ${JSON.stringify(input)}`);
    const problems = isQualifiedName(tok.text);
    if (problems.length > 0) fail(`invalid label key ${JSON.stringify(tok.text)}: ${problems.join('; ')}`);
    return tok.text;
  };
  const value = (): string => {
    const tok = tokens[t];
    if (tok?.kind !== 'word') return ''; // `a=` selects the empty value, as upstream
    t++;
    const problems = isLabelValue(tok.text);
    if (problems.length > 0) fail(`invalid label value ${JSON.stringify(tok.text)}: ${problems.join('; ')}`);
    return tok.text;
  };
  const integer = (op: string): string => {
    const tok = tokens[t];
    const v = tok?.kind === 'word' ? tok.text : '';
    if (tok?.kind === 'word') t++;
    if (!/^-?\d+$/.test(v))
      fail(`for '${op}' operator, the value must be an integer, not ${JSON.stringify(v)}`);
    return v;
  };
  const valueSet = (op: string): string[] => {
    if (tokens[t]?.text !== '(')
      fail(`expected '(' after '${op}' ${where(tokens[t])} in ${JSON.stringify(input)}`);
    t++;
    const values: string[] = [];
    for (;;) {
      values.push(value());
      const tok = tokens[t++];
      if (tok?.text === ')') break;
      if (tok?.text !== ',') fail(`expected ',' or ')' ${where(tok)} in ${JSON.stringify(input)}`);
    }
    if (values.every((v) => v === '')) fail(`for '${op}' operator, values set can't be empty`);
    return values;
  };

  for (;;) {
    if (tokens[t]?.text === '!') {
      t++;
      reqs.push(requirement(key(), 'DoesNotExist', []));
    } else {
      const k = key();
      const tok = tokens[t];
      const op = tok?.text;
      if (tok?.kind === 'op' && (op === '=' || op === '==')) {
        t++;
        reqs.push(requirement(k, 'In', [value()]));
      } else if (op === '!=') {
        t++;
        reqs.push(requirement(k, 'NotIn', [value()]));
      } else if (op === '>' || op === '<') {
        t++;
        reqs.push(requirement(k, op === '>' ? 'Gt' : 'Lt', [integer(op)]));
      } else if (tok?.kind === 'word' && (op === 'in' || op === 'notin')) {
        t++;
        reqs.push(requirement(k, op === 'in' ? 'In' : 'NotIn', valueSet(op)));
      } else {
        reqs.push(requirement(k, 'Exists', []));
      }
    }
    const next = tokens[t++];
    if (next === undefined) break;
    if (next.text !== ',')
      fail(`unexpected ${JSON.stringify(next.text)} ${where(next)} in ${JSON.stringify(input)}`);
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
    case 'Gt':
      return `${r.key}>${r.values[0]}`;
    case 'Lt':
      return `${r.key}<${r.values[0]}`;
  }
}

/** The string form of a selector, as kubectl prints it (`app=web,tier in (a,b)`). */
export function formatSelector(sel: Selector): string {
  return sel.requirements.map(formatRequirement).join(',');
}
