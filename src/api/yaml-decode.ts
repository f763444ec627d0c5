// YAML text -> documents of plain JSON, as kubectl would see them (see yaml-scalars.ts), with
// the offsets the manifest reader needs to locate objects. Two parsers produce the same result:
// a fast one for the block-and-flow subset real manifests use (yaml-fast.ts), and the `yaml`
// package for everything else, including every error. Limits keep hostile input from exhausting
// the process: nesting depth, alias expansion, and (in the reader) file size.

import type { Alias, Scalar, YAMLMap, YAMLSeq, Node as YamlNode } from 'yaml';
import { Composer, type Document, isAlias, isMap, isScalar, isSeq, Parser } from 'yaml';
import { type DecodedDocument, MAX_ALIAS_NODES, MAX_DEPTH } from './yaml-document.js';
import { decodeFast } from './yaml-fast.js';
import type { SourceText } from './yaml-positions.js';
import { keyString, resolvePlain, resolveTagged, setOwn, shortTag } from './yaml-scalars.js';

/** Decodes every document of a YAML (or JSON) stream. */
export function decodeYAML(source: SourceText): DecodedDocument[] {
  const text = source.text;
  // Directives (`%YAML 1.1`) change how the next document parses: leave such rare files whole.
  if (/^%/m.test(text)) return decodeWithLibrary(source, 0, text.length);
  const out: DecodedDocument[] = [];
  for (const seg of segments(text)) {
    const fast = seg.inlineContent ? undefined : decodeFast(text, seg.contentStart, seg.end);
    if (fast) out.push(fast);
    else out.push(...decodeWithLibrary(source, seg.markerStart, seg.end));
  }
  return out;
}

interface Segment {
  /** Start of the `---` line that opens the document (or of the text). */
  markerStart: number;
  contentStart: number;
  end: number;
  /** The `---` line carries content (`--- {a: 1}`, `--- |`), which only the library handles. */
  inlineContent: boolean;
}

// A line starting with `---` or `...` followed by a space or line end always ends a document,
// even inside a block scalar or a quoted string (YAML 1.2 c-forbidden), so splitting on them is
// exact, and each document can be parsed, or re-parsed, on its own.
function* segments(text: string): Generator<Segment> {
  let markerStart = 0;
  let contentStart = 0;
  let inlineContent = false;
  for (let p = 0; p < text.length; ) {
    let nl = text.indexOf('\n', p);
    if (nl < 0) nl = text.length;
    const c = text.charCodeAt(p);
    if ((c === 0x2d || c === 0x2e) && isMarker(text, p, c)) {
      if (p > contentStart || markerStart !== contentStart)
        yield { markerStart, contentStart, end: p, inlineContent };
      const rest = text.slice(p + 3, nl).trim();
      markerStart = p;
      contentStart = Math.min(nl + 1, text.length);
      inlineContent = rest !== '' && !rest.startsWith('#');
    }
    p = nl + 1;
  }
  yield { markerStart, contentStart, end: text.length, inlineContent };
}

function isMarker(text: string, p: number, c: number): boolean {
  if (text.charCodeAt(p + 1) !== c || text.charCodeAt(p + 2) !== c) return false;
  const after = text.charCodeAt(p + 3);
  return Number.isNaN(after) || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d;
}

class DecodeError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Parses text[from, to) with the `yaml` package; offsets in the result are offsets in text. */
export function decodeWithLibrary(source: SourceText, from: number, to: number): DecodedDocument[] {
  const out: DecodedDocument[] = [];
  const text = source.text;
  const deep = tooDeepAt(text, from, to);
  if (deep >= 0)
    return [{ value: undefined, start: from, end: to, error: { offset: deep, message: tooDeep() } }];
  let docs: Document.Parsed[];
  try {
    docs = parseDocuments(from === 0 && to === text.length ? text : text.slice(from, to));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return [{ value: undefined, start: from, end: to, error: { offset: from, message: tooDeep() } }];
  }
  for (const doc of docs) {
    const root = doc.contents;
    const start = from + (root?.range?.[0] ?? doc.range[0]);
    const end = from + (root?.range?.[1] ?? doc.range[1]);
    const problem = doc.errors[0];
    if (problem) {
      const message = problem.message.split('\n')[0];
      out.push({ value: undefined, start, end, error: { offset: from + problem.pos[0], message } });
      continue;
    }
    try {
      const value = root === null ? null : new Converter(doc, from, source).convert(root, 0);
      out.push({ value, start, end, items: itemRanges(root, from) });
    } catch (e) {
      if (e instanceof DecodeError)
        out.push({ value: undefined, start, end, error: { offset: e.offset, message: e.message } });
      else if (e instanceof RangeError)
        out.push({ value: undefined, start, end, error: { offset: start, message: tooDeep() } });
      else throw e;
    }
  }
  return out;
}

export function parseDocuments(source: string): Document.Parsed[] {
  // The failsafe schema leaves every scalar a string: resolution is ours (yaml-scalars.ts).
  const composer = new Composer({ schema: 'failsafe', uniqueKeys: false });
  return [...composer.compose(new Parser().parse(source), true)];
}

/**
 * Where text[from, to) may nest deeper than MAX_DEPTH, or -1. An upper bound, cheap and safe:
 * each open block indentation can hold a mapping and a sequence (2 levels), each leading `- `
 * one more, and each unclosed `[` or `{` one more (brackets inside strings count too).
 */
function tooDeepAt(text: string, from: number, to: number): number {
  const indents: number[] = [];
  let brackets = 0;
  for (let p = from; p < to; ) {
    let nl = text.indexOf('\n', p);
    if (nl < 0 || nl > to) nl = to;
    let q = p;
    while (q < nl && (text.charCodeAt(q) === 0x20 || text.charCodeAt(q) === 0x09)) q++;
    const c = text.charCodeAt(q);
    if (q < nl && c !== 0x23 /* # */) {
      if (isMarker(text, p, 0x2d)) indents.length = 0;
      const indent = q - p;
      while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
      if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
      let entries = 0;
      while (text.charCodeAt(q) === 0x2d && text.charCodeAt(q + 1) === 0x20) {
        entries++;
        q += 2;
        while (text.charCodeAt(q) === 0x20) q++;
      }
      const block = 2 * indents.length + entries;
      if (block + brackets > MAX_DEPTH) return p;
      for (let i = q; i < nl; i++) {
        const b = text.charCodeAt(i);
        if (b === 0x5b || b === 0x7b) {
          if (block + ++brackets > MAX_DEPTH) return i;
        } else if ((b === 0x5d || b === 0x7d) && brackets > 0) brackets--;
      }
    }
    p = nl + 1;
  }
  return -1;
}

function tooDeep(): string {
  return `document is nested deeper than ${MAX_DEPTH} levels`;
}

function itemRanges(root: YamlNode | null, from: number): number[] | undefined {
  if (!isMap(root)) return undefined;
  for (const pair of root.items) {
    if (isScalar(pair.key) && pair.key.value === 'items' && isSeq(pair.value)) {
      const out: number[] = [];
      for (const item of pair.value.items) {
        const r = (item as YamlNode).range;
        out.push(from + (r?.[0] ?? 0), from + (r?.[1] ?? 0));
      }
      return out;
    }
  }
  return undefined;
}

class Converter {
  private aliased = 0;
  private inAlias = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly from: number,
    private readonly lines: SourceText,
  ) {}

  private fail(node: YamlNode | null | undefined, message: string): never {
    throw new DecodeError(this.from + (node?.range?.[0] ?? 0), message);
  }

  convert(node: YamlNode | null | undefined, depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(node, tooDeep());
    if (this.inAlias > 0 && ++this.aliased > MAX_ALIAS_NODES) {
      this.fail(
        node,
        `aliases expand to more than ${MAX_ALIAS_NODES} nodes (refusing a possible alias bomb)`,
      );
    }
    if (node === null || node === undefined) return null;
    if (isScalar(node)) return this.scalar(node);
    if (isAlias(node)) return this.alias(node, depth);
    if (
      node.tag !== undefined &&
      node.tag !== '!' &&
      node.tag !== `tag:yaml.org,2002:${isMap(node) ? 'map' : 'seq'}`
    ) {
      this.fail(node, `unsupported YAML tag ${shortTag(node.tag)}`);
    }
    if (isSeq(node)) return this.seq(node, depth);
    if (isMap(node)) return this.map(node, depth);
    return this.fail(node, 'unsupported YAML node');
  }

  private scalar(node: Scalar): unknown {
    const s = String(node.value);
    if (node.tag !== undefined) {
      const r = resolveTagged(node.tag, s);
      return r.ok ? r.value : this.fail(node, r.message);
    }
    if (node.type !== 'PLAIN') return s;
    const r = resolvePlain(s);
    return r.ok ? r.value : this.fail(node, r.message);
  }

  private target(alias: Alias): YamlNode {
    const node = alias.resolve(this.doc);
    if (!node) this.fail(alias, `unknown anchor "${alias.source}" referenced`);
    return node;
  }

  private alias(node: Alias, depth: number): unknown {
    this.inAlias++;
    try {
      return this.convert(this.target(node), depth);
    } finally {
      this.inAlias--;
    }
  }

  private seq(node: YAMLSeq, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of node.items) out.push(this.convert(item as YamlNode, depth + 1));
    return out;
  }

  private key(node: unknown): string {
    const keyNode = isAlias(node) ? this.target(node) : (node as YamlNode | null);
    if (isScalar(keyNode)) {
      const value = this.scalar(keyNode);
      const k = keyString(value, String(keyNode.value));
      if (k !== undefined) return k;
    }
    return this.fail(keyNode, 'invalid map key: keys must be strings, numbers or booleans');
  }

  private map(node: YAMLMap, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const first = new Map<string, number>();
    const merges: YamlNode[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (
        isScalar(keyNode) &&
        keyNode.type === 'PLAIN' &&
        keyNode.tag === undefined &&
        keyNode.value === '<<'
      ) {
        merges.push(pair.value as YamlNode);
        continue;
      }
      const k = this.key(keyNode);
      const at = this.from + (keyNode?.range?.[0] ?? 0);
      const seen = first.get(k);
      if (seen !== undefined) {
        throw new DecodeError(at, `mapping key "${k}" already defined at line ${this.lines.lineAt(seen)}`);
      }
      first.set(k, at);
      setOwn(out, k, this.convert(pair.value as YamlNode, depth + 1));
    }
    // YAML 1.1 merge keys: keys written in the mapping win; among merged maps, earlier ones win.
    for (const m of merges) {
      const sources = isSeq(m) ? (m.items as YamlNode[]) : [m];
      for (const s of sources) {
        const target = isAlias(s) ? this.target(s) : s;
        if (!isMap(target))
          this.fail(s, 'map merge requires a mapping or a sequence of mappings as the value');
        const merged = this.convert(s, depth + 1) as Record<string, unknown>;
        for (const k of Object.keys(merged)) if (!Object.hasOwn(out, k)) setOwn(out, k, merged[k]);
      }
    }
    return out;
  }
}
