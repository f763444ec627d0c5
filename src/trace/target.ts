// The FROM and TO arguments of `podnet trace`, parsed (not yet looked up): pods `NS/POD`, nodes
// `node/NAME`, addresses `IP` or `[IPv6]`, an outside client `external`, each destination with
// `:PORT[/PROTO]`. Forms that need the Service, DNS and Ingress layers (`svc/NS/NAME:PORT`, DNS
// names, URLs) are recognised and refused in so many words, so they never get a wrong answer.

import { PodnetError } from '../api/errors.js';
import type { Protocol } from '../api/types.js';
import { isValidPortName } from '../api/validation/names.js';
import { type IP, parseIP } from '../ip/index.js';

/** A port as given: a number, or a name to resolve against the destination pod's containers. */
export interface PortRequest {
  readonly port: number | string;
  /** Absent: TCP for a number; the declared port's own protocol for a name. */
  readonly protocol?: Protocol;
}

export type SourceSpec =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'external' };

export type DestinationSpec = (
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'ip'; readonly ip: IP }
) & {
  readonly port?: PortRequest;
  /** The argument as given, for messages. */
  readonly text: string;
};

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** How the Service layer will name a Service: `svc/NS/NAME`. */
export const SERVICE_PREFIXES: readonly string[] = ['svc', 'service', 'services'];

export const NOT_YET = 'tracing through Services, DNS and Ingress is not supported yet';

function usage(message: string): PodnetError {
  return new PodnetError('InvalidUsage', message);
}

/** `svc/NS/NAME`, `service/NS/NAME`: how the next layer will name a Service. */
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

/** TO: `NS/POD[:PORT[/PROTO]]`, `node/NAME:PORT[/PROTO]`, `IP:PORT[/PROTO]`, `[IPv6]:PORT[/PROTO]`. */
export function parseDestination(text: string): DestinationSpec {
  const forms = 'TO is NS/POD[:PORT[/PROTO]], node/NAME:PORT[/PROTO] or IP:PORT[/PROTO] ([IPv6]:PORT)';
  if (text === '') throw usage(`empty TO: ${forms}`);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text))
    throw usage(`TO ${JSON.stringify(text)} is a URL: ${NOT_YET}; ${forms}`);
  const { host, port: portText, bracketed } = splitHostPort(text);
  const port = portText === undefined ? undefined : parsePortRequest(portText, `TO ${JSON.stringify(text)}`);
  const finish = <T extends object>(spec: T): T & { port?: PortRequest; text: string } =>
    port ? { ...spec, port, text } : { ...spec, text };

  const ip = parseIP(host);
  if (bracketed && ip?.family !== 'IPv6')
    throw usage(`invalid TO ${JSON.stringify(text)}: only an IPv6 address goes in brackets`);
  if (ip) return finish({ kind: 'ip' as const, ip });

  const parts = host.split('/');
  if (isServiceRef(parts)) throw usage(`TO ${JSON.stringify(text)} names a Service: ${NOT_YET}; ${forms}`);
  if (parts.length === 2 && parts[0] && parts[1]) {
    return parts[0] === 'node'
      ? finish({ kind: 'node' as const, name: parts[1] })
      : finish({ kind: 'pod' as const, namespace: parts[0], name: parts[1] });
  }
  if (parts.length === 1 && /^[0-9.]+$/.test(host))
    throw usage(`invalid TO ${JSON.stringify(text)}: ${JSON.stringify(host)} is not an IP address`);
  if (parts.length === 1 && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?$/.test(host)) {
    throw usage(
      `TO ${JSON.stringify(text)} is a DNS name (or a pod without its namespace): ${NOT_YET}; ${forms}`,
    );
  }
  throw usage(`invalid TO ${JSON.stringify(text)}: ${forms}`);
}
