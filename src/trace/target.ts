// The FROM and TO arguments of `podnet trace`, parsed (not yet looked up): pods `NS/POD`, nodes
// `node/NAME`, addresses `IP` or `[IPv6]`, an outside client `external`; as destinations also
// Services `svc/NS/NAME`, DNS names and URLs. Every destination but a URL takes `:PORT[/PROTO]`.
// Nothing here reads the cluster: a malformed argument is refused before any input is loaded.

import { PodnetError } from '../api/errors.js';
import type { Protocol } from '../api/types.js';
import { isValidPortName } from '../api/validation/names.js';
import { type IP, parseIP } from '../ip/index.js';

/** A port as given: a number, or a name to resolve against the destination's declared ports. */
export interface PortRequest {
  readonly port: number | string;
  /** Absent: TCP for a number; the declared port's own protocol for a name. */
  readonly protocol?: Protocol;
}

export type SourceSpec =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'external' };

/** An http(s) URL as a client sends it: scheme, host, port, path (the fragment never leaves the client). */
export interface URLSpec {
  readonly scheme: 'http' | 'https';
  /** A DNS name in lower case (as written, trailing dot kept), or an address literal's text. */
  readonly host: string;
  /** Set when the host is an address literal. */
  readonly ip?: IP;
  /** The port given, else the scheme's (80, 443). */
  readonly port: number;
  /** The request target: the path after dot-segment removal, as clients send it (RFC 3986 §5.2.4), and the query. */
  readonly path: string;
}

export type DestinationSpec = (
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'ip'; readonly ip: IP }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'url'; readonly url: URLSpec }
) & {
  readonly port?: PortRequest;
  /** The argument as given, for messages. */
  readonly text: string;
};

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** How a Service is named: `svc/NS/NAME`, as kubectl also accepts `service/` and `services/`. */
export const SERVICE_PREFIXES: readonly string[] = ['svc', 'service', 'services'];

const TO_FORMS =
  'TO is NS/POD[:PORT[/PROTO]], node/NAME:PORT, IP:PORT ([IPv6]:PORT), svc/NS/NAME[:PORT], NAME:PORT (a DNS name) or http(s)://HOST[:PORT]/PATH';

function usage(message: string): PodnetError {
  return new PodnetError('InvalidUsage', message);
}

function isServiceRef(parts: readonly string[]): boolean {
  return parts.length === 3 && SERVICE_PREFIXES.includes(parts[0].toLowerCase());
}

/** `PORT[/PROTO]`: 1-65535 or an IANA service name; TCP, UDP or SCTP in any case. */
function parsePortRequest(text: string, what: string): PortRequest {
  const slash = text.indexOf('/');
  const portText = slash < 0 ? text : text.slice(0, slash);
  const protoText = slash < 0 ? undefined : text.slice(slash + 1);
  let protocol: Protocol | undefined;
  if (protoText !== undefined) {
    protocol = PROTOCOLS.find((p) => p === protoText.toUpperCase());
    if (!protocol)
      throw usage(
        `invalid protocol ${JSON.stringify(protoText)} in ${what}: supported protocols are ${PROTOCOLS.join(', ')}`,
      );
  }
  if (portText === '') throw usage(`empty port in ${what}: give a number from 1 to 65535 or a port name`);
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535)
      throw usage(`invalid port ${portText} in ${what}: must be between 1 and 65535`);
    return protocol ? { port, protocol } : { port };
  }
  const problems = isValidPortName(portText);
  if (problems.length > 0) {
    throw usage(
      `invalid port ${JSON.stringify(portText)} in ${what}: a port is a number from 1 to 65535 or a port name (${problems.join('; ')})`,
    );
  }
  return protocol ? { port: portText, protocol } : { port: portText };
}

/** FROM: `NS/POD`, `node/NAME` or `external`. */
export function parseSource(text: string): SourceSpec {
  const forms = 'FROM is NS/POD, node/NAME or external';
  if (text === '') throw usage(`empty FROM: ${forms}`);
  if (text === 'external') return { kind: 'external' };
  if (parseIP(text)) {
    throw usage(
      `FROM ${JSON.stringify(text)} is an address: trace from the pod (NS/POD) or node (node/NAME) holding it, or from an outside client with external --from-ip ${text}`,
    );
  }
  const parts = text.split('/');
  if (isServiceRef(parts))
    throw usage(`FROM ${JSON.stringify(text)} names a Service, which never opens a connection: ${forms}`);
  if (parts.length === 2 && parts[0] && parts[1]) {
    return parts[0] === 'node'
      ? { kind: 'node', name: parts[1] }
      : { kind: 'pod', namespace: parts[0], name: parts[1] };
  }
  throw usage(`invalid FROM ${JSON.stringify(text)}: ${forms}`);
}

/** Splits `HOST[:PORT...]`, with an IPv6 address in brackets when a port follows. */
function splitHostPort(text: string): { host: string; port?: string; bracketed: boolean } {
  if (text.startsWith('[')) {
    const m = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
    if (!m) throw usage(`invalid TO ${JSON.stringify(text)}: an IPv6 address in brackets is [ADDRESS]:PORT`);
    return m[2] === undefined ? { host: m[1], bracketed: true } : { host: m[1], port: m[2], bracketed: true };
  }
  const colons = text.split(':').length - 1;
  if (colons > 1) {
    // An IPv6 address: without brackets it cannot carry a port (`fd00::1:80` is an address).
    if (parseIP(text)) return { host: text, bracketed: false };
    const last = text.lastIndexOf(':');
    const hint = parseIP(text.slice(0, last))
      ? `; with a port, write [${text.slice(0, last)}]:${text.slice(last + 1)}`
      : '';
    throw usage(`invalid TO ${JSON.stringify(text)}: not an IPv6 address${hint}`);
  }
  if (colons === 0) return { host: text, bracketed: false };
  const colon = text.indexOf(':');
  return { host: text.slice(0, colon), port: text.slice(colon + 1), bracketed: false };
}

/** A DNS name as a client may ask it: labels of letters, digits, `-` and `_`, an optional final dot. */
function dnsNameProblem(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length > 253) return 'longer than 253 characters';
  for (const label of bare.split('.')) {
    if (label === '') return 'empty label (two dots in a row, or a leading dot)';
    if (label.length > 63) return `label ${JSON.stringify(label)} is longer than 63 characters`;
    if (!/^[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?$/.test(label))
      return `label ${JSON.stringify(label)} may hold only letters, digits, '-' and '_', and neither start nor end with '-'`;
  }
  return undefined;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * `http(s)://HOST[:PORT]/PATH`, parsed as clients parse it (the WHATWG URL standard, which curl
 * and browsers follow for http): the host lower-cased, IPv4 shorthands expanded, the path
 * normalised. Credentials are refused (nothing routes by them, and a trace would print them);
 * a fragment is dropped, as clients never send it.
 */
function parseURL(text: string): URLSpec {
  const scheme = (SCHEME.exec(text) as RegExpExecArray)[1].toLowerCase();
  const quoted = JSON.stringify(text);
  if (scheme !== 'http' && scheme !== 'https')
    throw usage(`unsupported scheme ${scheme} in ${quoted}: only http:// and https:// URLs are traced`);
  // The authority as written, checked before the URL parser, which would repair or hide these.
  const authority = /^[^:]+:\/\/([^/?#]*)/.exec(text)?.[1] ?? '';
  if (authority === '' || authority.endsWith('@'))
    throw usage(`URL ${quoted} has no host: give http(s)://HOST[:PORT]/PATH`);
  const portText = /^(?:[^@]*@)?(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(authority)?.[1];
  if (portText !== undefined && (Number(portText) < 1 || Number(portText) > 65535))
    throw usage(`invalid port ${portText} in URL ${quoted}: must be between 1 and 65535`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage(`invalid URL ${quoted}: give http(s)://HOST[:PORT]/PATH, with an IPv6 address in brackets`);
  }
  if (url.username !== '' || url.password !== '')
    throw usage(`URL ${quoted} carries credentials: leave them out, routing never depends on them`);
  const bracketed = url.hostname.startsWith('[');
  const hostText = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  const ip = parseIP(hostText);
  if (!ip) {
    const problem = dnsNameProblem(hostText);
    if (problem) throw usage(`invalid host ${JSON.stringify(hostText)} in URL ${quoted}: ${problem}`);
  }
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  return {
    scheme,
    host: ip ? hostText : hostText.toLowerCase(),
    ...(ip ? { ip } : {}),
    port,
    path: url.pathname + url.search,
  };
}

/**
 * TO: `NS/POD[:PORT[/PROTO]]`, `node/NAME:PORT`, `IP:PORT`, `[IPv6]:PORT`, `svc/NS/NAME[:PORT]`,
 * `NAME:PORT` for a DNS name, or a URL.
 */
export function parseDestination(text: string): DestinationSpec {
  if (text === '') throw usage(`empty TO: ${TO_FORMS}`);
  if (SCHEME.test(text)) return { kind: 'url', url: parseURL(text), text };
  const { host, port: portText, bracketed } = splitHostPort(text);
  const port = portText === undefined ? undefined : parsePortRequest(portText, `TO ${JSON.stringify(text)}`);
  const finish = <T extends object>(spec: T): T & { port?: PortRequest; text: string } =>
    port ? { ...spec, port, text } : { ...spec, text };

  const ip = parseIP(host);
  if (bracketed && ip?.family !== 'IPv6')
    throw usage(`invalid TO ${JSON.stringify(text)}: only an IPv6 address goes in brackets`);
  if (ip) return finish({ kind: 'ip' as const, ip });

  const parts = host.split('/');
  if (parts.length < 3 && SERVICE_PREFIXES.includes(parts[0].toLowerCase()))
    throw usage(
      `invalid TO ${JSON.stringify(text)}: a Service is ${parts[0]}/NS/NAME[:PORT] (namespace and name), e.g. svc/default/my-nginx:80`,
    );
  if (isServiceRef(parts)) {
    if (!parts[1] || !parts[2])
      throw usage(`invalid TO ${JSON.stringify(text)}: a Service is svc/NS/NAME[:PORT]`);
    return finish({ kind: 'service' as const, namespace: parts[1], name: parts[2] });
  }
  if (parts.length === 2 && parts[0] && parts[1]) {
    // Namespaces are DNS labels: a dot before the slash means a host and a path, not a pod.
    if (parts[0].includes('.'))
      throw usage(`invalid TO ${JSON.stringify(text)}: a URL needs its scheme (http://${text})`);
    return parts[0] === 'node'
      ? finish({ kind: 'node' as const, name: parts[1] })
      : finish({ kind: 'pod' as const, namespace: parts[0], name: parts[1] });
  }
  if (parts.length === 1 && /^[0-9.]+$/.test(host))
    throw usage(`invalid TO ${JSON.stringify(text)}: ${JSON.stringify(host)} is not an IP address`);
  if (parts.length === 1 && host !== '') {
    const problem = dnsNameProblem(host);
    if (problem) throw usage(`invalid TO ${JSON.stringify(text)}: ${TO_FORMS}`);
    if (!port) throw usage(`TO ${JSON.stringify(text)} is a DNS name: give the port, ${text}:PORT`);
    if (typeof port.port === 'string')
      throw usage(
        `TO ${JSON.stringify(text)}: a client connects to a port number, not a name (${port.port}); port names belong to pods and Services`,
      );
    return finish({ kind: 'name' as const, name: host });
  }
  throw usage(`invalid TO ${JSON.stringify(text)}: ${TO_FORMS}`);
}
