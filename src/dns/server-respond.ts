// One query in, one response out: the server's answering policy, shared by UDP and TCP, which
// only move octets. Synchronous for every name the zone answers, so one encoder buffer serves
// every transport; only a forwarded query is answered later.

import type { Forwarded, Forwarder } from './forward.js';
import { AnswerCache, answerVariant, type CacheLimits, cachedResponse } from './server-cache.js';
import type { ZoneAnswer } from './types.js';
import {
  CLASS_ANY,
  CLASS_IN,
  decodeQuery,
  MAX_MESSAGE,
  type QueryHeader,
  type Question,
  RCODE,
  type Reply,
  ResponseEncoder,
  TYPE_AXFR,
  TYPE_IXFR,
  udpLimit,
} from './wire.js';
import { WireError } from './wire-names.js';
import type { ClusterZone } from './zone.js';

const NONE: readonly never[] = [];

function failure(rcode: number): Reply {
  return {
    rcode,
    authoritative: false,
    recursionAvailable: false,
    answers: NONE,
    authority: NONE,
    additional: NONE,
  };
}

const REFUSED = failure(RCODE.REFUSED);
const SERVFAIL = failure(RCODE.SERVFAIL);
const BADVERS = failure(RCODE.BADVERS);

function fromZone(answer: ZoneAnswer): Reply {
  return {
    rcode: RCODE[answer.rcode],
    authoritative: true,
    recursionAvailable: false,
    answers: answer.answers,
    authority: answer.authority,
    additional: answer.additional,
  };
}

/**
 * The reply to a well-formed query from the zone, or undefined for a name outside the zones the
 * cluster DNS serves (forwarded when there are upstreams, else REFUSED, as CoreDNS answers a name
 * no server block covers). BADVERS for an EDNS version other than 0 (RFC 6891 §6.1.3); REFUSED
 * for zone transfers wherever the name is (AXFR, IXFR: not offered, not forwarded; `podnet dns
 * zone` prints the zone) and for classes other than IN and ANY (Knot DNS answers only those from
 * its zones); otherwise the zone's answer for the name and type code, known to podnet or not.
 */
export function replyTo(
  query: QueryHeader & { readonly question: Question },
  zone: ClusterZone,
): Reply | undefined {
  if (query.edns && query.edns.version !== 0) return BADVERS;
  const q = query.question;
  if (q.type === TYPE_AXFR || q.type === TYPE_IXFR) return REFUSED;
  const answer = zone.lookup(q.name, q.type);
  if (!answer.authoritative) return undefined;
  if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return REFUSED;
  return fromZone(answer);
}

export interface ResponderOptions {
  readonly zone: () => ClusterZone;
  /** The largest UDP response and the size advertised in OPT records. */
  readonly maxUDPPayload: number;
  /** Told about zone failures and records that cannot be encoded (each answered SERVFAIL). */
  readonly onError: (error: unknown) => void;
  /** Where names outside the zones go; without it they are REFUSED. */
  readonly forwarder?: Forwarder;
  readonly cacheLimits?: CacheLimits;
}

/** What one message gets: a response now, none, or, for a forwarded query, one later. */
export type Response = Buffer | undefined | Promise<Buffer | undefined>;

export class Responder {
  private readonly encoder: ResponseEncoder;
  private readonly cache: AnswerCache;

  constructor(private readonly options: ResponderOptions) {
    this.encoder = new ResponseEncoder(options.maxUDPPayload);
    this.cache = new AnswerCache(options.cacheLimits);
  }

  /**
   * The response to one message, in a buffer of its own; undefined when the message gets none.
   * Over UDP the response fits the client's EDNS size (512 without EDNS); over TCP it may take
   * 65535 octets and comes with its 2-octet length prefix (RFC 1035 §4.2.2). Answers from the
   * zone are cached per question (see server-cache.ts) until the zone getter returns another zone.
   */
  respond(msg: Uint8Array, tcp: boolean): Response {
    const decoded = decodeQuery(msg);
    if (decoded.kind === 'drop') return undefined;
    const query = decoded.query;
    const limit = tcp ? MAX_MESSAGE : udpLimit(query.edns, this.options.maxUDPPayload);
    if (decoded.kind === 'error') return this.encode(msg, query, failure(RCODE[decoded.rcode]), limit, tcp);
    const question = decoded.query.question;
    const variant = answerVariant(question, query.edns, limit);
    let reply: Reply | undefined;
    try {
      const zone = this.options.zone();
      this.cache.useZone(zone);
      const cached = this.cache.get(question.name, variant);
      if (cached) return cachedResponse(cached, msg, question.end, tcp ? 2 : 0);
      reply = replyTo(decoded.query, zone);
    } catch (error) {
      this.options.onError(error);
      return this.encode(msg, query, SERVFAIL, limit, tcp);
    }
    if (reply === undefined) {
      const forwarder = this.options.forwarder;
      if (forwarder) {
        return forwarder
          .forward(msg, decoded.query, tcp, limit)
          .then((outcome) => this.relay(msg, query, outcome, limit, tcp));
      }
      reply = REFUSED;
    }
    return this.encode(msg, query, reply, limit, tcp, variant);
  }

  /**
   * Encodes `reply`; with a `variant`, an answer from the zone, it is cached under the question
   * name. A record the wire cannot carry turns the reply into SERVFAIL, which is not cached.
   */
  private encode(
    msg: Uint8Array,
    query: QueryHeader,
    reply: Reply,
    limit: number,
    tcp: boolean,
    variant?: number,
  ): Buffer {
    let length: number;
    try {
      length = this.encoder.encode(msg, query, reply, limit);
      if (variant !== undefined && query.question) {
        this.cache.put(query.question.name, variant, this.encoder.buffer.subarray(0, length));
      }
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      this.options.onError(error);
      length = this.encoder.encode(msg, query, SERVFAIL, limit);
    }
    const prefix = tcp ? 2 : 0;
    const out = Buffer.allocUnsafe(prefix + length);
    if (tcp) out.writeUInt16BE(length, 0);
    this.encoder.buffer.copy(out, prefix, 0, length);
    return out;
  }

  private relay(
    msg: Uint8Array,
    query: QueryHeader,
    outcome: Forwarded,
    limit: number,
    tcp: boolean,
  ): Buffer | undefined {
    switch (outcome.kind) {
      case 'closed':
        return undefined;
      case 'failure':
        return this.encode(msg, query, failure(RCODE[outcome.rcode]), limit, tcp);
      case 'response': {
        if (!tcp) return outcome.message;
        const out = Buffer.allocUnsafe(2 + outcome.message.length);
        out.writeUInt16BE(outcome.message.length, 0);
        outcome.message.copy(out, 2);
        return out;
      }
    }
  }
}
