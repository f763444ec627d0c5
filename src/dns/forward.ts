// Forwarding of names the cluster DNS does not serve, as CoreDNS's `forward` plugin does with the
// Corefile kubeadm deploys (`forward . /etc/resolv.conf`): the client's query goes to an upstream
// server unchanged but for its ID, over the transport the client used, and the upstream's response
// goes back unchanged but for the ID. An applier, not compute: IDs and the order of upstreams are
// random, and every attempt is bounded in time.

import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { FrameReader } from './server-tcp.js';
import { FLAG_QR, FLAG_TC, HEADER_SIZE } from './wire.js';

export interface UpstreamAddress {
  readonly address: string;
  readonly port: number;
}

export interface ForwarderOptions {
  readonly upstreams: readonly UpstreamAddress[];
  /** How long one upstream has to answer before the next is tried (CoreDNS: 2 s read timeout). */
  readonly timeoutMs: number;
  /** Queries being forwarded at most; one more is REFUSED (CoreDNS `max_concurrent`). */
  readonly maxInFlight: number;
  /** Told why a query could not be forwarded (every upstream failed). */
  readonly onError: (error: unknown) => void;
}

/** A query as the responder decoded it: the forwarder needs its ID and where its question ends. */
export interface ForwardQuery {
  readonly id: number;
  readonly question: { readonly name: string; readonly type: number; readonly end: number };
}

/** What became of a forwarded query. */
export type Forwarded =
  /** The upstream's response with the client's ID, at most `limit` octets. */
  | { readonly kind: 'response'; readonly message: Buffer }
  /** No usable response: the responder answers with this rcode. */
  | { readonly kind: 'failure'; readonly rcode: 'SERVFAIL' | 'REFUSED' | 'FORMERR' }
  /** The forwarder was closed while the query was out: nothing is sent. */
  | { readonly kind: 'closed' };

/** Why a forwarded query got SERVFAIL: each upstream tried and how it failed. */
export class ForwardError extends Error {
  readonly code = 'UpstreamFailed';
  constructor(message: string) {
    super(message);
    this.name = 'ForwardError';
  }
}

const CLOSED: Forwarded = { kind: 'closed' };
const REFUSED: Forwarded = { kind: 'failure', rcode: 'REFUSED' };
const SERVFAIL: Forwarded = { kind: 'failure', rcode: 'SERVFAIL' };
const FORMERR: Forwarded = { kind: 'failure', rcode: 'FORMERR' };

/** One exchange with one upstream: its response, a response to another question, or a failure. */
type Exchange = { readonly response: Buffer } | { readonly mismatch: true } | { readonly failed: string };

export class Forwarder {
  private inFlight = 0;
  private closed = false;
  /** Aborts every exchange in progress (close). */
  private readonly active = new Set<() => void>();

  constructor(private readonly options: ForwarderOptions) {}

  /**
   * Forwards `msg` (the client's query, decoded as `query`) to the upstreams in random order,
   * CoreDNS's default `policy random`: the first to answer in time is relayed; one that fails or
   * stays silent for `timeoutMs` passes the query to the next, and when all have failed the client
   * gets SERVFAIL. A response whose question is not the query's is FORMERR, as CoreDNS answers it.
   * Over UDP a response larger than `limit` is cut to its header and question with TC set, so the
   * client retries over TCP, which is then forwarded over TCP.
   */
  async forward(msg: Uint8Array, query: ForwardQuery, tcp: boolean, limit: number): Promise<Forwarded> {
    if (this.closed) return CLOSED;
    if (this.inFlight >= this.options.maxInFlight) return REFUSED;
    this.inFlight++;
    try {
      const failures: string[] = [];
      for (const upstream of shuffled(this.options.upstreams)) {
        const outcome = await this.exchange(upstream, msg, query.question.end, tcp);
        if (this.closed) return CLOSED;
        if ('mismatch' in outcome) return FORMERR;
        if ('response' in outcome)
          return { kind: 'response', message: relayed(outcome.response, query, limit, tcp) };
        failures.push(`${showUpstream(upstream)}: ${outcome.failed}`);
      }
      const q = query.question;
      this.options.onError(new ForwardError(`forwarding ${q.name} type ${q.type}: ${failures.join('; ')}`));
      return SERVFAIL;
    } finally {
      this.inFlight--;
    }
  }

  /** Aborts every exchange in progress; queries still out are answered with nothing. */
  close(): void {
    this.closed = true;
    for (const abort of this.active) abort();
  }

  /**
   * Sends the query with a fresh random ID (RFC 5452 §9.2) from a socket of its own, so each
   * exchange also has its own random source port; the socket is connected to the upstream, so
   * the kernel drops datagrams from any other address. Datagrams that are not a response to this
   * ID are ignored, as CoreDNS drops them, until the response or the timeout.
   */
  private exchange(
    upstream: UpstreamAddress,
    msg: Uint8Array,
    questionEnd: number,
    tcp: boolean,
  ): Promise<Exchange> {
    const query = Buffer.from(msg);
    query.writeUInt16BE(randomInt(0x10000), 0);
    return new Promise((resolve) => {
      let close = () => {};
      const finish = (outcome: Exchange) => {
        if (!this.active.delete(abort)) return;
        clearTimeout(timer);
        close();
        resolve(outcome);
      };
      const abort = () => finish({ failed: 'aborted' });
      const onMessage = (reply: Buffer) => {
        const verdict = judge(reply, query, questionEnd);
        if (verdict === 'answer') finish({ response: reply });
        else if (verdict === 'mismatch') finish({ mismatch: true });
      };
      const onFailure = (why: string) => finish({ failed: why });
      this.active.add(abort);
      const timer = setTimeout(
        () => onFailure(`no response within ${this.options.timeoutMs} ms`),
        this.options.timeoutMs,
      );
      try {
        close = (tcp ? sendTCP : sendUDP)(upstream, query, onMessage, onFailure);
      } catch (error) {
        // Out of file descriptors, say: this upstream failed, the next may still be tried.
        onFailure(error instanceof Error ? error.message : String(error));
      }
    });
  }
}

/** The upstreams in random order (Fisher-Yates), a new order for every query. */
function shuffled(upstreams: readonly UpstreamAddress[]): UpstreamAddress[] {
  const out = [...upstreams];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Whether `reply` answers `query`: a response (QR) with its ID is the answer when it carries the
 * same single question, the name compared without regard to case (RFC 4343; label lengths are
 * below 64, so folding letters never touches them) and type and class exactly; with another
 * question it is a mismatch. Anything else is not for this exchange.
 */
function judge(reply: Buffer, query: Buffer, questionEnd: number): 'answer' | 'mismatch' | 'ignore' {
  if (reply.length < HEADER_SIZE || !(reply.readUInt16BE(2) & FLAG_QR)) return 'ignore';
  if (reply.readUInt16BE(0) !== query.readUInt16BE(0)) return 'ignore';
  if (reply.readUInt16BE(4) !== 1 || reply.length < questionEnd) return 'mismatch';
  const nameEnd = questionEnd - 4;
  for (let i = HEADER_SIZE; i < questionEnd; i++) {
    const a = reply[i];
    const b = query[i];
    if (a !== b && (i >= nameEnd || (a | 0x20) !== (b | 0x20) || (a | 0x20) < 0x61 || (a | 0x20) > 0x7a)) {
      return 'mismatch';
    }
  }
  return 'answer';
}

/** The upstream's response with the client's ID; over UDP cut to header and question with TC when over `limit`. */
function relayed(response: Buffer, query: ForwardQuery, limit: number, tcp: boolean): Buffer {
  if (tcp || response.length <= limit) {
    response.writeUInt16BE(query.id, 0);
    return response;
  }
  const end = query.question.end;
  const out = Buffer.from(response.subarray(0, end));
  out.writeUInt16BE(query.id, 0);
  out.writeUInt16BE(out.readUInt16BE(2) | FLAG_TC, 2);
  out.writeUInt32BE(0, 6);
  out.writeUInt16BE(0, 10);
  return out;
}

type Send = (
  upstream: UpstreamAddress,
  query: Buffer,
  onMessage: (msg: Buffer) => void,
  onFailure: (why: string) => void,
) => () => void;

const sendUDP: Send = (upstream, query, onMessage, onFailure) => {
  const socket = createSocket(isIP(upstream.address) === 6 ? 'udp6' : 'udp4');
  // ICMP port unreachable comes back as ECONNREFUSED on a connected socket: fail over at once.
  socket.on('error', (e: NodeJS.ErrnoException) => onFailure(e.code ?? e.message));
  socket.on('message', onMessage);
  socket.connect(upstream.port, upstream.address, () => socket.send(query));
  return () => socket.close();
};

const sendTCP: Send = (upstream, query, onMessage, onFailure) => {
  const socket = connect({ host: upstream.address, port: upstream.port, noDelay: true });
  const frame = Buffer.allocUnsafe(query.length + 2);
  frame.writeUInt16BE(query.length, 0);
  query.copy(frame, 2);
  socket.write(frame);
  const frames = new FrameReader(onMessage);
  socket.on('data', (chunk: Buffer) => frames.push(chunk));
  socket.on('error', (e: NodeJS.ErrnoException) => onFailure(e.code ?? e.message));
  socket.on('close', () => onFailure('connection closed before a response'));
  return () => socket.destroy();
};

export function showUpstream(u: UpstreamAddress): string {
  return u.address.includes(':') ? `[${u.address}]:${u.port}` : `${u.address}:${u.port}`;
}
