// An expectations file, parsed and validated whole: YAML (or JSON) documents of kind
// Expectations, every error located by file, line and field path, in the API server's words
// (`expectations[2].to.port: Invalid value: "80/ICMP": ...`). Decoding shares the manifest
// reader's YAML limits (nesting depth, alias expansion, duplicate keys) and admission's type
// check (unknown fields, wrong types).

import type { Diagnostic, FieldError } from '../api/errors.js';
import { fromLabelSelector, parseSelector, type Selector, SelectorSyntaxError } from '../api/labels.js';
import type { LabelSelector, Protocol } from '../api/types.js';
import { validateLabelSelector } from '../api/validation/metadata.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName } from '../api/validation/names.js';
import { duplicate, invalid, notSupported, Path, required } from '../api/validation/path.js';
import { any, bool, checkTypes, list, str, struct } from '../api/validation/schema.js';
import { labelSelector } from '../api/validation/types-pod.js';
import { decodeYAML } from '../api/yaml-decode.js';
import { SourceText } from '../api/yaml-positions.js';
import { formatIP, type IPFamily, parseIP } from '../ip/index.js';
import {
  describePeer,
  EXPECTATIONS_API_VERSION,
  EXPECTATIONS_KIND,
  type Expectation,
  type ExpectedPort,
  type PeerSpec,
} from './expectations.js';

const PEER_SCHEMA = struct({
  namespace: str,
  namespaceSelector: labelSelector,
  pod: str,
  // kubectl's `-l` syntax (a string), or a metav1.LabelSelector: checked below.
  selector: any,
  ip: str,
  node: str,
});

const EXPECTATION_SCHEMA = struct({
  name: str,
  from: PEER_SCHEMA,
  to: PEER_SCHEMA,
  // A port, `PORT/PROTOCOL`, a port name, or a list of those: checked below.
  port: any,
  allowed: bool,
  allowEmpty: bool,
  family: str,
});

const FILE_SCHEMA = struct({ apiVersion: str, kind: str, expectations: list(EXPECTATION_SCHEMA) });

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const FAMILIES: readonly IPFamily[] = ['IPv4', 'IPv6'];
const PEER_FORMS = 'give namespace or namespaceSelector (with pod or selector), ip, or node';
const PORT_FORMS = 'a port (80), a port and protocol ("53/UDP"), a port name (http), or a list of them';

interface RawPeer {
  namespace?: string;
  namespaceSelector?: LabelSelector;
  pod?: string;
  selector?: unknown;
  ip?: string;
  node?: string;
}

interface RawExpectation {
  name?: string;
  from?: RawPeer;
  to?: RawPeer;
  port?: unknown;
  allowed?: boolean;
  allowEmpty?: boolean;
  family?: string;
}

function labelSelectorOf(sel: LabelSelector, p: Path, errs: FieldError[]): Selector | undefined {
  const before = errs.length;
  validateLabelSelector(sel, p, errs);
  return errs.length === before ? fromLabelSelector(sel) : undefined;
}

/** `app=web,tier in (a,b)` as kubectl's `-l` takes it, or matchLabels / matchExpressions. */
function podSelector(value: unknown, p: Path, errs: FieldError[]): Selector | undefined {
  if (typeof value === 'string') {
    try {
      return parseSelector(value);
    } catch (e) {
      if (!(e instanceof SelectorSyntaxError)) throw e;
      errs.push(invalid(p, value, e.message));
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errs.push(
      invalid(p, value, 'must be a label selector: a string (app=web) or matchLabels / matchExpressions'),
    );
    return undefined;
  }
  const checked = checkTypes(value, labelSelector, p);
  errs.push(...checked.errors);
  return checked.errors.length === 0 ? labelSelectorOf(checked.value as LabelSelector, p, errs) : undefined;
}

function pods(raw: RawPeer, p: Path, errs: FieldError[]): PeerSpec | undefined {
  const before = errs.length;
  if (raw.namespace === undefined && raw.namespaceSelector === undefined)
    errs.push(
      required(p.child('namespace'), 'give namespace, or namespaceSelector ({} for every namespace)'),
    );
  if (raw.namespace !== undefined && raw.namespaceSelector !== undefined)
    errs.push(
      invalid(p.child('namespaceSelector'), 'namespaceSelector', 'may not be set together with namespace'),
    );
  if (raw.pod !== undefined && raw.selector !== undefined)
    errs.push(invalid(p.child('selector'), 'selector', 'may not be set together with pod'));
  if (raw.namespace !== undefined)
    for (const m of isDNS1123Label(raw.namespace)) errs.push(invalid(p.child('namespace'), raw.namespace, m));
  if (raw.pod !== undefined)
    for (const m of isDNS1123Subdomain(raw.pod)) errs.push(invalid(p.child('pod'), raw.pod, m));
  const namespaceSelector =
    raw.namespaceSelector === undefined
      ? undefined
      : labelSelectorOf(raw.namespaceSelector, p.child('namespaceSelector'), errs);
  const selector =
    raw.selector === undefined ? undefined : podSelector(raw.selector, p.child('selector'), errs);
  if (errs.length > before) return undefined;
  return {
    kind: 'pods',
    ...(raw.namespace !== undefined ? { namespace: raw.namespace } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(raw.pod !== undefined ? { pod: raw.pod } : {}),
    ...(selector ? { selector } : {}),
  };
}

function peer(raw: RawPeer | undefined, p: Path, errs: FieldError[]): PeerSpec | undefined {
  if (raw === undefined) {
    errs.push(required(p, PEER_FORMS));
    return undefined;
  }
  const forms: string[] = [];
  if (
    ['namespace', 'namespaceSelector', 'pod', 'selector'].some((f) => raw[f as keyof RawPeer] !== undefined)
  )
    forms.push('pods');
  if (raw.ip !== undefined) forms.push('ip');
  if (raw.node !== undefined) forms.push('node');
  if (forms.length !== 1) {
    errs.push(
      forms.length === 0
        ? required(p, PEER_FORMS)
        : invalid(p, forms.join(', '), `${PEER_FORMS}: only one of them`),
    );
    return undefined;
  }
  if (raw.ip !== undefined) {
    const ip = parseIP(raw.ip);
    if (!ip) errs.push(invalid(p.child('ip'), raw.ip, 'must be a valid IP address'));
    return ip ? { kind: 'ip', ip } : undefined;
  }
  if (raw.node !== undefined) {
    const problems = isDNS1123Subdomain(raw.node);
    for (const m of problems) errs.push(invalid(p.child('node'), raw.node, m));
    return problems.length === 0 ? { kind: 'node', name: raw.node } : undefined;
  }
  return pods(raw, p, errs);
}

/** `80`, `"80/UDP"`, `http`, `"http/TCP"`: one port entry. */
function portEntry(value: unknown, p: Path, errs: FieldError[]): ExpectedPort | undefined {
  const bad = (detail: string) => {
    errs.push(invalid(p, value, detail));
    return undefined;
  };
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      return bad('must be between 1 and 65535, inclusive');
    return { port: value, protocol: 'TCP' };
  }
  if (typeof value !== 'string') return bad(`must be ${PORT_FORMS}`);
  const slash = value.indexOf('/');
  const portText = slash < 0 ? value : value.slice(0, slash);
  const protocolText = slash < 0 ? undefined : value.slice(slash + 1);
  // As the command-line flags take it (`--port 53/udp`): any case.
  const protocol = PROTOCOLS.find((x) => x === protocolText?.toUpperCase());
  if (protocolText !== undefined && !protocol)
    return bad(`the protocol must be one of ${PROTOCOLS.map((x) => JSON.stringify(x)).join(', ')}`);
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) return bad('must be between 1 and 65535, inclusive');
    return { port, protocol: protocol ?? 'TCP' };
  }
  const problems = isValidPortName(portText);
  if (problems.length > 0) return bad(`must be a port number or a port name: ${problems.join('; ')}`);
  return protocol ? { name: portText, protocol } : { name: portText };
}

function ports(value: unknown, p: Path, errs: FieldError[]): ExpectedPort[] {
  const entries = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (entries.length === 0) {
    errs.push(required(p, PORT_FORMS));
    return [];
  }
  const out: ExpectedPort[] = [];
  const seen = new Set<string>();
  entries.forEach((v, i) => {
    const at = Array.isArray(value) ? p.index(i) : p;
    const entry = portEntry(v, at, errs);
    if (!entry) return;
    const key = 'port' in entry ? `${entry.port}/${entry.protocol}` : `${entry.name}/${entry.protocol ?? ''}`;
    if (seen.has(key)) errs.push(duplicate(at, v));
    seen.add(key);
    out.push(entry);
  });
  return out;
}

function portText(p: ExpectedPort): string {
  return 'port' in p ? `${p.port}/${p.protocol}` : p.protocol ? `${p.name}/${p.protocol}` : p.name;
}

/** Validates one type-checked entry; undefined when it has errors (pushed to errs). */
function expectation(
  raw: RawExpectation,
  p: Path,
  errs: FieldError[],
): Omit<Expectation, 'origin'> | undefined {
  const before = errs.length;
  const from = peer(raw.from, p.child('from'), errs);
  const to = peer(raw.to, p.child('to'), errs);
  const portList = ports(raw.port, p.child('port'), errs);
  if (raw.allowed === undefined)
    errs.push(required(p.child('allowed'), 'true (every connection allowed) or false (every one denied)'));
  if (raw.name !== undefined && raw.name.trim() === '')
    errs.push(invalid(p.child('name'), raw.name, 'must not be empty'));
  const family = FAMILIES.find((f) => f === raw.family);
  if (raw.family !== undefined && !family) errs.push(notSupported(p.child('family'), raw.family, FAMILIES));
  if (to && to.kind !== 'pods' && portList.some((x) => 'name' in x))
    errs.push(
      invalid(
        p.child('port'),
        raw.port,
        'a port name is a port of the destination pods: `to` must select pods',
      ),
    );
  // Both ends of a connection use one family, which an address end fixes.
  const ipFamily =
    family ?? (from?.kind === 'ip' ? from.ip.family : to?.kind === 'ip' ? to.ip.family : undefined);
  for (const [side, end] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (end?.kind === 'ip' && end.ip.family !== ipFamily)
      errs.push(
        invalid(
          p.child(side, 'ip'),
          formatIP(end.ip),
          `is not an ${ipFamily} address, as the other end or family is`,
        ),
      );
  }
  if (errs.length > before || !from || !to || raw.allowed === undefined) return undefined;
  return {
    name:
      raw.name ??
      `${describePeer(from)} -> ${describePeer(to)} ${portList.map(portText).join(',')} ${raw.allowed ? 'allowed' : 'denied'}`,
    from,
    to,
    ports: portList,
    allowed: raw.allowed,
    allowEmpty: raw.allowEmpty === true,
    ...(ipFamily ? { family: ipFamily } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ParsedExpectations {
  /** Empty when the file has any error: nothing is checked from a file that is partly wrong. */
  readonly expectations: readonly Expectation[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses and validates an expectations file (its text; `file` names it in messages). */
export function parseExpectations(text: string, file: string): ParsedExpectations {
  const source = new SourceText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const diagnostics: Diagnostic[] = [];
  const error = (message: string, line?: number, field?: string) =>
    diagnostics.push({ severity: 'error', file, line, ...(field ? { field } : {}), message });
  const nul = source.text.indexOf('\0');
  if (nul >= 0) {
    error('not a text file (it contains NUL bytes)', source.lineAt(nul));
    return { expectations: [], diagnostics };
  }
  const out: Expectation[] = [];
  const names = new Map<string, string>();
  let documents = 0;
  for (const doc of decodeYAML(source)) {
    if (doc.error) {
      const { offset, message } = doc.error;
      error(`error parsing YAML: ${message} (column ${source.columnAt(offset)})`, source.lineAt(offset));
      continue;
    }
    if (doc.value === null || doc.value === undefined) continue;
    documents++;
    const lineOf = (path: readonly (string | number)[]) => source.lineOf(doc.start, doc.end, path);
    if (!isObject(doc.value)) {
      error(
        `expected a mapping with apiVersion: ${EXPECTATIONS_API_VERSION}, kind: ${EXPECTATIONS_KIND} and expectations`,
        lineOf([]),
      );
      continue;
    }
    const checked = checkTypes(doc.value, FILE_SCHEMA, Path.ROOT);
    const errs = [...checked.errors];
    // A field with a type error is absent from the checked copy: validate everything else, but
    // not what it would make look missing.
    const typed = new Set(errs.map((e) => e.path.toString()));
    const badEntries = new Set(
      errs.flatMap((e) => {
        const [top, index] = e.path.segments();
        return top === 'expectations' && typeof index === 'number' ? [index] : [];
      }),
    );
    const value = checked.value as { apiVersion?: string; kind?: string; expectations?: RawExpectation[] };
    if (!typed.has('apiVersion')) {
      if (value.apiVersion === undefined)
        errs.push(required(Path.of('apiVersion'), EXPECTATIONS_API_VERSION));
      else if (value.apiVersion !== EXPECTATIONS_API_VERSION)
        errs.push(notSupported(Path.of('apiVersion'), value.apiVersion, [EXPECTATIONS_API_VERSION]));
    }
    if (!typed.has('kind')) {
      if (value.kind === undefined) errs.push(required(Path.of('kind'), EXPECTATIONS_KIND));
      else if (value.kind !== EXPECTATIONS_KIND)
        errs.push(notSupported(Path.of('kind'), value.kind, [EXPECTATIONS_KIND]));
    }
    if (!typed.has('expectations') && (!value.expectations || value.expectations.length === 0))
      errs.push(required(Path.of('expectations'), 'at least one expectation'));
    value.expectations?.forEach((raw, i) => {
      const p = Path.of('expectations').index(i);
      if (raw.name !== undefined) {
        const first = names.get(raw.name);
        if (first !== undefined) errs.push(duplicate(p.child('name'), raw.name, `also the name of ${first}`));
        else names.set(raw.name, `${p} (line ${lineOf(['expectations', i])})`);
      }
      if (badEntries.has(i)) return;
      const e = expectation(raw, p, errs);
      if (!e) return;
      out.push({
        ...e,
        origin: {
          file,
          line: lineOf(['expectations', i]),
          lineOf: (path) => lineOf(['expectations', i, ...path]),
          field: p.toString(),
        },
      });
    });
    const located = errs.map((e) => ({ e, line: lineOf(e.path.segments()) }));
    // In file order (a stable sort keeps the order of errors on one line).
    located.sort((a, b) => a.line - b.line);
    for (const { e, line } of located) error(e.message, line, e.path.toString());
  }
  if (documents === 0 && diagnostics.length === 0)
    error(`no expectations: the file has no ${EXPECTATIONS_KIND} document`, 1);
  return diagnostics.length > 0 ? { expectations: [], diagnostics } : { expectations: out, diagnostics };
}
