// A fast YAML reader for the subset manifests are written in: block mappings and sequences
// indented with spaces, one-line plain and quoted scalars, literal and folded block scalars, and
// JSON-like flow collections (so JSON files too). Anything else — anchors, tags, multi-line plain
// or quoted scalars, complex keys, duplicate keys, syntax errors — makes it give up, and the
// `yaml` package decodes that document instead (yaml-decode.ts). So this file never decides
// what a document means or says what is wrong with it; it only gets common documents through
// about ten times faster, which matters when a cluster snapshot holds 150,000 objects.
// Its results are checked against the `yaml` package's, document by document, in the tests.

import { type DecodedDocument, MAX_DEPTH } from './yaml-document.js';
import {
  BAIL,
  bail,
  COLON,
  COMMA,
  CR,
  DASH,
  DQUOTE,
  FLOW_INDICATOR,
  GT,
  HASH,
  LBRACE,
  LBRACKET,
  LF,
  LineScanner,
  NOT_PLAIN_START,
  PIPE,
  RBRACE,
  RBRACKET,
  SPACE,
  SQUOTE,
  TAB,
} from './yaml-fast-scan.js';
import { keyString, resolvePlain, setOwn } from './yaml-scalars.js';

/** Decodes text[from, to) (one document, without its `---` line), or undefined to give it up. */
export function decodeFast(text: string, from: number, to: number): DecodedDocument | undefined {
  try {
    return new FastParser(text, from, to).document();
  } catch (e) {
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  }
}

class FastParser extends LineScanner {
  private items: number[] | undefined;

  document(): DecodedDocument {
    const indent = this.skipBlank();
    if (indent < 0) return { value: null, start: this.pos, end: this.pos };
    const start = this.pos + indent;
    const value = this.blockNode(-1, indent, 0, true);
    if (this.skipBlank() >= 0) bail();
    return { value, start, end: this.lastEnd, items: this.items };
  }

  /** A node whose first content is at pos + indent (indent > parent). */
  private blockNode(parent: number, indent: number, depth: number, root: boolean): unknown {
    if (depth > MAX_DEPTH) bail();
    const c = this.pos + indent;
    if (this.isEntry(c)) return this.blockSeq(indent, depth, undefined);
    if (this.key(c)) return this.blockMap(indent, c, depth, root);
    return this.inlineValue(c, parent, depth);
  }

  /** The key read by the last key() call, and where its value starts. */
  private keyText = '';
  private valueAt = 0;

  /** Reads `key:` at p (setting keyText and valueAt); false if the line holds a value, not a key. */
  private key(p: number): boolean {
    const c = this.text.charCodeAt(p);
    let q: number;
    if (c === DQUOTE || c === SQUOTE) {
      const s = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
      q = this.lastEnd;
      while (this.at(q) === SPACE) q++;
      if (this.at(q) !== COLON) return false;
      const n = this.at(q + 1);
      if (n !== SPACE && !this.isBreak(n)) bail();
      this.keyText = s;
    } else {
      if (NOT_PLAIN_START.has(c)) {
        if (c === LBRACKET || c === LBRACE || c === PIPE || c === GT) return false;
        bail();
      }
      const eol = this.eol(p);
      for (q = p; ; q++) {
        if (q >= eol) return false;
        if (this.text.charCodeAt(q) !== COLON) continue;
        const n = this.at(q + 1);
        if (n === SPACE || this.isBreak(n)) break;
        if (n === TAB) bail();
      }
      let k = q;
      while (this.text.charCodeAt(k - 1) === SPACE) k--;
      const raw = this.text.slice(p, k);
      // `<<` is a merge key; implicit keys are limited to 1024 characters.
      if (raw === '<<' || raw.includes(' #') || raw.includes('\t') || raw.length > 1024) bail();
      const r = resolvePlain(raw);
      const s = r.ok ? keyString(r.value, raw) : undefined;
      if (s === undefined) bail();
      this.keyText = s;
    }
    let v = q + 1;
    while (this.at(v) === SPACE) v++;
    if (this.at(v) === TAB) bail();
    this.valueAt = v;
    return true;
  }

  /** A block mapping whose keys are at column `indent`; the first key is at `first`. */
  private blockMap(indent: number, first: number, depth: number, root: boolean): Record<string, unknown> {
    if (depth > MAX_DEPTH) bail();
    const out: Record<string, unknown> = {};
    let p = first;
    for (;;) {
      if (!this.key(p)) bail();
      const k = this.keyText;
      if (Object.hasOwn(out, k)) bail();
      const v = this.valueAt;
      const record = root && k === 'items' ? [] : undefined;
      let value: unknown;
      const c = this.at(v);
      if (this.isBreak(c) || c === HASH) {
        this.pos = this.nextLine(v);
        value = this.below(indent, depth + 1, true, record);
      } else {
        value = this.inlineValue(v, indent, depth + 1, record);
      }
      if (record && Array.isArray(value)) this.items = record;
      setOwn(out, k, value);
      const next = this.skipBlank();
      if (next < indent) return out;
      if (next > indent) bail();
      p = this.pos + indent;
      if (this.isEntry(p)) bail();
    }
  }

  /** The value of a key or entry that continues on the following lines (pos at a line start). */
  private below(indent: number, depth: number, inMap: boolean, record: number[] | undefined): unknown {
    const next = this.skipBlank();
    if (next < 0) return null;
    const c = this.pos + next;
    if (this.isEntry(c) && (next > indent || (inMap && next === indent)))
      return this.blockSeq(next, depth, record);
    if (next > indent) return this.blockNode(indent, next, depth, false);
    return null;
  }

  private blockSeq(indent: number, depth: number, record: number[] | undefined): unknown[] {
    if (depth > MAX_DEPTH) bail();
    const out: unknown[] = [];
    for (;;) {
      const next = this.skipBlank();
      if (next < indent) return out;
      if (next > indent) bail();
      const dash = this.pos + indent;
      if (!this.isEntry(dash)) return out;
      let p = dash + 1;
      while (this.at(p) === SPACE) p++;
      const c = this.at(p);
      let start = p;
      let value: unknown;
      if (this.isBreak(c) || c === HASH) {
        this.pos = this.nextLine(p);
        const below = this.skipBlank();
        start = below >= 0 ? this.pos + below : p;
        value = this.below(indent, depth + 1, false, undefined);
      } else if (c === TAB || this.isEntry(p)) {
        bail();
      } else if (this.key(p)) {
        value = this.blockMap(p - (dash - indent), p, depth + 1, false);
      } else {
        value = this.inlineValue(p, indent, depth + 1);
      }
      record?.push(start, this.lastEnd);
      out.push(value);
    }
  }

  /** A value that starts on the current line at p; leaves pos at the next line. */
  private inlineValue(p: number, parent: number, depth: number, record?: number[]): unknown {
    const c = this.text.charCodeAt(p);
    let value: unknown;
    if (c === DQUOTE) value = this.doubleQuoted(p);
    else if (c === SQUOTE) value = this.singleQuoted(p);
    else if (c === LBRACKET || c === LBRACE) value = this.flow(p, parent, depth, record);
    else if (c === PIPE || c === GT) return this.blockScalar(p, parent);
    else if (NOT_PLAIN_START.has(c) || (c === DASH && this.isEntry(p))) bail();
    else value = this.plain(p);
    this.endLine(this.lastEnd);
    return value;
  }

  // --- flow collections (and JSON) ---

  /** Position after the flow collection read by the last flow() call. */
  private flowEnd = 0;

  private flow(p: number, parent: number, depth: number, record?: number[]): unknown {
    const value = this.flowNode(p, parent, depth, record);
    this.lastEnd = this.flowEnd;
    return value;
  }

  /** Skips spaces, line breaks and comments inside a flow collection. */
  private flowSpace(p: number, parent: number): number {
    for (;;) {
      const c = this.at(p);
      if (p >= this.end) bail();
      if (c === SPACE || c === TAB) p++;
      else if (c === CR && this.at(p + 1) === LF) p++;
      else if (c === LF) {
        p++;
        let sp = p;
        while (this.at(sp) === SPACE) sp++;
        // Continuation lines of a flow collection nested in a block must be indented past it.
        if (sp - p <= parent && !this.isBreak(this.at(sp))) bail();
      } else if (c === HASH) {
        const prev = this.text.charCodeAt(p - 1);
        if (prev !== SPACE && prev !== TAB && prev !== LF) bail();
        p = this.eol(p);
      } else return p;
    }
  }

  private flowNode(p: number, parent: number, depth: number, record?: number[]): unknown {
    if (depth > MAX_DEPTH) bail();
    const open = this.text.charCodeAt(p);
    const close = open === LBRACKET ? RBRACKET : RBRACE;
    const arr: unknown[] | undefined = open === LBRACKET ? [] : undefined;
    const obj: Record<string, unknown> | undefined = arr ? undefined : {};
    p = this.flowSpace(p + 1, parent);
    while (this.at(p) !== close) {
      if (arr) {
        const start = p;
        arr.push(this.flowScalarOrNode(p, parent, depth));
        record?.push(start, this.flowEnd);
        p = this.flowSpace(this.flowEnd, parent);
        if (this.at(p) === COLON) bail();
      } else if (obj) {
        const c = this.at(p);
        let k: string;
        if (c === DQUOTE || c === SQUOTE) k = c === DQUOTE ? this.doubleQuoted(p) : this.singleQuoted(p);
        else if (c === LBRACKET || c === LBRACE) bail();
        else {
          const raw = this.flowPlain(p);
          const r = resolvePlain(raw);
          const s = r.ok ? keyString(r.value, raw) : undefined;
          if (s === undefined) bail();
          k = s;
        }
        p = this.lastEnd;
        while (this.at(p) === SPACE) p++;
        if (this.at(p) !== COLON) bail();
        p = this.flowSpace(p + 1, parent);
        if (Object.hasOwn(obj, k)) bail();
        const vc = this.at(p);
        if (vc === COMMA || vc === close) bail();
        const items = depth === 0 && k === 'items' ? [] : undefined;
        const value = this.flowScalarOrNode(p, parent, depth, items);
        if (items && Array.isArray(value)) this.items = items;
        setOwn(obj, k, value);
        p = this.flowSpace(this.flowEnd, parent);
      }
      const c = this.at(p);
      if (c === COMMA) p = this.flowSpace(p + 1, parent);
      else if (c !== close) bail();
    }
    this.flowEnd = p + 1;
    return arr ?? obj;
  }

  private flowScalarOrNode(p: number, parent: number, depth: number, record?: number[]): unknown {
    const c = this.at(p);
    let value: unknown;
    if (c === LBRACKET || c === LBRACE) return this.flowNode(p, parent, depth + 1, record);
    if (c === DQUOTE) value = this.doubleQuoted(p);
    else if (c === SQUOTE) value = this.singleQuoted(p);
    else {
      const r = resolvePlain(this.flowPlain(p));
      value = r.ok ? r.value : bail();
    }
    this.flowEnd = this.lastEnd;
    return value;
  }

  /** A one-line plain scalar in flow context; sets lastEnd. */
  private flowPlain(p: number): string {
    const first = this.at(p);
    if (NOT_PLAIN_START.has(first) || (first === DASH && this.isEntry(p))) bail();
    let q = p;
    for (;;) {
      const c = this.at(q);
      if (q >= this.end || c === LF || c === CR || FLOW_INDICATOR.has(c)) break;
      if (c === COLON) {
        const n = this.at(q + 1);
        if (n === SPACE || this.isBreak(n) || FLOW_INDICATOR.has(n)) break;
      }
      if (c === HASH && this.text.charCodeAt(q - 1) === SPACE) break;
      if (c === TAB) bail();
      q++;
    }
    let e = q;
    while (this.text.charCodeAt(e - 1) === SPACE) e--;
    if (e === p) bail();
    // A plain scalar continued on the next line is folded: leave that to the full parser.
    let n = q;
    while (this.at(n) === SPACE) n++;
    if (this.isBreak(this.at(n)) || this.at(n) === HASH) {
      const after = this.flowSpace(n, -1);
      const c = this.at(after);
      if (c !== COMMA && c !== RBRACKET && c !== RBRACE && c !== COLON) bail();
    }
    this.lastEnd = e;
    return this.text.slice(p, e);
  }
}
