// The cluster zone as an RFC 1035 §5 master file, so another server (Knot, NSD, BIND) can load
// exactly what podnet serves and the two can be compared. One record per line, every owner name
// fully qualified, TTL and class on every line (so no $TTL is needed), the SOA first, then the
// owners in DNSSEC canonical order (RFC 4034 §6.1), byte-identical for the same zone.

import { canonicalKey, inZone, normalizeName } from './names.js';
import { presentData, type ResourceRecord } from './types.js';

/** `"..."` with `"` and `\` escaped and bytes outside printable ASCII as `\DDD` (RFC 1035 §5.1). */
function quoted(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${String(byte).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** One record in master-file form: `owner TTL IN TYPE data`, tab-separated as dig prints it. */
export function formatRecord(rr: ResourceRecord): string {
  const data = rr.data.type === 'TXT' ? rr.data.text.map(quoted).join(' ') : presentData(rr.data);
  return `${rr.name}\t${rr.ttl}\tIN\t${rr.data.type}\t${data}`;
}

/** The apexes of the zones among the records (the owners of SOA records), in canonical order. */
export function zoneOrigins(records: readonly ResourceRecord[]): string[] {
  const origins = new Set(records.filter((rr) => rr.data.type === 'SOA').map((rr) => normalizeName(rr.name)));
  return [...origins].sort((a, b) => byKey(canonicalKey(a), canonicalKey(b)));
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The master file of the zone whose apex is `origin`: the records at or below it, less those of
 * another zone among `records` cut below it (a deeper apex). Owners in canonical order, the SOA
 * first at the apex; within an owner the records keep their order, which in `ClusterZone.records()`
 * is by type code, then as the zone answers them.
 */
export function renderMasterFile(records: readonly ResourceRecord[], origin: string): string {
  const apex = normalizeName(origin);
  const cuts = zoneOrigins(records).filter((o) => o !== apex && inZone(o, apex));
  const keyed: { key: string; soa: number; rr: ResourceRecord }[] = [];
  for (const rr of records) {
    const name = normalizeName(rr.name);
    if (!inZone(name, apex) || cuts.some((cut) => inZone(name, cut))) continue;
    keyed.push({ key: canonicalKey(name), soa: rr.data.type === 'SOA' ? 0 : 1, rr });
  }
  // Stable, and linear on input already in canonical order.
  keyed.sort((a, b) => byKey(a.key, b.key) || a.soa - b.soa);
  let text = `$ORIGIN ${apex}\n`;
  for (const { rr } of keyed) text += `${formatRecord(rr)}\n`;
  return text;
}
