// A small hand-written cluster zone for the codec and server tests, independent of the zone
// computation: a ClusterService, a dual-stack one, SRV records with additional addresses, a
// headless Service with 60 endpoints (too many for 512 octets), an ExternalName and a PTR.

import { type ResourceRecord, RR_TYPE_CODES, type RRType, type ZoneAnswer } from '../../src/dns/types.js';
import type { ClusterZone } from '../../src/dns/zone.js';

export const DOMAIN = 'cluster.local.';

export const SOA: ResourceRecord = {
  name: DOMAIN,
  ttl: 30,
  data: {
    type: 'SOA',
    mname: 'ns.dns.cluster.local.',
    rname: 'hostmaster.cluster.local.',
    serial: 1700000000,
    refresh: 7200,
    retry: 1800,
    expire: 86400,
    minimum: 30,
  },
};

const a = (name: string, address: string): ResourceRecord => ({
  name,
  ttl: 30,
  data: { type: 'A', address },
});

export const HEADLESS = 'big.default.svc.cluster.local.';
export const HEADLESS_SIZE = 60;

export const RECORDS: readonly ResourceRecord[] = [
  SOA,
  { name: DOMAIN, ttl: 30, data: { type: 'NS', target: 'ns.dns.cluster.local.' } },
  { name: `dns-version.${DOMAIN}`, ttl: 30, data: { type: 'TXT', text: ['1.1.0'] } },
  a('my-svc.default.svc.cluster.local.', '10.96.0.11'),
  a('dual.default.svc.cluster.local.', '10.96.0.12'),
  { name: 'dual.default.svc.cluster.local.', ttl: 30, data: { type: 'AAAA', address: 'fd00:10:96::c' } },
  {
    name: '_http._tcp.my-svc.default.svc.cluster.local.',
    ttl: 30,
    data: { type: 'SRV', priority: 0, weight: 100, port: 80, target: 'my-svc.default.svc.cluster.local.' },
  },
  {
    name: '_web._tcp.nginx.default.svc.cluster.local.',
    ttl: 30,
    data: {
      type: 'SRV',
      priority: 0,
      weight: 50,
      port: 80,
      target: 'web-0.nginx.default.svc.cluster.local.',
    },
  },
  {
    name: '_web._tcp.nginx.default.svc.cluster.local.',
    ttl: 30,
    data: {
      type: 'SRV',
      priority: 0,
      weight: 50,
      port: 80,
      target: 'web-1.nginx.default.svc.cluster.local.',
    },
  },
  a('web-0.nginx.default.svc.cluster.local.', '10.244.1.5'),
  a('web-1.nginx.default.svc.cluster.local.', '10.244.2.7'),
  { name: 'ext.default.svc.cluster.local.', ttl: 30, data: { type: 'CNAME', target: 'example.com.' } },
  {
    name: '11.0.96.10.in-addr.arpa.',
    ttl: 30,
    data: { type: 'PTR', target: 'my-svc.default.svc.cluster.local.' },
  },
  ...Array.from({ length: HEADLESS_SIZE }, (_, i) => a(HEADLESS, `10.244.${1 + (i >> 6)}.${10 + (i & 63)}`)),
];

const TYPE_OF_CODE = new Map(Object.entries(RR_TYPE_CODES).map(([k, v]) => [v, k as RRType]));

function inZone(name: string): boolean {
  return name === DOMAIN || name.endsWith(`.${DOMAIN}`) || name.endsWith('.in-addr.arpa.');
}

/**
 * A ClusterZone over a fixed record list: exact names, NXDOMAIN vs NOERROR-with-no-data with
 * the SOA in authority, SRV targets' addresses in additional, REFUSED outside the zone.
 */
export function fixtureZone(records: readonly ResourceRecord[] = RECORDS): ClusterZone {
  return {
    domain: DOMAIN,
    records: () => records,
    lookup(name: string, type: RRType | number): ZoneAnswer {
      let fqdn = name.toLowerCase();
      if (!fqdn.endsWith('.')) fqdn += '.';
      if (!inZone(fqdn))
        return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], additional: [] };
      const typeName = typeof type === 'number' ? TYPE_OF_CODE.get(type) : type;
      const named = records.filter((r) => r.name === fqdn);
      const answers = named.filter((r) => r.data.type === typeName);
      const additional = answers.flatMap((r) =>
        r.data.type === 'SRV' ? records.filter((t) => t.name === (r.data as { target: string }).target) : [],
      );
      if (answers.length > 0)
        return { rcode: 'NOERROR', authoritative: true, answers, authority: [], additional };
      const exists = named.length > 0 || records.some((r) => r.name.endsWith(`.${fqdn}`));
      return {
        rcode: exists ? 'NOERROR' : 'NXDOMAIN',
        authoritative: true,
        answers: [],
        authority: [SOA],
        additional: [],
      };
    },
  };
}
