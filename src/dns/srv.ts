// SRV RRsets as CoreDNS builds them (plugin/backend_lookup.go SRV): from the (target, port)
// pairs its kubernetes backend lists for a name, each with the address behind it.

import type { EndpointPort } from '../api/types.js';
import { compareIP, parseIP } from '../ip/index.js';
import type { ResourceRecord } from './types.js';

export interface SrvEntry {
  readonly target: string;
  /** NO_PORT for a slice without ports: CoreDNS counts it in the weights but serves no SRV for it. */
  readonly port: number;
  /** The target's A/AAAA record, for the additional section. */
  readonly address: ResourceRecord;
}

/** CoreDNS's port for an endpoint whose slice lists no ports. */
export const NO_PORT = -1;

/** The address records of one endpoint name, each with the ports of the slice it came from. */
export interface EndpointSource {
  readonly address: ResourceRecord;
  readonly ports: readonly EndpointPort[] | undefined;
}

/**
 * CoreDNS's SRV weight: every entry of a priority weighs 100 and each record gets its share of
 * 100 in whole units, at least 1 — 100 for one entry, 50 for a dual-stack Service's two cluster
 * IPs, 33 for three endpoints. The float arithmetic is CoreDNS's, so the rounding is too.
 */
export function srvWeight(entries: number): number {
  return Math.max(1, Math.floor((100 / (100 * entries)) * 100));
}

export interface SrvSet {
  readonly records: ResourceRecord[];
  /** The targets' address records (RFC 2782 recommends them in the additional section). */
  readonly additional: ResourceRecord[];
}

/**
 * The SRV RRset of one owner: priority 0, one record per distinct (target, port) in port then
 * target order, and each target address once. Undefined when no entry has a port.
 */
export function srvSet(owner: string, ttl: number, entries: readonly SrvEntry[]): SrvSet | undefined {
  if (entries.length === 0) return undefined;
  const weight = srvWeight(entries.length);
  const records: ResourceRecord[] = [];
  const additional: ResourceRecord[] = [];
  // Most owners have one entry: the sets are only needed when there is something to repeat.
  const seen = entries.length > 1 ? new Set<string>() : undefined;
  const seenAddress = entries.length > 1 ? new Set<ResourceRecord>() : undefined;
  for (const { target, port, address } of entries) {
    if (port === NO_PORT) continue;
    const key = `${port} ${target}`;
    if (!seen?.has(key)) {
      seen?.add(key);
      records.push({ name: owner, ttl, data: { type: 'SRV', priority: 0, weight, port, target } });
    }
    if (!seenAddress?.has(address)) {
      seenAddress?.add(address);
      additional.push(address);
    }
  }
  if (records.length === 0) return undefined;
  if (records.length > 1) records.sort(bySRVData);
  if (additional.length > 1) additional.sort(byOwnerAndAddress);
  return { records, additional };
}

/** Target by target, A before AAAA, addresses numerically: independent of the slices' order. */
function byOwnerAndAddress(x: ResourceRecord, y: ResourceRecord): number {
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  if (x.data.type !== y.data.type) return x.data.type === 'A' ? -1 : 1;
  const a = parseIP((x.data as { address: string }).address);
  const b = parseIP((y.data as { address: string }).address);
  return a && b ? compareIP(a, b) : 0;
}

function bySRVData(x: ResourceRecord, y: ResourceRecord): number {
  if (x.data.type !== 'SRV' || y.data.type !== 'SRV') return 0;
  const a = x.data;
  const b = y.data;
  return a.port - b.port || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0);
}

/** The SRV entries of an endpoint name: each of its addresses with every port of its slice. */
export function endpointEntries(sources: readonly EndpointSource[]): SrvEntry[] {
  const entries: SrvEntry[] = [];
  for (const { address, ports } of sources) {
    if (!ports || ports.length === 0) entries.push({ target: address.name, port: NO_PORT, address });
    else for (const p of ports) entries.push({ target: address.name, port: p.port ?? NO_PORT, address });
  }
  return entries;
}
