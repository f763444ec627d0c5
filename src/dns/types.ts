// DNS records as the cluster DNS serves them: typed resource data, so the zone, the wire codec,
// the master-file printer and `podnet dns -o json` all read one representation.

export type RRType = 'A' | 'AAAA' | 'CNAME' | 'NS' | 'PTR' | 'SOA' | 'SRV' | 'TXT';

/** Wire type codes (RFC 1035, RFC 3596, RFC 2782). */
export const RR_TYPE_CODES: Readonly<Record<RRType, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
};

export type RData =
  | { type: 'A'; address: string }
  | { type: 'AAAA'; address: string }
  | { type: 'CNAME'; target: string }
  | { type: 'NS'; target: string }
  | { type: 'PTR'; target: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'TXT'; text: string[] }
  | {
      type: 'SOA';
      mname: string;
      rname: string;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    };

export interface ResourceRecord {
  /** Fully qualified, lower case, with the trailing dot: `my-svc.default.svc.cluster.local.`. */
  readonly name: string;
  readonly ttl: number;
  readonly data: RData;
}

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

/** What the cluster DNS answers for one question. */
export interface ZoneAnswer {
  readonly rcode: Rcode;
  /** Whether the name is in the cluster zone (authoritative answer); false means REFUSED/forward. */
  readonly authoritative: boolean;
  readonly answers: readonly ResourceRecord[];
  /** The SOA for NXDOMAIN and NOERROR-with-no-data (negative caching, RFC 2308). */
  readonly authority: readonly ResourceRecord[];
  readonly additional: readonly ResourceRecord[];
}

/** The presentation form of a record's data, as `dig` and DESIGN.md's JSON show it. */
export function presentData(data: RData): string {
  switch (data.type) {
    case 'A':
    case 'AAAA':
      return data.address;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return data.target;
    case 'SRV':
      return `${data.priority} ${data.weight} ${data.port} ${data.target}`;
    case 'TXT':
      return data.text.map((t) => JSON.stringify(t)).join(' ');
    case 'SOA':
      return `${data.mname} ${data.rname} ${data.serial} ${data.refresh} ${data.retry} ${data.expire} ${data.minimum}`;
  }
}
