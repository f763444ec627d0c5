// The scanning half of the fast YAML reader (yaml-fast.ts): lines, indentation, comments and
// scalars (plain, quoted, literal and folded). Anything outside the subset it knows throws BAIL,
// and the document goes to the \`yaml\` package instead.

import { resolvePlain } from './yaml-scalars.js';

/** Thrown (as a value) to give a document up to the full parser. */
export const BAIL = Symbol('bail');

export function bail(): never {
  throw BAIL;
}

export const SPACE = 0x20;
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const HASH = 0x23;
export const DASH = 0x2d;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const DQUOTE = 0x22;
export const SQUOTE = 0x27;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const PIPE = 0x7c;
export const GT = 0x3e;

// Characters that cannot start a plain scalar, or start something this reader leaves alone.
export const NOT_PLAIN_START = new Set([...'[]{},#&*!|>\'"%@`?:'].map((c) => c.charCodeAt(0)));
export const FLOW_INDICATOR = new Set([COMMA, LBRACKET, RBRACKET, LBRACE, RBRACE]);
export const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  ' ': ' ',
};

export class LineScanner {
  /** Current offset; at a line start between block constructs. */
  protected pos: number;

  /** End of the last content read (for node end offsets). */
  protected lastEnd: number;

  constructor(
    protected readonly text: string,
    from: number,
    protected readonly end: number,
  ) {
    this.pos = from;
    this.lastEnd = from;
  }

  protected at(p: number): number {
    return p < this.end ? this.text.charCodeAt(p) : LF;
  }

  /** Offset of the end of the line containing p (its `\n`, or the end). */
  protected eol(p: number): number {
    const nl = this.text.indexOf('\n', p);
    return nl < 0 || nl > this.end ? this.end : nl;
  }

  protected isBreak(c: number): boolean {
    return c === LF || c === CR;
  }

  protected nextLine(p: number): number {
    const nl = this.eol(p);
    return nl < this.end ? nl + 1 : this.end;
  }

  /**
   * Moves pos past empty and comment-only lines; returns the indentation of the next content
   * line, or -1 at the end of the document.
   */
  protected skipBlank(): number {
    for (;;) {
      if (this.pos >= this.end) return -1;
      let p = this.pos;
      while (this.at(p) === SPACE) p++;
      const c = this.at(p);
      if (c === LF || c === HASH || (c === CR && this.at(p + 1) === LF)) {
        this.pos = this.nextLine(p);
        continue;
      }
      // Tabs in indentation are errors, a lone CR or a BOM inside the text rare: the yaml package decides.
      if (c === TAB || c === CR || c === 0xfeff) bail();
      return p - this.pos;
    }
  }

  protected isEntry(p: number): boolean {
    if (this.text.charCodeAt(p) !== DASH) return false;
    const c = this.at(p + 1);
    if (c === TAB) bail();
    return c === SPACE || this.isBreak(c);
  }

  /** After a value: only spaces and a comment may follow on its line. */
  protected endLine(p: number): void {
    while (this.at(p) === SPACE) p++;
    const c = this.at(p);
    if (c === HASH && p > this.lastEnd) this.pos = this.nextLine(p);
    else if (c === LF || (c === CR && this.at(p + 1) === LF)) this.pos = this.nextLine(p);
    else bail();
  }

  protected plain(p: number): unknown {
    let e = this.eol(p);
    for (let q = p + 1; q < e; q++) {
      if (this.text.charCodeAt(q) === HASH && this.text.charCodeAt(q - 1) === SPACE) {
        e = q;
        break;
      }
    }
    if (this.text.charCodeAt(e - 1) === CR) e--;
    while (this.text.charCodeAt(e - 1) === SPACE) e--;
    const s = this.text.slice(p, e);
    if (s.includes(': ') || s.endsWith(':') || s.includes('\t') || s.includes('\r')) bail();
    this.lastEnd = e;
    const r = resolvePlain(s);
    return r.ok ? r.value : bail();
  }

  protected doubleQuoted(p: number): string {
    let out = '';
    let from = p + 1;
    for (let q = from; ; q++) {
      const c = this.at(q);
      if (c === DQUOTE) {
        this.lastEnd = q + 1;
        return out + this.text.slice(from, q);
      }
      if (c === LF || c === CR || q >= this.end) bail();
      if (c === 0x5c /* \ */) {
        out += this.text.slice(from, q);
        const e = this.text[q + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(q + 2, q + 6))) {
          out += String.fromCharCode(Number.parseInt(this.text.slice(q + 2, q + 6), 16));
          q += 5;
        } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
          out += ESCAPES[e];
          q += 1;
        } else {
          bail();
        }
        from = q + 1;
      }
    }
  }

  protected singleQuoted(p: number): string {
    let out = '';
    let from = p + 1;
    for (let q = from; ; q++) {
      const c = this.at(q);
      if (c === LF || c === CR || q >= this.end) bail();
      if (c !== SQUOTE) continue;
      out += this.text.slice(from, q);
      if (this.at(q + 1) !== SQUOTE) {
        this.lastEnd = q + 1;
        return out;
      }
      out += "'";
      q++;
      from = q + 1;
    }
  }

  /** `|` or `>` at p, for a node whose parent is at column `parent`. */
  protected blockScalar(p: number, parent: number): string {
    const literal = this.text.charCodeAt(p) === PIPE;
    let q = p + 1;
    let chomp = this.at(q);
    if (chomp === DASH || chomp === 0x2b /* + */) q++;
    else chomp = 0;
    if (this.at(q) !== SPACE && !this.isBreak(this.at(q))) bail();
    this.lastEnd = q;
    this.endLine(q);
    const lines: string[] = [];
    let indent = -1;
    let trailing = 0;
    let leadingSpaces = 0;
    let last = this.pos;
    while (this.pos < this.end) {
      const ls = this.pos;
      const eol = this.eol(ls);
      let ce = eol;
      if (this.text.charCodeAt(ce - 1) === CR) ce--;
      let sp = ls;
      while (sp < ce && this.text.charCodeAt(sp) === SPACE) sp++;
      const blank = sp === ce;
      // A last line without a line break changes what chomping keeps: left to the full parser.
      if (eol === this.end && (blank || sp - ls >= Math.max(indent, parent + 1))) bail();
      if (indent < 0 && blank) {
        leadingSpaces = Math.max(leadingSpaces, sp - ls);
        lines.push('');
        trailing++;
        this.pos = eol + 1;
        continue;
      }
      if (indent < 0) {
        if (sp - ls <= parent || this.text.charCodeAt(sp) === TAB) break;
        indent = sp - ls;
        if (leadingSpaces > indent) bail();
      }
      if (blank && sp - ls <= indent) {
        lines.push('');
        trailing++;
      } else if (sp - ls < indent) {
        break;
      } else {
        lines.push(this.text.slice(ls + indent, ce));
        trailing = 0;
        last = ce;
      }
      this.pos = eol + 1;
    }
    this.lastEnd = last;
    const body = lines.slice(0, lines.length - trailing);
    if (body.length === 0) {
      if (chomp === 0x2b && lines.length > 0) bail();
      return '';
    }
    let s: string;
    if (literal) {
      s = body.join('\n');
    } else {
      s = '';
      let empty = 0;
      let first = true;
      for (const line of body) {
        if (line === '') {
          empty++;
          continue;
        }
        if (line.charCodeAt(0) === SPACE || line.charCodeAt(0) === TAB) bail();
        s += first ? '\n'.repeat(empty) : empty > 0 ? '\n'.repeat(empty) : ' ';
        s += line;
        first = false;
        empty = 0;
      }
    }
    if (chomp === DASH) return s;
    if (chomp === 0x2b) return s + '\n'.repeat(trailing + 1);
    return `${s}\n`;
  }
}
