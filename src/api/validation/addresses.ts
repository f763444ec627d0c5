// IP and CIDR fields, validated as the API server does with StrictIPCIDRValidation (beta, on by
// default): no IPv4 leading zeros, no IPv4-mapped IPv6, no host bits in subnet CIDRs; fields
// introduced after the cleanup (clusterIPs, externalIPs, podCIDRs, ...) must also be canonical.

import {
  type CIDR,
  cidrContains,
  formatCIDR,
  formatIP,
  type IP,
  isIPv4Mapped,
  parseCIDR,
  parseCIDRLoose,
  parseIP,
} from '../../ip/index.js';
import type { FieldError } from '../errors.js';
import { invalid, type Path, warning } from './path.js';

const IP_EXAMPLE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const CIDR_EXAMPLE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

/** "010.001.002.003" -> "10.1.2.3": what a sloppy (inet_aton-like) parser would have read. */
function withoutLeadingZeros(s: string): string {
  return s.replace(/(^|[.:/])0+(?=\d)/g, '$1');
}

/**
 * An IP in a field that predates strict validation (hostIP, podIP, nameservers, hostAliases,
 * Endpoints): well-formed, no leading zeros, not IPv4-mapped. Returns the address when valid.
 */
export function validateIP(p: Path, value: string, errs: FieldError[]): IP | undefined {
  const ip = parseIP(value);
  if (ip === undefined) {
    errs.push(
      invalid(p, value, parseIP(withoutLeadingZeros(value)) ? 'must not have leading 0s' : IP_EXAMPLE),
    );
    return undefined;
  }
  if (isIPv4Mapped(ip)) {
    errs.push(invalid(p, value, 'must not be an IPv4-mapped IPv6 address'));
    return undefined;
  }
  return ip;
}

/** An IP in a current field (clusterIPs, externalIPs, load balancer IPs): also canonical. */
export function validateCanonicalIP(p: Path, value: string, errs: FieldError[]): IP | undefined {
  const ip = validateIP(p, value, errs);
  if (ip === undefined) return undefined;
  const canonical = formatIP(ip);
  if (canonical !== value) {
    errs.push(invalid(p, value, `must be in canonical form (${JSON.stringify(canonical)})`));
    return undefined;
  }
  return ip;
}

/** A subnet CIDR in a field that predates strict validation (NetworkPolicy ipBlock). */
export function validateLegacyCIDR(p: Path, value: string, errs: FieldError[]): CIDR | undefined {
  const cidr = parseCIDR(value);
  if (cidr !== undefined) {
    if (isIPv4Mapped({ family: cidr.family, value: cidr.base })) {
      errs.push(invalid(p, value, 'must not have an IPv4-mapped IPv6 address'));
      return undefined;
    }
    return cidr;
  }
  if (parseCIDRLoose(value) !== undefined) {
    errs.push(invalid(p, value, 'must not have bits set beyond the prefix length'));
  } else if (parseCIDRLoose(withoutLeadingZeros(value)) !== undefined) {
    errs.push(invalid(p, value, 'must not have leading 0s in IP or prefix length'));
  } else {
    errs.push(invalid(p, value, CIDR_EXAMPLE));
  }
  return undefined;
}

/** A subnet CIDR in a current field (podCIDRs, loadBalancerSourceRanges): also canonical. */
export function validateCIDR(p: Path, value: string, errs: FieldError[]): CIDR | undefined {
  const cidr = validateLegacyCIDR(p, value, errs);
  if (cidr === undefined) return undefined;
  const canonical = formatCIDR(cidr);
  if (canonical !== value) {
    errs.push(invalid(p, value, `must be in canonical form (${JSON.stringify(canonical)})`));
    return undefined;
  }
  return cidr;
}

const V4_LOOPBACK = parseCIDR('127.0.0.0/8') as CIDR;
const V4_LINK_LOCAL = parseCIDR('169.254.0.0/16') as CIDR;
const V4_LINK_LOCAL_MULTICAST = parseCIDR('224.0.0.0/24') as CIDR;
const V6_LINK_LOCAL = parseCIDR('fe80::/10') as CIDR;
const V6_LINK_LOCAL_MULTICAST = parseCIDR('ff02::/16') as CIDR;

/**
 * Addresses that cannot be endpoints or external IPs (ValidateNonSpecialIP): they would route
 * to the node itself or never leave the link.
 */
export function validateNonSpecialIP(p: Path, value: string, ip: IP, errs: FieldError[]): void {
  if (ip.value === 0n) errs.push(invalid(p, value, `may not be unspecified (${value})`));
  if (cidrContains(V4_LOOPBACK, ip) || (ip.family === 'IPv6' && ip.value === 1n)) {
    errs.push(invalid(p, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  }
  if (cidrContains(V4_LINK_LOCAL, ip) || cidrContains(V6_LINK_LOCAL, ip)) {
    errs.push(invalid(p, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (cidrContains(V4_LINK_LOCAL_MULTICAST, ip) || cidrContains(V6_LINK_LOCAL_MULTICAST, ip)) {
    errs.push(invalid(p, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
}

/** GetWarningsForIP: an IPv6 address that is valid but not in RFC 5952 form. */
export function ipWarnings(p: Path, value: string, ip: IP, warnings: FieldError[]): void {
  if (ip.family === 'IPv6' && formatIP(ip) !== value) {
    warnings.push(
      warning(
        p,
        `IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(formatIP(ip))})`,
      ),
    );
  }
}
