// The cluster DNS server: UDP and TCP on the same port of each listen address, answering from
// the zone the caller currently holds (a getter, so the lab can swap in updated zones without a
// restart). Whatever arrives, the server answers, ignores or closes; it never throws.

import { createSocket, type Socket as UDPSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { PodnetError } from '../api/errors.js';
import { Responder } from './server-respond.js';
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
   * Told about failures that do not stop the server: a zone lookup or record that fails (the
   * query is answered SERVFAIL) and socket errors. Default: ignored.
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
  const onError = options.onError ?? (() => {});
  const responder = new Responder({ zone: options.zone, maxUDPPayload, onError });
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
  try {
    for (const l of options.listen) endpoints.push(await bindEndpoint(l, transport));
  } catch (error) {
    await Promise.all(endpoints.map(closeEndpoint));
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    addresses: endpoints.map((e) => e.bound),
    close: () => {
      closing ??= Promise.all(endpoints.map(closeEndpoint)).then(() => {});
      return closing;
    },
  };
}

interface Transport {
  readonly respond: (msg: Uint8Array, tcp: boolean) => Buffer | undefined;
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
      socket.on('message', (msg, peer) => {
        const response = transport.respond(msg, false);
        // Port 0 cannot be answered (dgram throws on it); only a forged source sends from it.
        if (!response || peer.port === 0) return;
        try {
          socket.send(response, peer.port, peer.address);
        } catch (error) {
          transport.onError(error);
        }
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
