// Domain names as the cluster DNS compares them, and the two ways Kubernetes DNS spells an IP
// address inside a name: the dashed endpoint label CoreDNS gives endpoints without a hostname,
// and the dashed pod label of `<a-b-c-d>.<ns>.pod.<zone>`.

import { formatIP, type IP, parseIP } from '../ip/index.js';

const DOT = 46;

/**
 * The form every name in the zone is kept in: lower case (the specification's 2.1: every
 * comparison is case-insensitive) and fully qualified with the trailing dot.
 */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** Whether a normalised name is `zone` itself or below it (`zone` normalised, not the root). */
export function inZone(name: string, zone: string): boolean {
  if (name.length === zone.length) return name === zone;
  return (
    name.length > zone.length && name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === DOT
  );
}

/**
 * CoreDNS `endpointHostname` for an address without a hostname: the canonical address text with
 * dots (IPv4) or colons (IPv6) turned into dashes, so `10.244.1.5` is `10-244-1-5` and
 * `fd00:10:244:1::5` is `fd00-10-244-1--5`.
 */
export function dashed(address: string): string {
  return address.includes(':')
    ? address.replaceAll(':', '-').replaceAll('.', '-')
    : address.replaceAll('.', '-');
}

/**
 * The address a pod label spells, as CoreDNS reads it: exactly three dashes and no `--` is an
 * IPv4 address (dashes become dots), anything else is IPv6 (dashes become colons); the result
 * must parse as an address. Undefined for anything else.
 */
export function parseDashedIP(label: string): IP | undefined {
  let dashes = 0;
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) === 45) dashes++;
  const dotted = dashes === 3 && !label.includes('--');
  return parseIP(label.replaceAll('-', dotted ? '.' : ':'));
}

/**
 * A key whose plain string order is the RFC 4034 §6.1 canonical order of normalised names:
 * labels from the right, each compared as octets, a name before its children. NUL separates the
 * labels because it sorts below every byte a label holds here.
 */
export function canonicalKey(name: string): string {
  const labels = name.slice(0, -1).split('.');
  labels.reverse();
  return labels.join('\0');
}

const IN_ADDR = '.in-addr.arpa.';
const IP6 = '.ip6.arpa.';
const NIBBLE = /^[0-9a-f]$/;

/**
 * The address a normalised reverse name stands for, as canonical text: four decimal labels
 * under `in-addr.arpa.` or 32 nibbles under `ip6.arpa.` (RFC 1035 §3.5, RFC 3596 §2.5).
 * Undefined for any other name, including the partial names above them.
 */
export function reverseAddress(name: string): string | undefined {
  if (name.endsWith(IN_ADDR)) {
    const labels = name.slice(0, -IN_ADDR.length).split('.');
    if (labels.length !== 4) return undefined;
    const ip = parseIP(labels.reverse().join('.'));
    return ip && formatIP(ip);
  }
  if (name.endsWith(IP6)) {
    const labels = name.slice(0, -IP6.length).split('.');
    if (labels.length !== 32 || !labels.every((l) => NIBBLE.test(l))) return undefined;
    return formatIP({ family: 'IPv6', value: BigInt(`0x${labels.reverse().join('')}`) });
  }
  return undefined;
}
