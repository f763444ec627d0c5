// `-o yaml`: the same shapes as `-o json` (one object, or a `v1` `List`), in the block style
// kubectl prints (sequences not indented under their key), keys in stored order.
//
// Objects are plain JSON, so a small emitter writes them directly: a generic YAML library
// builds a document tree per object and is ten times slower, too slow for 150,000 pods. The
// library still decides, once per distinct string, whether a string may be written plain.

import { stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { chunked, type Write } from './json.js';

/** Distinct strings seen recently and how they print (names repeat: keys, labels, images). */
const scalars = new Map<string, string>();
const CACHE_LIMIT = 1 << 17;

/**
 * A string as a YAML scalar: plain when a YAML 1.1 reader would read it back as the same string
 * (so `"on"`, `"yes"`, `"80"`, `"0777"`, `""` are quoted, as kubectl's go-yaml quotes them, and
 * the output applies back unchanged), else double-quoted with JSON escapes, which YAML shares.
 */
function str(s: string): string {
  // Fast path: starts with a letter, only name characters, not a bare word. A 1.1 reader
  // resolves such a string to nothing but a string (its booleans and null are bare words).
  if (/^[A-Za-z][A-Za-z0-9._/-]*$/.test(s) && /[0-9._/-]/.test(s)) return s;
  let out = scalars.get(s);
  if (out === undefined) {
    const plain = stringify(s, { version: '1.1', lineWidth: 0 }).slice(0, -1);
    out = plain === s ? s : JSON.stringify(s);
    if (scalars.size >= CACHE_LIMIT) scalars.clear();
    scalars.set(s, out);
  }
  return out;
}

function num(n: number): string {
  // As JSON.stringify: a non-finite number is null. Large or fractional numbers are left to the
  // library, which writes them so a 1.1 reader sees a number.
  if (!Number.isFinite(n)) return 'null';
  return Number.isInteger(n) && Math.abs(n) < 1e15
    ? String(n)
    : stringify(n, { version: '1.1' }).slice(0, -1);
}

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/** A scalar's text, or undefined for a non-empty mapping or sequence. */
function inline(v: Json): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return str(v);
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  for (const k in v) if (v[k] !== undefined) return undefined;
  return '{}';
}

/** Writes a mapping's keys at `indent`; the first line starts with `first` (`- ` under a list). */
function mapping(obj: { [key: string]: Json }, indent: string, w: Write, first = indent): void {
  let prefix = first;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue; // as JSON.stringify skips it
    w(`${prefix}${str(k)}:`);
    prefix = indent;
    value(v, indent, w);
  }
}

/** Writes a sequence's items at `indent` (kubectl style: not indented under the key). */
function sequence(list: Json[], indent: string, w: Write, first = indent): void {
  let prefix = first;
  for (const item of list) {
    const text = inline(item);
    if (text !== undefined) w(`${prefix}- ${text}\n`);
    else if (Array.isArray(item)) sequence(item, `${indent}  `, w, `${prefix}- `);
    else mapping(item as { [key: string]: Json }, `${indent}  `, w, `${prefix}- `);
    prefix = indent;
  }
}

/** The value of a key already written (without its trailing space). */
function value(v: Json, indent: string, w: Write): void {
  const text = inline(v);
  if (text !== undefined) w(` ${text}\n`);
  else if (Array.isArray(v)) {
    w('\n');
    sequence(v, indent, w);
  } else {
    w('\n');
    mapping(v as { [key: string]: Json }, `${indent}  `, w);
  }
}

function document(root: { [key: string]: Json }, write: Write): void {
  const out = chunked(write);
  if (inline(root) === '{}') out.write('{}\n');
  else mapping(root, '', out.write);
  out.flush();
}

export function printYAML(obj: KubeObject, write: Write): void {
  document(obj as unknown as { [key: string]: Json }, write);
}

/** The `List` of `-o json` as YAML, written piece by piece. */
export function printYAMLList(items: readonly KubeObject[], write: Write): void {
  const list = { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
  document(list as unknown as { [key: string]: Json }, write);
}
