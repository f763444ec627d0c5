// The cluster DNS server: UDP and TCP on the same port of each listen address, answering from
// the zone the caller currently holds (a getter, so the lab can swap in updated zones without a
// restart), and forwarding other names to upstream servers when it has some. Whatever arrives,
// the server answers, ignores or closes; it never throws.

import { createSocket, type RemoteInfo, type Socket as UDPSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { PodnetError } from '../api/errors.js';
import { type IP, parseIP } from '../ip/index.js';
import { Forwarder, showUpstream } from './forward.js';
import { Responder, type Response } from './server-respond.js';
import { createTCPServer, type TCPServer } from './server-tcp.js';
import { DEFAULT_UDP_PAYLOAD, MIN_UDP_PAYLOAD } from './wire.js';
import type { ClusterZone } from './zone.js';

export interface ListenAddress {
  /** An IPv4 or IPv6 address literal; `0.0.0.0` or `::` for every address of the family. */
  readonly address: string;
  /** 0 picks a free port (the same one for UDP and TCP). */
  readonly port: number;
}

export interface BoundAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

export interface DNSServerOptions {
  /** The zone to answer from, read for every query. */
  readonly zone: () => ClusterZone;
  readonly listen: readonly ListenAddress[];
  /** The largest UDP response, advertised in OPT records; default 1232 (DNS Flag Day 2020). */
  readonly maxUDPPayload?: number;
  /** Idle TCP connections are closed after this long; default 10 s (Knot DNS tcp-idle-timeout). */
  readonly tcpIdleTimeoutMs?: number;
  /**
   * A TCP message must arrive whole within this long of its first octet, else the connection
   * is closed; default 500 ms (Knot DNS tcp-io-timeout, against slow-loris clients).
   */
  readonly tcpMessageTimeoutMs?: number;
  /** At most this many TCP connections per listen address; default 1000. */
  readonly maxTCPConnections?: number;
  /**
   * Servers to forward names outside the cluster zones to (CoreDNS `forward`); without any, those
   * names are REFUSED. The port is the DNS server's port, usually 53.
   */
  readonly upstreams?: readonly ListenAddress[];
  /** How long one upstream has to answer before the next is tried; default 2 s (CoreDNS). */
  readonly upstreamTimeoutMs?: number;
  /** Queries forwarded at once at most; more are REFUSED (CoreDNS `max_concurrent`); default 1000. */
  readonly maxForwarding?: number;
  /**
   * Told about failures that do not stop the server: a zone lookup or record that fails (the
   * query is answered SERVFAIL), a query no upstream answered (SERVFAIL) and socket errors.
   * Default: ignored.
   */
  readonly onError?: (error: unknown) => void;
}

export interface DNSServer {
  /** Where the server listens, with the ports actually bound (ephemeral ones resolved). */
  readonly addresses: readonly BoundAddress[];
  /** Stops listening, closes TCP connections; resolves when every socket is closed. */
  close(): Promise<void>;
}

interface Endpoint {
  readonly bound: BoundAddress;
  readonly udp: UDPSocket;
  readonly tcp: TCPServer;
}

// When port 0 gives UDP a port that TCP cannot have on that address, try another one.
const EPHEMERAL_ATTEMPTS = 8;

export async function startDNSServer(options: DNSServerOptions): Promise<DNSServer> {
  const maxUDPPayload = options.maxUDPPayload ?? DEFAULT_UDP_PAYLOAD;
  if (!Number.isInteger(maxUDPPayload) || maxUDPPayload < MIN_UDP_PAYLOAD || maxUDPPayload > 65535) {
    throw new PodnetError('InvalidUsage', `UDP payload size ${maxUDPPayload} must be between 512 and 65535`);
  }
  if (options.listen.length === 0) {
    throw new PodnetError('InvalidUsage', 'a DNS server needs a listen address');
  }
  for (const l of options.listen) {
    if (isIP(l.address) === 0) {
      throw new PodnetError('InvalidUsage', `listen address ${l.address} is not an IP address`);
    }
    if (!Number.isInteger(l.port) || l.port < 0 || l.port > 65535) {
      throw new PodnetError('InvalidUsage', `listen port ${l.port} must be between 0 and 65535`);
    }
  }
  const upstreams = options.upstreams ?? [];
  for (const u of upstreams) checkUpstream(u);
  for (const [what, value] of [
    ['upstream timeout', options.upstreamTimeoutMs],
    ['maximum of forwarded queries', options.maxForwarding],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new PodnetError('InvalidUsage', `${what} ${value} must be a positive integer`);
    }
  }
  const onError = options.onError ?? (() => {});
  const forwarder =
    upstreams.length > 0
      ? new Forwarder({
          upstreams,
          timeoutMs: options.upstreamTimeoutMs ?? 2000,
          maxInFlight: options.maxForwarding ?? 1000,
          onError,
        })
      : undefined;
  const responder = new Responder({ zone: options.zone, maxUDPPayload, onError, forwarder });
  const transport: Transport = {
    // A bug in answering one message must not take the server down: report it, answer nothing.
    respond: (msg, tcp) => {
      try {
        return responder.respond(msg, tcp);
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
    idleTimeoutMs: options.tcpIdleTimeoutMs ?? 10_000,
    messageTimeoutMs: options.tcpMessageTimeoutMs ?? 500,
    maxConnections: options.maxTCPConnections ?? 1000,
    onError,
  };
  const endpoints: Endpoint[] = [];
  let closing: Promise<void> | undefined;
  const close = () => {
    forwarder?.close();
    closing ??= Promise.all(endpoints.map(closeEndpoint)).then(() => {});
    return closing;
  };
  try {
    for (const l of options.listen) endpoints.push(await bindEndpoint(l, transport));
    for (const u of upstreams) checkNotSelf(u, endpoints);
  } catch (error) {
    await close();
    throw error;
  }
  return { addresses: endpoints.map((e) => e.bound), close };
}

function checkUpstream(u: ListenAddress): void {
  const ip = parseIP(u.address);
  if (!ip) throw new PodnetError('InvalidUsage', `upstream ${u.address} is not an IP address`);
  if (ip.value === 0n)
    throw new PodnetError('InvalidUsage', `upstream ${u.address} is not a server's address`);
  if (!Number.isInteger(u.port) || u.port < 1 || u.port > 65535) {
    throw new PodnetError('InvalidUsage', `upstream port ${u.port} must be between 1 and 65535`);
  }
}

/**
 * A server forwarding to itself sends every outside query round until the in-flight limit
 * (CoreDNS has the `loop` plugin for it): refuse an upstream that is one of the server's own
 * addresses, or on its port when the server listens on every address of the family.
 */
function checkNotSelf(u: ListenAddress, endpoints: readonly Endpoint[]): void {
  const ip = parseIP(u.address) as IP;
  for (const { bound } of endpoints) {
    const own = parseIP(bound.address);
    const covers = own?.family === ip.family && (own.value === 0n || own.value === ip.value);
    if (covers && bound.port === u.port) {
      throw new PodnetError(
        'InvalidUsage',
        `upstream ${showUpstream(u)} is this server itself: queries would loop`,
      );
    }
  }
}

interface Transport {
  readonly respond: (msg: Uint8Array, tcp: boolean) => Response;
  readonly idleTimeoutMs: number;
  readonly messageTimeoutMs: number;
  readonly maxConnections: number;
  readonly onError: (error: unknown) => void;
}

async function bindEndpoint(listen: ListenAddress, transport: Transport): Promise<Endpoint> {
  const family = isIP(listen.address) === 6 ? 'IPv6' : 'IPv4';
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUDP(listen.address, listen.port, family, transport);
    const port = udp.address().port;
    const tcp = createTCPServer({
      respond: (msg) => transport.respond(msg, true),
      idleTimeoutMs: transport.idleTimeoutMs,
      messageTimeoutMs: transport.messageTimeoutMs,
      maxConnections: transport.maxConnections,
    });
    try {
      await listenTCP(tcp, listen.address, port, family);
      tcp.server.on('error', transport.onError);
      return { bound: { address: listen.address, port, family }, udp, tcp };
    } catch (error) {
      await closeUDP(udp);
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (listen.port !== 0 || !taken || attempt === EPHEMERAL_ATTEMPTS) throw error;
    }
  }
}

function bindUDP(
  address: string,
  port: number,
  family: 'IPv4' | 'IPv6',
  transport: Transport,
): Promise<UDPSocket> {
  // ipv6Only lets `::` and `0.0.0.0` listen side by side on one port.
  const socket = createSocket({ type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: family === 'IPv6' });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      socket.on('error', transport.onError);
      const send = (response: Buffer | undefined, peer: RemoteInfo) => {
        if (!response) return;
        try {
          socket.send(response, peer.port, peer.address);
        } catch (error) {
          // The socket closed while a forwarded query was out: nobody is left to answer.
          if ((error as NodeJS.ErrnoException).code !== 'ERR_SOCKET_DGRAM_NOT_RUNNING')
            transport.onError(error);
        }
      };
      socket.on('message', (msg, peer) => {
        // Port 0 cannot be answered (dgram throws on it); only a forged source sends from it.
        if (peer.port === 0) return;
        const response = transport.respond(msg, false);
        if (response instanceof Promise) response.then((r) => send(r, peer), transport.onError);
        else send(response, peer);
      });
      resolve(socket);
    });
  });
}

function listenTCP(tcp: TCPServer, address: string, port: number, family: 'IPv4' | 'IPv6'): Promise<void> {
  return new Promise((resolve, reject) => {
    tcp.server.once('error', reject);
    tcp.server.listen({ host: address, port, ipv6Only: family === 'IPv6', exclusive: true }, () => {
      tcp.server.off('error', reject);
      resolve();
    });
  });
}

function closeUDP(socket: UDPSocket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

async function closeEndpoint(endpoint: Endpoint): Promise<void> {
  await Promise.all([closeUDP(endpoint.udp), endpoint.tcp.close()]);
}
