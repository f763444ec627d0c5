// How kubectl reads YAML scalars. kubectl converts YAML to JSON with sigs.k8s.io/yaml, which
// decodes with its fork of go-yaml v2: YAML 1.1 scalar resolution (`yes`, `on`, `y` are booleans,
// `0777` is octal, `1_000` is 1000), timestamps stay strings, and every map key becomes a JSON
// string (`1:` -> "1", `y:` -> "true"). podnet resolves plain scalars the same way so a manifest
// means here what it means to kubectl: `enableServiceLinks: yes` is true, and a label value `on`
// is the boolean true, which admission rejects as kubectl's decoder does.

/** A scalar's resolved value, or why it cannot become JSON. */
export type Resolved = { ok: true; value: unknown } | { ok: false; message: string };

const BOOL = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (s) => [s, false] as const,
  ),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
// go-yaml resolves these to NaN and infinities, which JSON cannot carry: sigs.k8s.io/yaml fails.
const NON_FINITE = new Set([
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
]);

const HEX = /^[-+]?0[xX][0-9a-fA-F]+$/;
const BIN = /^[-+]?0[bB][01]+$/;
const OCT_O = /^[-+]?0[oO][0-7]+$/;
const OCT = /^[-+]?0[0-7]*$/;
const DEC = /^[-+]?[1-9][0-9]*$/;
// go-yaml's yamlStyleFloat.
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

function integer(s: string): number | undefined {
  // Go's strconv.ParseInt(s, 0, 64) forms: sign, then 0x / 0b / 0o / leading-0 octal / decimal.
  let digits: string;
  let radix: bigint;
  if (DEC.test(s)) return Number(s);
  if (HEX.test(s)) [digits, radix] = [s.replace(/0[xX]/, ''), 16n];
  else if (BIN.test(s)) [digits, radix] = [s.replace(/0[bB]/, ''), 2n];
  else if (OCT_O.test(s)) [digits, radix] = [s.replace(/0[oO]/, ''), 8n];
  else if (OCT.test(s)) [digits, radix] = [s, 8n];
  else return undefined;
  let negative = false;
  if (digits[0] === '-' || digits[0] === '+') {
    negative = digits[0] === '-';
    digits = digits.slice(1);
  }
  let n = 0n;
  for (const c of digits) n = n * radix + BigInt(Number.parseInt(c, 16));
  // `-0` is 0 in Go; JSON has no negative zero either.
  return negative && n !== 0n ? -Number(n) : Number(n);
}

type Tag = 'str' | 'bool' | 'null' | 'int' | 'float';

function resolve(s: string): { tag: Tag; value: unknown } | { tag: 'nonfinite' } {
  const c = s.charCodeAt(0);
  // Most scalars start with a letter that can begin no special value: a fast exit.
  if (s.length > 0 && isPlainStringStart(c)) return { tag: 'str', value: s };
  const b = BOOL.get(s);
  if (b !== undefined) return { tag: 'bool', value: b };
  if (NULLS.has(s)) return { tag: 'null', value: null };
  if (NON_FINITE.has(s)) return { tag: 'nonfinite' };
  if (c === 0x2e /* . */)
    return DOT_FLOAT.test(s) ? { tag: 'float', value: Number(s) } : { tag: 'str', value: s };
  if (c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    const plain = s.includes('_') ? s.replaceAll('_', '') : s;
    const i = integer(plain);
    if (i !== undefined) return { tag: 'int', value: i };
    if (FLOAT.test(plain)) {
      const f = Number(plain);
      // Go's ParseFloat reports overflow as an error, and go-yaml then keeps the string.
      if (Number.isFinite(f)) return { tag: 'float', value: f === 0 ? 0 : f };
    }
  }
  return { tag: 'str', value: s };
}

/** Resolves an untagged plain scalar as go-yaml v2 does. */
export function resolvePlain(s: string): Resolved {
  const r = resolve(s);
  return r.tag === 'nonfinite'
    ? { ok: false, message: `${s} cannot be represented in JSON` }
    : { ok: true, value: r.value };
}

// Letters other than y Y n N t T f F o O cannot start a bool, null or number.
function isPlainStringStart(c: number): boolean {
  if (c >= 0x61 && c <= 0x7a) return c !== 0x79 && c !== 0x6e && c !== 0x74 && c !== 0x66 && c !== 0x6f;
  if (c >= 0x41 && c <= 0x5a) return c !== 0x59 && c !== 0x4e && c !== 0x54 && c !== 0x46 && c !== 0x4f;
  return false;
}

/**
 * The JSON key a resolved map key becomes (sigs.k8s.io/yaml: numbers and booleans are written as
 * strings; null keys are an error). `source` is the key as written, kept for non-integer numbers.
 */
export function keyString(value: unknown, source: string): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number')
    return Number.isInteger(value) && Number.isSafeInteger(value) ? String(value) : source;
  return undefined;
}

const YAML_TAG = 'tag:yaml.org,2002:';

/**
 * Resolves a scalar with an explicit tag (`!!int "80"`, `!!str 5`, `! x`). Custom and unsafe tags
 * (`!!js/function`, `!Ref`, `!!binary`) are refused: nothing Kubernetes reads uses them.
 */
export function resolveTagged(tag: string, s: string): Resolved {
  if (tag === '!' || tag === `${YAML_TAG}str` || tag === `${YAML_TAG}timestamp`)
    return { ok: true, value: s };
  const want = tag.startsWith(YAML_TAG) ? tag.slice(YAML_TAG.length) : undefined;
  if (want !== 'int' && want !== 'float' && want !== 'bool' && want !== 'null') {
    return { ok: false, message: `unsupported YAML tag ${shortTag(tag)}` };
  }
  const r = resolve(s);
  if (r.tag === 'nonfinite') return { ok: false, message: `${s} cannot be represented in JSON` };
  if (r.tag === want || (want === 'float' && r.tag === 'int')) return { ok: true, value: r.value };
  return { ok: false, message: `cannot decode !!${r.tag} \`${s}\` as a !!${want}` };
}

export function shortTag(tag: string): string {
  return tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag;
}

/** Sets obj[key] as an own data property even for `__proto__`, never touching the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}
