// One query in, one response out: the server's answering policy, shared by UDP and TCP, which
// only move octets. Synchronous, so one encoder buffer serves every transport.

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
  // A name outside the cluster zone gets REFUSED and no records, as CoreDNS answers a name that
  // no server block covers.
  if (!answer.authoritative) return REFUSED;
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
 * The reply to a well-formed query: BADVERS for an EDNS version other than 0 (RFC 6891 §6.1.3);
 * REFUSED for classes other than IN and ANY (Knot DNS answers only those from its zones) and for
 * zone transfers (AXFR, IXFR: not offered; `podnet dns zone` prints the zone); otherwise the
 * zone's answer for the name and type code, whether podnet knows the type or not.
 */
export function replyTo(query: QueryHeader & { readonly question: Question }, zone: ClusterZone): Reply {
  if (query.edns && query.edns.version !== 0) return BADVERS;
  const q = query.question;
  if (q.qclass !== CLASS_IN && q.qclass !== CLASS_ANY) return REFUSED;
  if (q.type === TYPE_AXFR || q.type === TYPE_IXFR) return REFUSED;
  return fromZone(zone.lookup(q.name, q.type));
}

export interface ResponderOptions {
  readonly zone: () => ClusterZone;
  /** The largest UDP response and the size advertised in OPT records. */
  readonly maxUDPPayload: number;
  /** Told about zone failures and records that cannot be encoded (each answered SERVFAIL). */
  readonly onError: (error: unknown) => void;
}

export class Responder {
  private readonly encoder: ResponseEncoder;

  constructor(private readonly options: ResponderOptions) {
    this.encoder = new ResponseEncoder(options.maxUDPPayload);
  }

  /**
   * The response to one message, in a buffer of its own; undefined when the message gets none.
   * Over UDP the response fits the client's EDNS size (512 without EDNS); over TCP it may take
   * 65535 octets and comes with its 2-octet length prefix (RFC 1035 §4.2.2).
   */
  respond(msg: Uint8Array, tcp: boolean): Buffer | undefined {
    const decoded = decodeQuery(msg);
    if (decoded.kind === 'drop') return undefined;
    const query = decoded.query;
    const limit = tcp ? MAX_MESSAGE : udpLimit(query.edns, this.options.maxUDPPayload);
    let reply: Reply;
    if (decoded.kind === 'error') {
      reply = failure(RCODE[decoded.rcode]);
    } else {
      try {
        reply = replyTo(decoded.query, this.options.zone());
      } catch (error) {
        this.options.onError(error);
        reply = SERVFAIL;
      }
    }
    let length: number;
    try {
      length = this.encoder.encode(msg, query, reply, limit);
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
}
