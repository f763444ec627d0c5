// Lines of objects and fields in a manifest, computed only when a message needs one. Loading
// keeps no parse tree (150,000 objects would make that expensive): an object remembers the
// offsets of its node, and a field's line is found by re-parsing just that node's text.

import type { Pair, YAMLMap, Node as YamlNode } from 'yaml';
import { type Document, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { parseDocuments } from './yaml-decode.js';
import { MAX_DEPTH } from './yaml-document.js';
import { keyString, resolvePlain, resolveTagged } from './yaml-scalars.js';

/** One file's text with a lazily built line table. */
export class SourceText {
  #starts: number[] | undefined;
  #cache:
    | { start: number; end: number; doc: Document.Parsed | undefined; node: YamlNode | undefined }
    | undefined;

  constructor(readonly text: string) {}

  private starts(): number[] {
    if (this.#starts) return this.#starts;
    const starts = [0];
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.#starts = starts;
    return starts;
  }

  private lineIndex(offset: number): number {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The 1-based line of an offset. */
  lineAt(offset: number): number {
    return this.lineIndex(offset) + 1;
  }

  /** The 1-based column of an offset. */
  columnAt(offset: number): number {
    return offset - this.starts()[this.lineIndex(offset)] + 1;
  }

  /**
   * The line of the field at `path` inside the node spanning [start, end): the line of the
   * deepest node on that path that exists (a key's line for a mapping entry).
   */
  lineOf(start: number, end: number, path: readonly (string | number)[]): number {
    const found = this.parsedNode(start, end);
    if (!found.node || !found.doc) return this.lineAt(start);
    return this.lineAt(found.sliceStart + walk(found.doc, found.node, path));
  }

  private parsedNode(
    start: number,
    end: number,
  ): { doc?: Document.Parsed; node?: YamlNode; sliceStart: number } {
    // A block node is parsed from the start of its line (after at most a `- ` entry indicator),
    // so its indentation stays as written; a node after other content (a flow item) from itself.
    const lineStart = this.starts()[this.lineIndex(start)];
    const sliceStart = /^[ -]*$/.test(this.text.slice(lineStart, start)) ? lineStart : start;
    const c = this.#cache;
    if (c && c.start === start && c.end === end) return { doc: c.doc, node: c.node, sliceStart };
    let doc: Document.Parsed | undefined;
    let node: YamlNode | undefined;
    try {
      doc = parseDocuments(this.text.slice(sliceStart, end))[0];
      node = doc ? nodeAt(doc.contents, start - sliceStart) : undefined;
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
    this.#cache = { start, end, doc, node };
    return { doc, node, sliceStart };
  }
}

function contains(n: unknown, offset: number): n is YamlNode {
  const r = (n as YamlNode | null)?.range;
  return !!r && r[0] <= offset && offset < Math.max(r[2], r[0] + 1);
}

/** The node that starts at offset (or the deepest one containing it). */
function nodeAt(root: YamlNode | null, offset: number): YamlNode | undefined {
  let n: YamlNode | undefined = root ?? undefined;
  for (let depth = 0; n && depth <= MAX_DEPTH; depth++) {
    if (n.range?.[0] === offset) return n;
    let next: YamlNode | undefined;
    if (isMap(n)) {
      for (const pair of n.items) {
        if (contains(pair.key, offset)) next = pair.key as YamlNode;
        else if (contains(pair.value, offset)) next = pair.value as YamlNode;
      }
    } else if (isSeq(n)) {
      for (const item of n.items) if (contains(item, offset)) next = item as YamlNode;
    }
    if (!next) return n;
    n = next;
  }
  return n;
}

function keyOf(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const s = String(node.value);
  const r =
    node.tag !== undefined
      ? resolveTagged(node.tag, s)
      : node.type === 'PLAIN'
        ? resolvePlain(s)
        : { ok: true as const, value: s };
  return r.ok ? keyString(r.value, s) : undefined;
}

function findPair(doc: Document.Parsed, map: YAMLMap, key: string, depth: number): Pair | undefined {
  for (const pair of map.items) if (keyOf(pair.key) === key && !isMerge(pair.key)) return pair as Pair;
  if (depth > MAX_DEPTH) return undefined;
  for (const pair of map.items) {
    if (!isMerge(pair.key)) continue;
    const value = pair.value as YamlNode | null;
    for (const source of isSeq(value) ? (value.items as YamlNode[]) : [value]) {
      const target = isAlias(source) ? source.resolve(doc) : source;
      const found = isMap(target) ? findPair(doc, target, key, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

function isMerge(key: unknown): boolean {
  return isScalar(key) && key.type === 'PLAIN' && key.tag === undefined && key.value === '<<';
}

/** Offset (in the parsed slice) of the deepest node on path below node. */
function walk(doc: Document.Parsed, node: YamlNode, path: readonly (string | number)[]): number {
  let at = node.range?.[0] ?? 0;
  let cur: YamlNode | undefined = node;
  for (const seg of path) {
    if (isAlias(cur)) cur = cur.resolve(doc);
    if (isMap(cur)) {
      const pair = findPair(doc, cur, String(seg), 0);
      if (!pair) break;
      const keyNode = pair.key as YamlNode | null;
      at = keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? at;
      cur = (pair.value as YamlNode | null) ?? undefined;
    } else if (isSeq(cur) && typeof seg === 'number' && seg < cur.items.length) {
      cur = cur.items[seg] as YamlNode;
      at = cur.range?.[0] ?? at;
    } else {
      break;
    }
  }
  return at;
}
