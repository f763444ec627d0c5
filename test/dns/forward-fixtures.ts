// Upstream servers for the forwarding tests, all on 127.0.0.1 with ephemeral ports: another
// podnet server authoritative for `upstream.test.`, and hand-made UDP responders that misbehave
// (stay silent, answer another question, answer with another ID first). Each counts what it got.

import { createSocket, type Socket } from 'node:dgram';
import { type DNSServer, startDNSServer } from '../../src/dns/server.js';
import { type ResourceRecord, RR_TYPE_CODES, type RRType, type ZoneAnswer } from '../../src/dns/types.js';
import { decodeQuery } from '../../src/dns/wire.js';
import type { ClusterZone } from '../../src/dns/zone.js';

export const UPSTREAM_DOMAIN = 'upstream.test.';
export const WWW = `www.${UPSTREAM_DOMAIN}`;
/** A name with 100 addresses: about 1.7 KB, truncated over UDP, whole over TCP. */
export const MANY = `many.${UPSTREAM_DOMAIN}`;

const SOA: ResourceRecord = {
  name: UPSTREAM_DOMAIN,
  ttl: 60,
  data: {
    type: 'SOA',
    mname: `ns.${UPSTREAM_DOMAIN}`,
    rname: `hostmaster.${UPSTREAM_DOMAIN}`,
    serial: 1,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: 60,
  },
};

const a = (name: string, address: string): ResourceRecord => ({
  name,
  ttl: 60,
  data: { type: 'A', address },
});

const RECORDS: readonly ResourceRecord[] = [
  SOA,
  a(WWW, '192.0.2.1'),
  ...Array.from({ length: 100 }, (_, i) => a(MANY, `198.51.100.${i + 1}`)),
];

/** The zone of the upstream: `upstream.test.` only, counting the questions it is asked. */
export function upstreamZone(): { zone: ClusterZone; asked: string[] } {
  const asked: string[] = [];
  const zone: ClusterZone = {
    domain: UPSTREAM_DOMAIN,
    records: () => RECORDS,
    lookup(name: string, type: RRType | number): ZoneAnswer {
      const fqdn = name.toLowerCase();
      asked.push(fqdn);
      if (fqdn !== UPSTREAM_DOMAIN && !fqdn.endsWith(`.${UPSTREAM_DOMAIN}`)) {
        return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] };
      }
      const code = typeof type === 'number' ? type : RR_TYPE_CODES[type];
      const answers = RECORDS.filter((r) => r.name === fqdn && RR_TYPE_CODES[r.data.type] === code);
      if (answers.length > 0)
        return { rcode: 'NOERROR', authoritative: true, answers, authority: [], additional: [] };
      const rcode = RECORDS.some((r) => r.name === fqdn) ? 'NOERROR' : 'NXDOMAIN';
      return { rcode, authoritative: true, answers: [], authority: [SOA], additional: [] };
    },
  };
  return { zone, asked };
}

export interface Upstream {
  readonly port: number;
  /** Question names received, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

/** A podnet server for `upstream.test.` on UDP and TCP. */
export async function podnetUpstream(): Promise<Upstream> {
  const { zone, asked } = upstreamZone();
  const server: DNSServer = await startDNSServer({
    // A zone object of its own for every query empties the server's answer cache each time, so
    // every query reaches the zone and is counted.
    zone: () => ({ ...zone }),
    listen: [{ address: '127.0.0.1', port: 0 }],
  });
  return { port: server.addresses[0].port, asked, close: () => server.close() };
}

/**
 * A UDP socket on 127.0.0.1 that records each query and answers what `reply` makes of it (any
 * number of datagrams; none keeps it silent).
 */
export async function handMadeUpstream(reply: (query: Buffer) => Buffer[]): Promise<Upstream> {
  const socket: Socket = createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (query, peer) => {
    const d = decodeQuery(query);
    asked.push(d.kind === 'drop' ? '' : (d.query.question?.name ?? ''));
    for (const datagram of reply(query)) socket.send(datagram, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released): ICMP port unreachable. */
export async function closedPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
