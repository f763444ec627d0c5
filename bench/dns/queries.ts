// The query mix of the DNS benchmark, drawn from the names of the zone itself (its master file, as
// `podnet dns zone` prints it): mostly Service A queries, some SRV, some names under the cluster
// domain that do not exist. Deterministic for a seed, so both servers get the very same file.

import { mulberry32 } from '../scale/generate.js';

export interface QueryMix {
  /** Shares of the queries; they add up to 1. */
  readonly serviceA: number;
  readonly srv: number;
  readonly nxdomain: number;
}

export const DEFAULT_MIX: QueryMix = { serviceA: 0.8, srv: 0.1, nxdomain: 0.1 };

export interface Query {
  readonly name: string;
  readonly type: 'A' | 'SRV';
  readonly kind: keyof QueryMix;
}

export interface ZoneNames {
  /** Owners of A records of the form `svc.ns.svc.<domain>.`: Services, not their endpoints. */
  readonly serviceA: string[];
  /** Owners of SRV records (`_port._proto.svc.ns.svc.<domain>.`). */
  readonly srv: string[];
  /** The namespaces that have Services, for NXDOMAIN names next to real ones. */
  readonly namespaces: string[];
}

/** The names the mix draws from, read from the master file of the zone at `domain`. */
export function zoneNames(masterFile: string, domain: string): ZoneNames {
  const apex = domain.endsWith('.') ? domain : `${domain}.`;
  const svcSuffix = `.svc.${apex}`;
  const serviceA = new Set<string>();
  const srv = new Set<string>();
  const namespaces = new Set<string>();
  for (const line of masterFile.split('\n')) {
    const [owner, , , type] = line.split('\t');
    if (!owner?.endsWith(svcSuffix)) continue;
    const labels = owner.slice(0, -svcSuffix.length).split('.');
    if (type === 'A' && labels.length === 2) {
      serviceA.add(owner);
      namespaces.add(labels[1]);
    } else if (type === 'SRV' && labels.length === 4) srv.add(owner);
  }
  return { serviceA: [...serviceA], srv: [...srv], namespaces: [...namespaces] };
}

/**
 * `count` queries in the mix's shares, in a shuffled order. NXDOMAIN names are a Service name that
 * is not in the zone, in a namespace that is: the lookup walks as far as a real one does.
 */
export function queryMix(
  names: ZoneNames,
  domain: string,
  count: number,
  seed = 1,
  mix = DEFAULT_MIX,
): Query[] {
  if (names.serviceA.length === 0 || names.srv.length === 0) {
    throw new Error('the zone has no Service A or SRV records to query');
  }
  const apex = domain.endsWith('.') ? domain : `${domain}.`;
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const out: Query[] = [];
  const nSRV = Math.round(count * mix.srv);
  const nNX = Math.round(count * mix.nxdomain);
  for (let i = 0; i < count - nSRV - nNX; i++)
    out.push({ name: pick(names.serviceA), type: 'A', kind: 'serviceA' });
  for (let i = 0; i < nSRV; i++) out.push({ name: pick(names.srv), type: 'SRV', kind: 'srv' });
  for (let i = 0; i < nNX; i++) {
    // Generated Service names are `word-NNNNN`; `nosuch-` never is one.
    const name = `nosuch-${String(i).padStart(5, '0')}.${pick(names.namespaces)}.svc.${apex}`;
    out.push({ name, type: 'A', kind: 'nxdomain' });
  }
  // Fisher-Yates, so the kinds interleave as real traffic does.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** dnsperf's input format: `name TYPE` per line. */
export function dnsperfFile(queries: readonly Query[]): string {
  return queries.map((q) => `${q.name} ${q.type}\n`).join('');
}
