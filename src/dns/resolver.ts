// A pod's stub resolver: which names a query for NAME becomes, in which order, and where the
// search stops, exactly as glibc's res_nsearch does it (resolv/res_query.c,
// __res_context_search; options as resolv/res_init.c parses them). Pure: the zone is reached
// through a lookup function, so the same code explains `podnet dns --from` offline and the lab.
//
// glibc, step by step (and what podnet follows):
//   1. Count every dot in NAME; a trailing dot makes it absolute.
//   2. If dots >= ndots, or NAME is absolute, query NAME as is. An answer with data ends the
//      search; an absolute NAME ends it whatever the answer.
//   3. Then (dots == 0 with RES_DEFNAMES, or dots > 0 with RES_DNSRCH: both on by default) query
//      NAME.domain for each search domain in order. NXDOMAIN, NOERROR without records (NODATA)
//      and SERVFAIL go on to the next domain; any other failure (REFUSED, FORMERR, NOTIMP, or a
//      name too long to send) stops the search list, "but try the input name below in case it's
//      fully-qualified".
//   4. If NAME was not tried as is in step 2 (and no search domain was the root, and not
//      `no-tld-query` with a dotless NAME that was searched), query NAME as is, last.
//   5. On failure the error reported is the as-is query's of step 2 if there was one, else
//      NODATA if a search-list query got it, else SERVFAIL if one got it, else the last query's.
// Not modelled: HOSTALIASES (user aliases for dotless names) and the LOCALDOMAIN and
// RES_OPTIONS environment variables, which override resolv.conf for one process; and
// getaddrinfo's A+AAAA pairs (a name succeeds when either type has data), since one question has
// one type here.

import type { RRType, ZoneAnswer } from './types.js';

/** The part of a resolv.conf the search uses (the kubelet's `ResolvConf` fits). */
export interface ResolverConfig {
  /** The `search` line, in order (glibc keeps them all since 2.26; older glibc kept 6). */
  readonly searches: readonly string[];
  /** The `options` line: `ndots:N`, `no-tld-query`, ... (others do not change the search). */
  readonly options: readonly { readonly name: string; readonly value?: string }[];
}

export type Lookup = (name: string, type: RRType | number) => ZoneAnswer;

/** One query the resolver made. */
export interface Attempt {
  /** The name asked, fully qualified (trailing dot), in the case the user typed. */
  readonly name: string;
  /**
   * The server's answer; undefined when the name was never sent because it cannot be a domain
   * name (see `encodable`): glibc's res_mkquery fails and the search list stops there, as on
   * REFUSED.
   */
  readonly answer: ZoneAnswer | undefined;
}

export interface Resolution {
  /** Every query, in the order made. */
  readonly tried: readonly Attempt[];
  /** The query whose answer the resolver returns: the one with data, else the one whose error glibc reports (step 5). */
  readonly result: Attempt;
  /** True when `result` is NOERROR with at least one record (glibc's success). */
  readonly found: boolean;
}

/** glibc's RES_MAXNDOTS: ndots is a 4-bit field. */
const MAX_NDOTS = 15;
/** The longest domain name in text, without the trailing dot (255 octets on the wire). */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/** C's atoi: optional blanks and sign, then digits; anything else ends the number (0 if none). */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)/.exec(text) as RegExpExecArray;
  const n = m[2] === '' ? 0 : Number(m[2].slice(0, 12));
  return m[1] === '-' ? -n : n;
}

/**
 * `ndots` as glibc's res_setoptions reads it: default 1, the last `ndots:` option wins, values
 * above 15 become 15, and a negative value lands in the 4-bit field as its low four bits.
 */
export function ndotsOf(conf: ResolverConfig): number {
  let ndots = 1;
  for (const o of conf.options) {
    if (o.name === 'ndots' && o.value !== undefined) {
      const n = atoi(o.value);
      ndots = n > MAX_NDOTS ? MAX_NDOTS : n & MAX_NDOTS;
    }
  }
  return ndots;
}

/** `no-tld-query` (also spelt `no_tld_query`): never query a dotless name as is after searching. */
function noTLDQuery(conf: ResolverConfig): boolean {
  return conf.options.some((o) => o.name === 'no-tld-query' || o.name === 'no_tld_query');
}

function fullyQualified(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/**
 * Whether a fully qualified name fits in a query (RFC 1035 §2.3.4): labels of 1 to 63
 * characters, 253 characters in all without the trailing dot. glibc's res_mkquery refuses
 * anything else before sending.
 */
export function encodable(fqdn: string): boolean {
  if (fqdn === '.') return true;
  if (fqdn.length - 1 > MAX_NAME_LENGTH) return false;
  const labels = fqdn.slice(0, -1).split('.');
  return labels.every((l) => l.length > 0 && l.length <= MAX_LABEL_LENGTH);
}

/** Data, as glibc's __res_context_query counts success: NOERROR and a non-empty answer section. */
function hasData(answer: ZoneAnswer | undefined): boolean {
  return answer !== undefined && answer.rcode === 'NOERROR' && answer.answers.length > 0;
}

/**
 * Resolves NAME as a pod's glibc resolver would, asking `lookup` for each name it tries, and
 * stopping where glibc stops.
 */
export function resolve(
  name: string,
  type: RRType | number,
  conf: ResolverConfig,
  lookup: Lookup,
): Resolution {
  const tried: Attempt[] = [];
  const query = (fqdn: string): Attempt => {
    const attempt: Attempt = { name: fqdn, answer: encodable(fqdn) ? lookup(fqdn, type) : undefined };
    tried.push(attempt);
    return attempt;
  };
  const done = (result: Attempt): Resolution => ({ tried, result, found: hasData(result.answer) });

  let dots = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 0x2e) dots++;
  const absolute = name.endsWith('.');

  let asIsFirst: Attempt | undefined;
  if (dots >= ndotsOf(conf) || absolute) {
    asIsFirst = query(fullyQualified(name));
    if (absolute || hasData(asIsFirst.answer)) return done(asIsFirst);
  }

  const searchedFrom = tried.length;
  let rootOnList = false;
  for (const domain of conf.searches) {
    // A leading dot is dropped; an empty domain (or `.`) is the root: NAME. itself.
    const d = domain.startsWith('.') ? domain.slice(1) : domain;
    if (d === '') rootOnList = true;
    const attempt = query(fullyQualified(`${name}.${d}`));
    if (hasData(attempt.answer)) return done(attempt);
    const rcode = attempt.answer?.rcode;
    if (rcode !== 'NXDOMAIN' && rcode !== 'NOERROR' && rcode !== 'SERVFAIL') break;
  }
  const search = tried.slice(searchedFrom);

  if (
    (dots > 0 || conf.searches.length === 0 || !noTLDQuery(conf)) &&
    asIsFirst === undefined &&
    !rootOnList
  ) {
    const last = query(fullyQualified(name));
    if (hasData(last.answer)) return done(last);
  }

  // Step 5: the error glibc reports (h_errno). NODATA and SERVFAIL count from the search list
  // only; of several, podnet shows the first.
  if (asIsFirst) return done(asIsFirst);
  const nodata = search.find((a) => a.answer?.rcode === 'NOERROR');
  const servfail = search.find((a) => a.answer?.rcode === 'SERVFAIL');
  return done(nodata ?? servfail ?? tried[tried.length - 1]);
}

const NXDOMAIN: ZoneAnswer = {
  rcode: 'NXDOMAIN',
  authoritative: true,
  answers: [],
  authority: [],
  additional: [],
};

/**
 * Every name a query for NAME may try, in order: the names glibc queries when none of them
 * answers (each NXDOMAIN). The same walk as `resolve`, so the two cannot disagree.
 */
export function expandQuery(name: string, conf: ResolverConfig): string[] {
  return resolve(name, 'A', conf, () => NXDOMAIN).tried.map((a) => a.name);
}
